#pragma once

// English words as the system's word lists know them (Debian's wbritish and wamerican packages,
// /usr/share/dict/). The concept matcher forgives a typing slip in a patient's word ("swolen",
// "dizy") only when the word is not itself English ("breeding" is not "bleeding").

#include <string>
#include <string_view>
#include <vector>

namespace patientqa::corpus {

class WordList {
 public:
  // Reads one word per line from each file that exists; words with an apostrophe are skipped,
  // the rest lower-cased. Missing files are not an error: the list is then smaller (empty()).
  static WordList Load(const std::vector<std::string>& paths);

  bool Contains(std::string_view word) const;
  bool empty() const { return words_.empty(); }
  size_t size() const { return words_.size(); }

 private:
  std::vector<std::string> words_;  // sorted, unique
};

// The process-wide list from /usr/share/dict/british-english and american-english, read once on
// first use. Empty when neither is installed (then only long words get typo tolerance).
const WordList& EnglishWords();

}  // namespace patientqa::corpus
