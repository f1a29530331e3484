#include "corpus/language/search_concepts.h"

#include <algorithm>
#include <array>
#include <map>

#include "corpus/language/normalizer.h"
#include "corpus/language/tokenizer.h"

namespace patientqa::corpus {

bool IsSearchConceptType(std::string_view type) {
  static constexpr std::array<std::string_view, 11> kSearched = {
      "finding",         "treatment", "test",         "body",
      "disease",         "subject",   "measure",      "other-condition",
      "outside-subject", "self-harm", "other-disease"};
  return std::find(kSearched.begin(), kSearched.end(), type) != kSearched.end();
}

std::vector<SearchConcept> SearchConcepts(const Vocabulary& vocabulary,
                                          const std::vector<Mention>& mentions) {
  const std::vector<Concept>& concepts = vocabulary.concepts();
  std::map<int, int> depth;  // concept -> smallest depth
  auto visit = [&](auto&& self, int c, int d) -> void {
    if (c < 0 || c >= static_cast<int>(concepts.size())) return;
    auto it = depth.find(c);
    if (it != depth.end() && it->second <= d) return;
    depth[c] = d;
    for (const std::string& parent : concepts[c].parents)
      self(self, vocabulary.Find(parent), d + 1);
  };
  for (const Mention& m : mentions) {
    if (m.concept_index >= 0 && IsSearchConceptType(concepts[m.concept_index].type)) {
      visit(visit, m.concept_index, 0);
    }
  }
  std::vector<SearchConcept> out;
  for (const auto& [c, d] : depth) {
    if (IsSearchConceptType(concepts[c].type)) out.push_back({c, d});
  }
  return out;
}

std::vector<SearchConcept> SearchConceptsIn(const ConceptMatcher& matcher, std::string_view text) {
  return SearchConcepts(matcher.vocabulary(), matcher.Match(Tokenize(NormalizeText(text))));
}

}  // namespace patientqa::corpus
