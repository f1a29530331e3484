#pragma once

// Whether a question is about this library's subject (colorectal cancer that has spread), and
// which topics it touches: both read off the clinical vocabulary's concepts (their `scope` and
// `topic` attributes, corpus/clinical/vocabulary.txt), never off word lists of their own.

#include <string>
#include <vector>

#include "corpus/article.h"
#include "corpus/language/vocabulary.h"
#include "service/triage/triager.h"

namespace patientqa::service {

// What the scope decision reads: the message, and how much of it the library's index knows.
struct DomainInput {
  const corpus::Vocabulary* vocabulary = nullptr;
  const triage::AnalyzedText* message = nullptr;  // the whole message (spelling corrected)
  // Its question sentences, where a long message has a back-story ("My sister had chemo for
  // breast cancer. What do I do if I get a temperature?"); the whole message otherwise.
  const triage::AnalyzedText* question = nullptr;
  const std::vector<triage::AnalyzedText>* history = nullptr;  // earlier turns (may be null)
  int content_words = 0;  // content words (after stop words) in `message`
  // Every content word is a single character ("x", "x?"): a letter matches passages ("X-rays")
  // but asks nothing.
  bool single_characters_only = false;
  int question_words = 0;  // content words in `question`, as the search counted them
  int known_words = 0;     // of those, how many the index knows (directly or by a synonym)
  // The triage raised a notice (urgent, or contact the team): the message describes something
  // that happens to people with this cancer ("my skin has gone yellow"), so it is in scope.
  bool triaged = false;
};

// Words that tie a message to this library's subject.
struct DomainSignal {
  int strong = 0;  // mentions of concepts only this subject uses: "chemo", "metastases", "MDT"
  int weak = 0;    // mentions of concepts shared with everyday life: "liver", "stage", "pain"
  bool history_strong = false;  // an earlier turn had a strong mention
  // The question's focus is another disease ("prostate cancer", "NSCLC", "rectal carcinoid"):
  // it names one, and the message does not name bowel cancer itself (a bowel word together with
  // "cancer", "metastases" or "stage 4"; "spread" alone is not enough: "a neuroendocrine tumour
  // in his small bowel has spread to his liver"), whatever bowel words it shares. A back-story that
  // mentions a relative's breast cancer does not make a question off-topic.
  bool other_cancer = false;
  // The question names another illness ("diabetes", "shingles", "Crohn's"): off-topic unless
  // the message names the cancer itself: bowel cancer, metastases, stage 4
  // or an anticancer treatment ("I'm on FOLFOX and have diabetes"). The bowel's own words do not
  // count: "Mum has Crohn's and her bowel is inflamed, will she need a stoma?" is about Crohn's.
  bool other_condition = false;
  bool names_the_cancer = false;
  // An animal is the one who is ill ("my dog has bowel cancer that has spread", "can vets give
  // chemo to cats?", concept type `animal-patient`): off-topic whatever else the message names.
  bool animal_patient = false;
  // The question is about bowel cancer but not about its spread: screening, polyps, first
  // symptoms, prevention (concept type `outside-subject`), with no word of spread or stage 4.
  bool outside_subject = false;
  // The other disease or subject the question names, as written (normalised), for the reply:
  // "This library ... does not cover rectal carcinoid."
  std::string named;
  // A short question ("can they operate?") leans on the conversation; a full one that has
  // moved on ("a good recipe for banana bread?") does not.
  bool short_question = false;
  // DomainInput::single_characters_only: nothing to answer, whatever a passage matches.
  bool no_words = false;
  // Whether the index knows at least half of the question's own words: a follow-up in words the
  // library never uses ("what's the weather like tomorrow?") has left the conversation's subject.
  // A follow-up with no words of its own ("who is in it?", after "What is an MDT?") has not.
  bool known_words = false;
  bool triaged = false;  // see DomainInput::triaged
};

DomainSignal ReadDomain(const DomainInput& input);

// Whether to present passages as an answer, given the domain words and how much of the question
// (weighted by word rarity) the best passage matched. Off-topic messages ("a good recipe for
// banana bread?", "how do I treat moss on my lawn?") have no strong word and match little.
bool InScope(const DomainSignal& signal, double weighted_coverage);

// The corpus topics of the concepts mentioned in `text`, in the corpus's topic order. Empty when
// no concept with a topic is mentioned.
std::vector<corpus::TopicInfo> DetectTopics(const corpus::Vocabulary& vocabulary,
                                            const triage::AnalyzedText& text);

}  // namespace patientqa::service
