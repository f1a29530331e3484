#pragma once

// Concepts as search terms (concept indexing, as UMLS/MetaMap-style systems do): a passage is
// indexed under every vocabulary concept it mentions and every broader concept of those, and a
// question is searched by the concepts it names, so "secondaries", "mets" and "spread", or
// "bowel", "colon" and "rectal", meet as one concept whatever the words. Only concepts that say
// what a text is about are search concepts: findings, treatments, tests, body parts, diseases,
// subjects and the other diseases and conditions; modifiers ("not", "since"), people, units and
// grammatical words are not (KnownConceptTypes() lists every type).

#include <string>
#include <vector>

#include "corpus/language/concept_matcher.h"
#include "corpus/language/vocabulary.h"

namespace patientqa::corpus {

struct SearchConcept {
  int concept_index = -1;  // index into Vocabulary::concepts()
  // 0: named in the text; 1: the broader concept of a named one ("is:"); 2: broader again ...
  int depth = 0;
};

// Whether concepts of this type are search concepts (see above).
bool IsSearchConceptType(std::string_view type);

// The search concepts `mentions` name, each once at its smallest depth, with their broader
// concepts; in concept order. `mentions` come from a ConceptMatcher over the same vocabulary.
std::vector<SearchConcept> SearchConcepts(const Vocabulary& vocabulary,
                                          const std::vector<Mention>& mentions);

// The same for `text` (normalised and tokenised here): for the indexer, which has no mentions.
std::vector<SearchConcept> SearchConceptsIn(const ConceptMatcher& matcher, std::string_view text);

}  // namespace patientqa::corpus
