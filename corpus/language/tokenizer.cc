#include "corpus/language/tokenizer.h"

#include <cctype>
#include <cstdlib>

namespace patientqa::corpus {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Bytes of a letter: ASCII letters, and every byte of a multi-byte UTF-8 sequence that is not
// one of the marks that separate words. Normalised text has its quotes and dashes in ASCII.
bool IsLetterByte(unsigned char c) { return std::isalpha(c) || c >= 0x80; }

// Multi-byte sequences that separate words rather than belong to them.
size_t SeparatorLength(std::string_view s, size_t i) {
  // ° (C2 B0), … (E2 80 A6), • (E2 80 A2), · (C2 B7), × (C3 97), emoji and symbols (F0 ...).
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == 0xC2 && i + 1 < s.size()) {
    const auto d = static_cast<unsigned char>(s[i + 1]);
    if (d == 0xB0 || d == 0xB7 || d < 0xA0) return 2;
  }
  if (c == 0xC3 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x97) return 2;
  if (c == 0xE2 && i + 2 < s.size()) {
    // General punctuation, arrows, symbols and dingbats: U+2000..U+2BFF.
    const auto d = static_cast<unsigned char>(s[i + 1]);
    if (d >= 0x80 && d <= 0xAF) return 3;
  }
  if (c == 0xF0 && i + 3 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x9F) return 4;
  return 0;
}

bool IsPunctToken(char c) {
  switch (c) {
    case '.':
    case '!':
    case '?':
    case ';':
    case ':':
    case ',':
    case '(':
    case ')':
    case '/':
      return true;
    default:
      return false;
  }
}

// Contractions read alike however they are typed: "can't" and "cant" are one token "cant"; "'s",
// "'m", "'re", "'ve", "'ll" and "'d" become tokens of their own ("stoma's" -> stoma, s).
void AppendWord(std::string_view text, size_t begin, size_t end, std::vector<Token>* out) {
  std::string word(text.substr(begin, end - begin));
  const size_t apostrophe = word.rfind('\'');
  if (apostrophe == std::string::npos) {
    out->push_back({std::move(word), TokenKind::kWord, 0, begin, end});
    return;
  }
  const std::string suffix = word.substr(apostrophe + 1);
  if (suffix == "t" && apostrophe > 0 && word[apostrophe - 1] == 'n') {
    word.erase(apostrophe, 1);
    out->push_back({std::move(word), TokenKind::kWord, 0, begin, end});
    return;
  }
  if (suffix == "s" || suffix == "m" || suffix == "re" || suffix == "ve" || suffix == "ll" ||
      suffix == "d") {
    const size_t split = begin + apostrophe;
    out->push_back({word.substr(0, apostrophe), TokenKind::kWord, 0, begin, split});
    out->push_back({suffix, TokenKind::kWord, 0, split + 1, end});
    return;
  }
  out->push_back({std::move(word), TokenKind::kWord, 0, begin, end});
}

}  // namespace

bool EndsSentence(const Token& token) {
  return token.kind == TokenKind::kPunct &&
         (token.text == "." || token.text == "!" || token.text == "?" || token.text == ";");
}

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> out;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (size_t skip = c >= 0x80 ? SeparatorLength(text, i) : 0; skip > 0) {
      i += skip;
      continue;
    }
    if (IsDigit(text[i])) {
      size_t j = i;
      while (j < n && IsDigit(text[j])) ++j;
      if (j + 1 < n && (text[j] == '.' || text[j] == ',') && IsDigit(text[j + 1])) {
        ++j;
        while (j < n && IsDigit(text[j])) ++j;
      }
      Token t{std::string(text.substr(i, j - i)), TokenKind::kNumber, 0, i, j};
      std::string value = t.text;
      for (char& ch : value) {
        if (ch == ',') ch = '.';
      }
      t.number = std::strtod(value.c_str(), nullptr);
      out.push_back(std::move(t));
      i = j;
      continue;
    }
    if (IsLetterByte(c)) {
      size_t j = i;
      while (j < n) {
        const auto d = static_cast<unsigned char>(text[j]);
        if (d >= 0x80 && SeparatorLength(text, j) > 0) break;
        if (IsLetterByte(d)) {
          ++j;
        } else if (text[j] == '\'' && j + 1 < n &&
                   IsLetterByte(static_cast<unsigned char>(text[j + 1])) && j > i) {
          ++j;  // an inner apostrophe: "don't", "i'm", "patient's"
        } else {
          break;
        }
      }
      AppendWord(text, i, j, &out);
      i = j;
      continue;
    }
    // Quotation marks: '"', or a "'" that is not inside a word (see AppendWord).
    if (text[i] == '"' || text[i] == '\'') {
      out.push_back({"\"", TokenKind::kPunct, 0, i, i + 1});
      ++i;
      continue;
    }
    if (IsPunctToken(text[i])) {
      // A run of "?!" or "..." is one boundary.
      size_t j = i + 1;
      while (j < n && IsPunctToken(text[j]) && text[j] == text[i]) ++j;
      out.push_back({std::string(1, text[i]), TokenKind::kPunct, 0, i, j});
      i = j;
      continue;
    }
    ++i;  // spaces, hyphens, quotes and other marks separate tokens
  }
  return out;
}

}  // namespace patientqa::corpus
