#include "corpus/language/english_words.h"

#include <algorithm>
#include <cctype>
#include <fstream>

namespace patientqa::corpus {

WordList WordList::Load(const std::vector<std::string>& paths) {
  WordList list;
  for (const std::string& path : paths) {
    std::ifstream in(path);
    std::string word;
    while (std::getline(in, word)) {
      if (word.empty() || word.find('\'') != std::string::npos) continue;
      for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      list.words_.push_back(std::move(word));
    }
  }
  std::sort(list.words_.begin(), list.words_.end());
  list.words_.erase(std::unique(list.words_.begin(), list.words_.end()), list.words_.end());
  list.words_.shrink_to_fit();
  return list;
}

bool WordList::Contains(std::string_view word) const {
  return std::binary_search(words_.begin(), words_.end(), word,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

const WordList& EnglishWords() {
  static const WordList* const words = new WordList(
      WordList::Load({"/usr/share/dict/british-english", "/usr/share/dict/american-english"}));
  return *words;
}

}  // namespace patientqa::corpus
