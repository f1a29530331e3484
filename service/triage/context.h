#pragma once

// ConText (Harkema et al., "ConText: an algorithm for determining negation, experiencer, and
// temporal status from clinical reports", J Biomed Inform 2009;42:839-51), applied to patients'
// messages: trigger terms from corpus/clinical/context.txt decide, for each concept mention,
// whether it is negated, historical or resolved, hypothetical or asked in general, or someone
// else's. A trigger modifies the mentions in its direction, up to its max_scope tokens, within
// its sentence (or the whole text for a max_scope of "all"), and never past a TERMINATE trigger
// or a comma that does not continue a list of findings; PSEUDO triggers ("no increase", "gone up")
// mask the shorter triggers inside them; a trigger inside a concept's own words ("can't pass
// wind") is part of that concept, not a trigger.

#include <string>
#include <vector>

#include "corpus/language/clinical_rules.h"
#include "corpus/language/concept_matcher.h"
#include "corpus/language/tokenizer.h"

namespace patientqa::service::triage {

// A concept mention and its context.
struct ContextualMention {
  corpus::Mention mention;
  int sentence = 0;  // sentence number within its text
  bool negated = false;
  bool historical = false;
  bool hypothetical = false;
  bool other_experiencer = false;
  std::vector<int> triggers;  // indexes of the triggers that modified it
  // Happening now, to the patient: none of the above.
  bool current() const { return !negated && !historical && !hypothetical && !other_experiencer; }
};

// A trigger found in a text (for explanations).
// Sentence number of each token (and one past the end).
std::vector<int> SentenceNumbers(const std::vector<corpus::Token>& tokens);

struct TriggerMatch {
  int trigger = -1;  // index into the trigger list
  size_t begin = 0, end = 0;
};

class ContextAnnotator {
 public:
  ContextAnnotator(const std::vector<corpus::ContextTrigger>& triggers,
                   const corpus::Vocabulary& vocabulary);

  // Annotates `mentions` (in text order, from ConceptMatcher::Match over the same tokens). A
  // trigger that lies inside a longer mention is part of it, and a mention inside a longer
  // trigger is part of that; both are left out. `found` (optional) receives the triggers kept.
  std::vector<ContextualMention> Annotate(const std::vector<corpus::Token>& tokens,
                                          const std::vector<corpus::Mention>& mentions,
                                          std::vector<TriggerMatch>* found = nullptr) const;

  // The triggers of `tokens`, leaving out those inside a concept's own words.
  std::vector<TriggerMatch> FindTriggers(const std::vector<corpus::Token>& tokens,
                                         const std::vector<corpus::Mention>& mentions) const;
  // `mentions` without those that lie inside a longer trigger's words ("back" in "back in 2022").
  std::vector<corpus::Mention> OutsideTriggers(const std::vector<corpus::Mention>& mentions,
                                               const std::vector<TriggerMatch>& triggers) const;
  // Token positions where a finding mention begins (a comma before one continues a list).
  std::vector<size_t> ListItems(const std::vector<corpus::Mention>& mentions) const;
  // What Apply needs to know about one text, computed once so that annotating a text is
  // linear in its mentions times its triggers, not in its length too.
  struct Scopes {
    std::vector<int> sentence;           // SentenceNumbers(tokens)
    std::vector<int> terminates_before;  // [k]: TERMINATE triggers beginning before token k
    std::vector<int> breaks_before;      // [k]: commas before token k that end a forward scope
  };
  // `list_items` as ListItems returns them.
  Scopes PrepareScopes(const std::vector<corpus::Token>& tokens,
                       const std::vector<TriggerMatch>& triggers,
                       const std::vector<size_t>& list_items) const;
  // Applies `triggers` to one mention (adding to its flags), except the trigger ids in `skip`.
  // `scopes` comes from PrepareScopes over the same tokens and triggers.
  void Apply(const Scopes& scopes, const std::vector<TriggerMatch>& triggers,
             ContextualMention* mention, const std::vector<int>& skip = {}) const;

  const std::vector<corpus::ContextTrigger>& triggers() const { return triggers_; }

 private:
  const std::vector<corpus::ContextTrigger>& triggers_;
  const corpus::Vocabulary& vocabulary_;
  corpus::TokenTrie trie_;
};

}  // namespace patientqa::service::triage
