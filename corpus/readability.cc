#include "corpus/readability.h"

#include <cctype>
#include <string>

namespace patientqa::corpus {
namespace {

bool IsVowel(char c) {
  switch (c) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
    case 'y':
      return true;
    default:
      return false;
  }
}

int Syllables(const std::string& word) {
  int groups = 0;
  bool in_group = false;
  for (char c : word) {
    const bool v = IsVowel(c);
    if (v && !in_group) ++groups;
    in_group = v;
  }
  const size_t n = word.size();
  if (n >= 2 && word[n - 1] == 'e' && word[n - 2] != 'l' && groups > 1) --groups;
  return groups < 1 ? 1 : groups;
}

}  // namespace

Readability MeasureReadability(std::string_view text) {
  Readability r;
  std::string word;
  bool sentence_has_letters = false;
  auto end_word = [&] {
    if (word.empty()) return;
    ++r.words;
    r.syllables += Syllables(word);
    word.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (std::isalpha(c) || (!word.empty() && (c == '\'' || c == '-'))) {
      word += static_cast<char>(std::tolower(c));
      sentence_has_letters = sentence_has_letters || std::isalpha(c);
      continue;
    }
    end_word();
    // A sentence ends at a run of . ! ? followed by white space or the end of the text.
    if (c == '.' || c == '!' || c == '?') {
      size_t j = i;
      while (j + 1 < text.size() &&
             (text[j + 1] == '.' || text[j + 1] == '!' || text[j + 1] == '?'))
        ++j;
      if (j + 1 >= text.size() || std::isspace(static_cast<unsigned char>(text[j + 1]))) {
        if (sentence_has_letters) ++r.sentences;
        sentence_has_letters = false;
      }
      i = j;
    }
  }
  end_word();
  if (sentence_has_letters) ++r.sentences;
  if (r.words > 0 && r.sentences > 0) {
    r.grade = 0.39 * r.words / r.sentences + 11.8 * r.syllables / r.words - 15.59;
  }
  return r;
}

Readability MeasureBodyReadability(std::string_view body) {
  std::string text;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view line = body.substr(start, end - start);
    if (line.empty() || line.front() != '#') {
      text.append(line);
      text += '\n';
    }
    start = end + 1;
  }
  return MeasureReadability(text);
}

}  // namespace patientqa::corpus
