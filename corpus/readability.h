#pragma once

#include <string_view>

namespace patientqa::corpus {

struct Readability {
  double grade = 0;  // Flesch-Kincaid grade level
  int words = 0;
  int sentences = 0;
  int syllables = 0;
};

// Flesch-Kincaid grade of running text: 0.39 * words/sentence + 11.8 * syllables/word - 15.59.
// Syllables are counted as vowel groups (a silent final 'e' does not count), the usual heuristic;
// tools/fk_grade.py applies the same rules so writers can check a draft.
Readability MeasureReadability(std::string_view text);

// Readability of an article body: heading lines (starting with '#') are left out.
Readability MeasureBodyReadability(std::string_view body);

}  // namespace patientqa::corpus
