// The scenario language's lexer: one line of text into tokens with their
// columns. Knows nothing of statements.
#pragma once

#include <string>
#include <vector>

namespace sc::scenario {

enum class TokKind { kWord, kString, kSymbol };

struct Token {
  TokKind kind = TokKind::kWord;
  std::string text;   // a string's text without its quotes and escapes
  int column = 0;     // 1-based, first character
  int end = 0;        // column just after the last character
};

// Splits one line into words, "strings" (with \" escapes) and the symbols
// | , { } ;  A '#' starting a token begins a comment. Returns false on an
// unterminated string, with its column in `bad_column` (tokens before it
// are in `out`).
bool Tokenize(const std::string& line, std::vector<Token>& out, int& bad_column);

// The lines of a text, without their "\n" or "\r\n".
std::vector<std::string> SplitLines(const std::string& text);

}  // namespace sc::scenario
