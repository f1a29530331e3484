#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace patientqa::service {

// Words that tie a message to this library's subject (colorectal cancer that has spread).
struct DomainSignal {
  int strong = 0;  // words only this subject uses: "chemo", "metastases", "MDT", "stoma"
  int weak = 0;    // words it shares with everyday life: "liver", "stage", "treat"
  bool history_strong = false;  // an earlier turn had a strong word
  bool other_cancer = false;    // names another cancer ("prostate cancer") and not the bowel
  // A short question ("can they operate?") leans on the conversation; a full one that has
  // moved on ("a good recipe for banana bread?") does not.
  bool short_question = false;
};

DomainSignal ReadDomain(std::string_view question, const std::vector<std::string>& history,
                        int content_words);

// Whether to present passages as an answer, given the domain words and how much of the question
// (weighted by word rarity) the best passage matched. Off-topic messages ("a good recipe for
// banana bread?", "how do I treat moss on my lawn?") have no strong word and match little.
bool InScope(const DomainSignal& signal, double weighted_coverage);

}  // namespace patientqa::service
