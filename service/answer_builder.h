#pragma once

#include <string>
#include <vector>

#include "index/searcher.h"

namespace patientqa::service {

struct AnswerOptions {
  int max_sentences = 3;
  int max_words = 90;
  int passages_considered = 3;
  // For "What is X?": X. A sentence that defines it ("X is ...") comes first.
  std::string definition_subject;
};

// Builds the short extractive answer: 1..max_sentences sentences quoted verbatim from the top
// passages, chosen for how many of the question's content terms they contain (favouring better
// ranked passages and sentences that add terms not yet covered), each followed by " [n]" where n
// is the 1-based rank of its passage. Empty when `hits` is empty.
std::string BuildExtractiveAnswer(const std::vector<index::Hit>& hits,
                                  const std::vector<std::string>& query_terms,
                                  const index::Searcher& searcher,
                                  const AnswerOptions& options = {});

}  // namespace patientqa::service
