#include "harness/scenario/lexer.h"

#include <cstdio>
#include <cstring>
#include <sstream>

namespace sc::scenario {
namespace {

bool IsSymbol(char c) { return c == '|' || c == ',' || c == '{' || c == '}' || c == ';'; }

bool IsControl(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

std::string Hex4(unsigned code) {
  char buf[16];
  snprintf(buf, sizeof buf, "U+%04X", code);
  return buf;
}

std::string ControlName(unsigned char c) {
  switch (c) {
    case 0x00: return "NUL";
    case 0x0b: return "vertical tab";
    case 0x0c: return "form feed";
    case 0x0d: return "carriage return";
    case 0x1b: return "escape";
    case 0x7f: return "delete";
    default: return "a control character";
  }
}

// Characters that look like nothing (or like a plain space) in an editor.
struct Invisible {
  const char* bytes;
  unsigned code;
  const char* name;
};
const Invisible kInvisible[] = {
    {"\xc2\xa0", 0x00a0, "no-break space"},        {"\xc2\xad", 0x00ad, "soft hyphen"},
    {"\xe2\x80\x8b", 0x200b, "zero width space"},   {"\xe2\x80\x8c", 0x200c, "zero width non-joiner"},
    {"\xe2\x80\x8d", 0x200d, "zero width joiner"},  {"\xe2\x80\x8e", 0x200e, "left-to-right mark"},
    {"\xe2\x80\x8f", 0x200f, "right-to-left mark"}, {"\xe2\x80\xaf", 0x202f, "narrow no-break space"},
    {"\xe2\x81\xa0", 0x2060, "word joiner"},        {"\xe3\x80\x80", 0x3000, "ideographic space"},
    {"\xef\xbb\xbf", 0xfeff, "byte order mark"},
};

std::optional<LexError> InvisibleError(const std::string& line, size_t i) {
  size_t size = 0;
  auto name = InvisibleCharacterAt(line, i, &size);
  if (!name) return std::nullopt;
  return LexError{static_cast<int>(i) + 1,
                  "invisible character " + *name + " here: delete it (and retype the space around it if there was one)"};
}

// Reads a "string" starting at line[i] == '"'. Fails when it never closes
// or holds a control character.
std::optional<LexError> ReadString(const std::string& line, size_t& i, std::string& text) {
  const int column = static_cast<int>(i) + 1;
  ++i;
  while (i < line.size()) {
    if (IsControl(static_cast<unsigned char>(line[i]))) return InvisibleError(line, i);
    if (line[i] == '\\' && i + 1 < line.size()) {
      text += line[i + 1];
      i += 2;
    } else if (line[i] == '"') {
      ++i;
      return std::nullopt;
    } else {
      text += line[i++];
    }
  }
  return LexError{column, "unterminated string: add the closing '\"'"};
}

}  // namespace

std::optional<std::string> InvisibleCharacterAt(const std::string& line, size_t i, size_t* size) {
  const auto c = static_cast<unsigned char>(line[i]);
  if (IsControl(c)) {
    *size = 1;
    return Hex4(c) + " (" + ControlName(c) + ")";
  }
  for (const Invisible& v : kInvisible)
    if (line.compare(i, strlen(v.bytes), v.bytes) == 0) {
      *size = strlen(v.bytes);
      return Hex4(v.code) + " (" + v.name + ")";
    }
  return std::nullopt;
}

std::optional<LexError> Tokenize(const std::string& line, std::vector<Token>& out) {
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
      if (auto e = ReadString(line, i, t.text)) return e;
    } else {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '"' && !IsSymbol(line[i])) {
        if (auto e = InvisibleError(line, i)) return e;
        t.text += line[i++];
      }
    }
    t.end = static_cast<int>(i) + 1;
    out.push_back(t);
  }
  return std::nullopt;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // A byte order mark opening the file (editors on Windows write one) is
    // not text; anywhere else the lexer names it.
    if (lines.empty() && line.rfind("\xef\xbb\xbf", 0) == 0) line.erase(0, 3);
    lines.push_back(line);
  }
  return lines;
}

}  // namespace sc::scenario
