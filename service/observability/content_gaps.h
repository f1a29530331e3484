#pragma once

#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace patientqa::service::observability {

// What the library fails to answer, counted without keeping anything a patient wrote: each
// refused or weakly answered question adds one to the group named by its recognised question
// type and focus concept — ids from the clinical vocabulary and the fixed list of question types
// (corpus/language/question_type.h), never text and never a hash. A group is reported only once
// it holds at least `min_group_size` questions (k-anonymity), so a rare question cannot be singled
// out. Memory is bounded by the number of types x concepts x 2. Thread-safe.
class ContentGaps {
 public:
  // "refused": answered=false without a safety notice (the library had nothing good enough);
  // "weak": answered, but the best passage covered less than kWeakCoverage of the question's
  // weighted words (the bar that lets a question without a listed word in; service/domain.cc).
  static constexpr double kWeakCoverage = 0.55;

  struct Group {
    std::string outcome;  // "refused" | "weak"
    std::string type;     // first recognised question type, "-" for none
    std::string focus;    // focus concept id, "-" for none
    long count = 0;
  };

  // `min_group_size` >= 1 (the default, 10, is the usual k for small-count suppression).
  explicit ContentGaps(int min_group_size = 10) : k_(min_group_size < 1 ? 1 : min_group_size) {}

  void Add(const std::string& outcome, const std::string& type, const std::string& focus);

  // Groups with at least `min_group_size` questions, largest first.
  std::vector<Group> Report() const;
  int min_group_size() const { return k_; }

 private:
  const int k_;
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, std::string>, long> counts_;
};

}  // namespace patientqa::service::observability
