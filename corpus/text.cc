#include "corpus/text.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>

#include "absl/strings/str_cat.h"

namespace patientqa::corpus {

std::optional<size_t> FindInvalidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    char32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::array<char32_t, 5> kMinForLength = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::nullopt;
}

size_t CountCodePoints(std::string_view s) {
  size_t count = 0;
  for (char ch : s) {
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

absl::StatusOr<Attribute> SplitAttribute(std::string_view line, bool value_required,
                                         std::string_view form) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected '", std::string(form), "', got '", std::string(line), "'"));
  }
  Attribute a{Trim(line.substr(0, colon)), Trim(line.substr(colon + 1))};
  if (value_required && a.value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("'", std::string(a.key), "' is empty"));
  }
  return a;
}

namespace {

bool EndsWithAbbreviation(std::string_view before) {
  static constexpr std::array<std::string_view, 8> kAbbreviations = {"e.g", "i.e", "Dr", "Mr",
                                                                     "Mrs", "Ms",  "vs", "etc"};
  for (std::string_view abbr : kAbbreviations) {
    if (before.size() >= abbr.size() && before.substr(before.size() - abbr.size()) == abbr) {
      const size_t start = before.size() - abbr.size();
      if (start == 0 || !std::isalpha(static_cast<unsigned char>(before[start - 1]))) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> SplitSentences(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '.' && c != '!' && c != '?') continue;
    size_t j = i + 1;
    while (j < text.size() && (text[j] == ')' || text[j] == '"' || text[j] == '\'')) ++j;
    if (j >= text.size()) break;
    if (!std::isspace(static_cast<unsigned char>(text[j]))) continue;
    size_t k = j;
    while (k < text.size() && std::isspace(static_cast<unsigned char>(text[k]))) ++k;
    if (k >= text.size()) break;
    const auto next = static_cast<unsigned char>(text[k]);
    const bool starts_sentence =
        std::isupper(next) || std::isdigit(next) || next == '"' || next == '(' || next >= 0x80;
    if (!starts_sentence) continue;
    if (c == '.' && EndsWithAbbreviation(text.substr(start, i - start))) continue;
    std::string_view sentence = Trim(text.substr(start, j - start));
    if (!sentence.empty()) out.emplace_back(sentence);
    start = k;
    i = k - 1;
  }
  std::string_view rest = Trim(text.substr(std::min(start, text.size())));
  if (!rest.empty()) out.emplace_back(rest);
  return out;
}

std::vector<std::string> CommaList(std::string_view value) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t comma = value.find(',', pos);
    if (comma == std::string_view::npos) comma = value.size();
    const std::string_view item = Trim(value.substr(pos, comma - pos));
    if (!item.empty()) out.emplace_back(item);
    pos = comma + 1;
  }
  return out;
}

std::vector<std::string_view> SplitLines(std::string_view content) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= content.size()) {
    size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    std::string_view line = content.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

namespace {

// A code point and the byte just after it; `cp` is negative for an invalid sequence.
struct CodePoint {
  UChar32 cp;
  size_t next;
};

CodePoint DecodeAt(std::string_view text, size_t i) {
  int32_t next = static_cast<int32_t>(i);
  UChar32 cp = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), next, static_cast<int32_t>(text.size()),
          cp);
  return {cp, static_cast<size_t>(next)};
}

// Xapian::Unicode::is_wordchar: letters, marks, numbers and connector punctuation.
bool IsWordChar(UChar32 c) {
  if (c < 0) return false;
  switch (u_charType(c)) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER:
    case U_CONNECTOR_PUNCTUATION:
      return true;
    default:
      return false;
  }
}

bool IsDigit(UChar32 c) { return c >= 0 && u_charType(c) == U_DECIMAL_DIGIT_NUMBER; }
bool IsZeroWidth(UChar32 c) { return c >= 0x200B && (c <= 0x200D || c == 0x2060 || c == 0xFEFF); }
bool IsAsciiUpper(UChar32 c) { return c >= 'A' && c <= 'Z'; }

void AppendLower(std::string* out, UChar32 c) {
  c = u_tolower(c);
  char buf[U8_MAX_LENGTH];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, U8_MAX_LENGTH, c, error);
  if (!error) out->append(buf, n);
}

// What joins two word characters (0: nothing; -1: joins and is dropped).
UChar32 Infix(UChar32 c, bool between_digits) {
  if (IsZeroWidth(c)) return -1;
  if (between_digits)
    return (c == ',' || c == '.' || c == ';' || c == 0x037E || c == 0x0589 || c == 0x060D ||
            c == 0x07F8 || c == 0x2044 || c == 0xFE10 || c == 0xFE13 || c == 0xFE14)
               ? c
               : 0;
  if (c == '\'' || c == '&' || c == 0xB7 || c == 0x5F4 || c == 0x2027) return c;
  if (c == 0x2019 || c == 0x201B) return '\'';
  return 0;
}

}  // namespace

std::vector<WordSpan> WordSpans(std::string_view text, size_t max_words) {
  std::vector<WordSpan> out;
  size_t i = 0;
  while (i < text.size() && out.size() < max_words) {
    CodePoint c = DecodeAt(text, i);
    if (!IsWordChar(c.cp)) {
      i = c.next;
      continue;
    }
    WordSpan span;
    span.begin = i;
    // Initials with dots between ("U.S.A."), not followed by a letter or digit.
    if (IsAsciiUpper(c.cp)) {
      std::string initials;
      size_t p = i;
      CodePoint q = c;
      while (true) {
        AppendLower(&initials, q.cp);
        p = q.next;
        if (p >= text.size() || text[p] != '.' || p + 1 >= text.size()) break;
        const CodePoint after = DecodeAt(text, p + 1);
        if (!IsAsciiUpper(after.cp)) {
          p = p + 1;
          break;
        }
        q = after;
      }
      if (initials.size() > 1 && (p >= text.size() || !IsWordChar(DecodeAt(text, p).cp))) {
        span.end = p;
        span.word = std::move(initials);
        out.push_back(std::move(span));
        i = p;
        continue;
      }
    }
    std::string word;
    UChar32 prev = 0;
    size_t pos = i;
    bool at_end = false;
    while (true) {
      while (true) {  // a run of word characters
        AppendLower(&word, c.cp);
        prev = c.cp;
        pos = c.next;
        if (pos >= text.size()) {
          at_end = true;
          break;
        }
        c = DecodeAt(text, pos);
        if (!IsWordChar(c.cp)) break;
      }
      if (at_end) break;
      // c is the character after the run, at `pos`: does it join the next run?
      if (c.next >= text.size()) break;
      const CodePoint next = DecodeAt(text, c.next);
      if (!IsWordChar(next.cp)) break;
      const UChar32 infix = Infix(c.cp, IsDigit(prev) && IsDigit(next.cp));
      if (infix == 0) break;
      if (infix > 0) AppendLower(&word, infix);
      c = next;
    }
    // "C++", "C#": up to three '+' or '#', unless a word character follows them.
    if (!at_end) {
      size_t p = pos;
      std::string suffix;
      while (p < text.size() && (text[p] == '+' || text[p] == '#') && suffix.size() < 4) {
        suffix += text[p++];
      }
      if (suffix.size() > 3) {
        // more than three: none kept, and the word ends where the run did
      } else if (!suffix.empty() && (p >= text.size() || !IsWordChar(DecodeAt(text, p).cp))) {
        word += suffix;
        pos = p;
      }
    }
    span.end = pos;
    span.word = std::move(word);
    out.push_back(std::move(span));
    i = pos;
  }
  return out;
}

std::vector<std::string> LowerCaseTokens(std::string_view text, std::string_view punctuation,
                                         size_t max_words) {
  std::vector<std::string> tokens;
  size_t last = 0;
  auto gap = [&](size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k) {
      if (punctuation.find(text[k]) != std::string_view::npos) tokens.emplace_back(1, text[k]);
    }
  };
  std::vector<WordSpan> spans = WordSpans(text, max_words);
  const bool whole = spans.size() < max_words;
  for (WordSpan& span : spans) {
    gap(last, span.begin);
    last = span.end;
    tokens.push_back(std::move(span.word));
  }
  if (whole) gap(last, text.size());
  return tokens;
}

std::vector<std::string> LowerCaseWords(std::string_view text) {
  std::vector<std::string> words;
  for (WordSpan& span : WordSpans(text)) words.push_back(std::move(span.word));
  return words;
}

size_t CountWords(std::string_view text) {
  size_t words = 0;
  bool in_word = false;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool word_char = std::isalnum(c) || c >= 0x80 || ((c == '\'' || c == '-') && in_word);
    if (word_char && !in_word) ++words;
    in_word = word_char;
  }
  return words;
}

std::vector<size_t> WordShingles(std::string_view text) {
  const std::vector<std::string> words = LowerCaseWords(text);
  constexpr size_t kN = 5;
  std::vector<size_t> out;
  auto add = [&](size_t begin, size_t end) {
    std::string s;
    for (size_t k = begin; k < end; ++k) {
      if (k > begin) s += ' ';
      s += words[k];
    }
    out.push_back(std::hash<std::string>{}(s));
  };
  if (words.size() < kN) {
    add(0, words.size());
    return out;
  }
  for (size_t i = 0; i + kN <= words.size(); ++i) add(i, i + kN);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double ShingleSimilarity(const std::vector<size_t>& a, const std::vector<size_t>& b) {
  size_t common = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  const size_t all = a.size() + b.size() - common;
  return all == 0 ? 1.0 : static_cast<double>(common) / static_cast<double>(all);
}

}  // namespace patientqa::corpus
