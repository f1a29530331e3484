#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace patientqa::service {

// What the scope decision reads: the message, and how much of it the library's index knows.
struct DomainInput {
  std::string_view message;  // the whole message (spelling corrected)
  // Its question sentences, where a long message has a back-story ("My sister had chemo for
  // breast cancer. What do I do if I get a temperature?"); the whole message otherwise.
  std::string_view question;
  std::vector<std::string> history;  // earlier turns
  int content_words = 0;             // content words (after stop words) in `message`
  int question_words = 0;            // content words in `question`, as the search counted them
  int known_words = 0;  // of those, how many the index knows (directly or by a synonym)
};

// Words that tie a message to this library's subject (colorectal cancer that has spread).
struct DomainSignal {
  int strong = 0;  // words only this subject uses: "chemo", "metastases", "MDT", "stoma"
  int weak = 0;    // words it shares with everyday life: "liver", "stage", "treat"
  bool history_strong = false;  // an earlier turn had a strong word
  // The question names another cancer ("prostate cancer") and not the bowel. A back-story that
  // mentions a relative's breast cancer does not make a question about chemo off-topic.
  bool other_cancer = false;
  // A short question ("can they operate?") leans on the conversation; a full one that has
  // moved on ("a good recipe for banana bread?") does not.
  bool short_question = false;
  // Whether the index knows at least half of the question's own words: a follow-up in words the
  // library never uses ("what's the weather like tomorrow?") has left the conversation's subject.
  bool known_words = false;
};

DomainSignal ReadDomain(const DomainInput& input);

// Whether to present passages as an answer, given the domain words and how much of the question
// (weighted by word rarity) the best passage matched. Off-topic messages ("a good recipe for
// banana bread?", "how do I treat moss on my lawn?") have no strong word and match little.
bool InScope(const DomainSignal& signal, double weighted_coverage);

}  // namespace patientqa::service
