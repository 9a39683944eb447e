#include "harness/scenario/lexer.h"

#include <sstream>

namespace sc::scenario {
namespace {

bool IsSymbol(char c) { return c == '|' || c == ',' || c == '{' || c == '}' || c == ';'; }

// Reads a "string" starting at line[i] == '"'; false when it never closes.
bool ReadString(const std::string& line, size_t& i, std::string& text) {
  ++i;
  while (i < line.size()) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      text += line[i + 1];
      i += 2;
    } else if (line[i] == '"') {
      ++i;
      return true;
    } else {
      text += line[i++];
    }
  }
  return false;
}

}  // namespace

bool Tokenize(const std::string& line, std::vector<Token>& out, int& bad_column) {
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (c == ' ' || c == '\t') {
      ++i;
      continue;
    }
    if (c == '#') break;
    Token t;
    t.column = static_cast<int>(i) + 1;
    if (IsSymbol(c)) {
      t.kind = TokKind::kSymbol;
      t.text = std::string(1, c);
      ++i;
    } else if (c == '"') {
      t.kind = TokKind::kString;
      if (!ReadString(line, i, t.text)) {
        bad_column = t.column;
        return false;
      }
    } else {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '"' && !IsSymbol(line[i]))
        t.text += line[i++];
    }
    t.end = static_cast<int>(i) + 1;
    out.push_back(t);
  }
  return true;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

}  // namespace sc::scenario
