#pragma once

// Stemming and stop words shared by indexing, query parsing and answer assembly. Private to index/.

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

namespace patientqa::index {

// The stemmer for the calling thread (Xapian::Stem must not be shared across threads).
const Xapian::Stem& Stemmer();
// English stop words plus question phrasing ("tell", "wondering", ...) that carries no content.
const Xapian::Stopper& Stopper();

// The stems of `text`'s content words (stop words left out), in term order, with or without
// the 'Z' prefix the body field's stemmed terms carry.
std::vector<std::string> ContentTerms(std::string_view text, bool z_prefix);

// A question's features for question-entailment matching (Searcher, SearchRequest::
// entailment_weight): the stems of its content words ("Z<stem>", as the body field indexes them),
// plus "XC<concept id>" for each of `concept_ids` (the search concepts it names, and broader
// ones) and "XY<type id>" for each of `type_ids` (its question types); sorted and unique.
std::vector<std::string> QuestionFeatures(std::string_view text,
                                          const std::vector<std::string>& concept_ids,
                                          const std::vector<std::string>& type_ids);

// Question entailment's similarity of a question to a question variant (or a pinned answer's
// example question), from the rarity mass of the features they share and of each one's features:
// weighted Jaccard, halved when the variant lacks the question's focus concept. 0..1.
inline double EntailmentSimilarity(double shared, double question_mass, double variant_mass,
                                   bool has_focus) {
  const double union_mass = question_mass + variant_mass - shared;
  return union_mass > 0 ? shared / union_mass * (has_focus ? 1.0 : 0.5) : 0;
}

}  // namespace patientqa::index
