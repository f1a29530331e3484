#pragma once

// The tokens that concept matching and triage read: words, numbers and sentence punctuation of
// normalised text (see normalizer.h).

#include <string>
#include <string_view>
#include <vector>

namespace patientqa::corpus {

enum class TokenKind {
  kWord,  // letters (any script): "can't" and "cant" -> cant; "i'm" -> i, m; "stoma's" -> stoma, s
  kNumber,  // digits, with one inner '.' or ',' before more digits: "38.5", "38,5", "101"
  kPunct,   // one of . ! ? ; : , ( ) and the slash, each a token of its own; quotation marks
            // ('"', or "'" outside a word) become the token "\""
};

struct Token {
  std::string text;
  TokenKind kind = TokenKind::kWord;
  double number = 0;  // kNumber: its value ("38,5" is 38.5)
  size_t begin = 0;   // byte offsets into the tokenised text: [begin, end)
  size_t end = 0;
};

// Cuts `text` (normalised: lower case, single spaces) into tokens. Words and numbers are split
// where letters meet digits, so "38.5c" -> 38.5, c; "5fu" and "5-fu" -> 5, fu; "y90" -> y, 90.
// Hyphens, quotes, '°', '%' and every other mark not listed above separate tokens without being
// one, so "self-harm" and "self harm" read alike. Never fails; empty text gives no tokens.
std::vector<Token> Tokenize(std::string_view text);

// Whether the token ends a sentence (".", "!", "?", ";").
bool EndsSentence(const Token& token);

}  // namespace patientqa::corpus
