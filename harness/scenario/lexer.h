// The scenario language's lexer: one line of text into tokens with their
// columns. Knows nothing of statements.
#pragma once

#include <optional>
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

// Why a line could not be split into tokens, and where.
struct LexError {
  int column = 0;       // 1-based
  std::string message;  // what a person should do, e.g. "unterminated string: add the closing '\"'"
};

// Splits one line into words, "strings" (with \" escapes) and the symbols
// | , { } ;  A '#' starting a token begins a comment. Fails on an
// unterminated string and on an invisible character (a control character
// such as NUL anywhere, or a zero-width or no-break space outside a string),
// which it names; the tokens before the failure are in `out`.
std::optional<LexError> Tokenize(const std::string& line, std::vector<Token>& out);

// The name of an invisible character starting at line[i] ("U+0000 (NUL)"),
// with its length in bytes in `size`; std::nullopt for any other character.
std::optional<std::string> InvisibleCharacterAt(const std::string& line, size_t i, size_t* size);

// The lines of a text, without their "\n" or "\r\n".
std::vector<std::string> SplitLines(const std::string& text);

}  // namespace sc::scenario
