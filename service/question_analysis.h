#pragma once

// What a question is about and what kind of answer it wants, as NLM's CHiQA reads consumer health
// questions: its search concepts (corpus/language/search_concepts.h), its focus (the concept the
// question is mainly about) and its question types (corpus/language/question_type.h). The
// searcher matches the concepts against passages' concept terms and the types against the types
// their sections answer.

#include <string>
#include <vector>

#include "corpus/language/question_type.h"
#include "corpus/language/search_concepts.h"
#include "corpus/language/vocabulary.h"
#include "service/triage/triager.h"

namespace patientqa::service {

struct QuestionAnalysis {
  std::vector<corpus::SearchConcept> concepts;  // named ones (depth 0) and broader ones
  // The focus: the first-named concept of the most specific kind (another disease; a treatment,
  // test, finding or subject; a body part; the disease itself), or -1 when it names none.
  int focus = -1;
  std::vector<corpus::QuestionType> types;
  // When the focus is a treatment, test, finding or subject (not a body part or the disease
  // itself), the words (lower case, as
  // the tokenizer cuts them) of the subject's qualifier concepts it names ("stage", "4",
  // "colon", "cancer" in "which chemo drugs are used for stage 4 colon cancer?"); else empty.
  // See corpus::Concept::qualifier.
  std::vector<std::string> qualifier_words;
  std::vector<int> qualifier_concepts;  // their concept indexes
};

// Analyses `question` (already analysed for triage: its mentions are reused).
QuestionAnalysis AnalyzeQuestion(const corpus::Vocabulary& vocabulary,
                                 const triage::AnalyzedText& question);

}  // namespace patientqa::service
