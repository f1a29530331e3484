#include "corpus/text.h"

#include <array>
#include <cctype>
#include <functional>

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

std::vector<std::string> LowerCaseTokens(std::string_view text, std::string_view punctuation) {
  std::vector<std::string> tokens;
  std::string word;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c >= 0x80) {
      word += static_cast<char>(std::tolower(c));
      continue;
    }
    if (!word.empty()) {
      tokens.push_back(std::move(word));
      word.clear();
    }
    if (punctuation.find(ch) != std::string_view::npos) tokens.emplace_back(1, ch);
  }
  if (!word.empty()) tokens.push_back(std::move(word));
  return tokens;
}

std::vector<std::string> LowerCaseWords(std::string_view text) { return LowerCaseTokens(text, ""); }

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

std::set<size_t> WordShingles(std::string_view text) {
  const std::vector<std::string> words = LowerCaseWords(text);
  constexpr size_t kN = 5;
  std::set<size_t> out;
  auto add = [&](size_t begin, size_t end) {
    std::string s;
    for (size_t k = begin; k < end; ++k) {
      if (k > begin) s += ' ';
      s += words[k];
    }
    out.insert(std::hash<std::string>{}(s));
  };
  if (words.size() < kN) {
    add(0, words.size());
    return out;
  }
  for (size_t i = 0; i + kN <= words.size(); ++i) add(i, i + kN);
  return out;
}

double ShingleSimilarity(const std::set<size_t>& a, const std::set<size_t>& b) {
  size_t common = 0;
  for (size_t h : a) common += b.count(h);
  const size_t all = a.size() + b.size() - common;
  return all == 0 ? 1.0 : static_cast<double>(common) / static_cast<double>(all);
}

}  // namespace patientqa::corpus
