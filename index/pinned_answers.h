#pragma once

// Pinned answers (corpus/pinned_answers.h) as the index stores them (schema::kPinsKey) and as the
// searcher matches a question against them. Private to index/.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/language/concept_matcher.h"
#include "corpus/pinned_answers.h"

namespace patientqa::index {

// A pin ready for matching: its example questions already turned into QuestionFeatures with the
// index's stemmer, vocabulary and question types, exactly as a section's question variants are.
struct CompiledPin {
  std::string id;
  double min_similarity = corpus::kDefaultPinSimilarity;
  std::vector<std::string> concepts;               // concept ids the question must all name
  std::vector<std::vector<std::string>> examples;  // QuestionFeatures of each example question
  std::vector<std::string> passage_ids;            // in the order they are shown
};

// The features of a question variant or a pin's example question (`text` as written): its stems,
// the search concepts it names with their broader ones, and its question types.
std::vector<std::string> VariantFeatures(std::string_view text,
                                         const corpus::ConceptMatcher& concepts);

CompiledPin CompilePin(const corpus::PinnedAnswer& pin, const corpus::ConceptMatcher& concepts);

// JSON for the index's metadata, and back. DecodePins throws nlohmann::json::exception on a
// corrupt record; "" decodes to no pins.
std::string EncodePins(const std::vector<CompiledPin>& pins);
std::vector<CompiledPin> DecodePins(const std::string& encoded);

struct PinMatch {
  const CompiledPin* pin = nullptr;  // null: no pin matches
  double similarity = 0;             // to the closest example; 1 for a pin with concepts only
};

// The first pin (in file order) whose intent the question matches: it names every one of the
// pin's concepts (`question_concepts` holds the concepts it names and their broader ones), and,
// when the pin has example questions, it is at least `min_similarity` like one of them. Likeness
// is question entailment's measure (Searcher, SearchRequest::entailment_weight): the weighted
// Jaccard similarity of the two feature sets, each feature weighted by `rarity`, halved for an
// example without the question's focus concept (`focus_feature`, "XC<id>"; "" when none).
PinMatch MatchPin(const std::vector<CompiledPin>& pins,
                  const std::vector<std::string>& question_features,
                  const std::vector<std::string>& question_concepts,
                  const std::string& focus_feature,
                  const std::function<double(const std::string&)>& rarity);

}  // namespace patientqa::index
