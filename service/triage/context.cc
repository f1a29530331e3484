#include "service/triage/context.h"

#include <algorithm>
#include <set>

namespace patientqa::service::triage {

namespace {
const std::string kFinding = "finding";
}  // namespace

using corpus::ContextCategory;
using corpus::ContextDirection;

ContextAnnotator::ContextAnnotator(const std::vector<corpus::ContextTrigger>& triggers,
                                   const corpus::Vocabulary& vocabulary)
    : triggers_(triggers), vocabulary_(vocabulary) {
  for (size_t i = 0; i < triggers.size(); ++i) {
    trie_.Add(triggers[i].tokens, triggers[i].prefix, static_cast<int>(i));
  }
}

std::vector<int> SentenceNumbers(const std::vector<corpus::Token>& tokens) {
  std::vector<int> sentence(tokens.size() + 1, 0);
  int s = 0;
  for (size_t k = 0; k < tokens.size(); ++k) {
    sentence[k] = s;
    if (corpus::EndsSentence(tokens[k])) ++s;
  }
  sentence[tokens.size()] = tokens.empty() ? 0 : sentence[tokens.size() - 1];
  return sentence;
}

namespace {

// Whether [inner_begin, inner_end) lies inside [outer_begin, outer_end) and is shorter.
bool StrictlyInside(size_t inner_begin, size_t inner_end, size_t outer_begin, size_t outer_end) {
  return outer_begin <= inner_begin && inner_end <= outer_end &&
         inner_end - inner_begin < outer_end - outer_begin;
}

}  // namespace

std::vector<TriggerMatch> ContextAnnotator::FindTriggers(
    const std::vector<corpus::Token>& tokens, const std::vector<corpus::Mention>& mentions) const {
  std::vector<TriggerMatch> out;
  for (const corpus::TokenTrie::Match& t : trie_.FindAll(tokens)) {
    // "can't" inside "can't pass wind" is part of the finding, not a negation.
    const bool inside_concept = std::any_of(mentions.begin(), mentions.end(), [&](const auto& m) {
      return StrictlyInside(t.begin, t.end, m.begin, m.end);
    });
    if (inside_concept) continue;
    for (int p : t.payloads) out.push_back({p, t.begin, t.end});
  }
  return out;
}

std::vector<corpus::Mention> ContextAnnotator::OutsideTriggers(
    const std::vector<corpus::Mention>& mentions, const std::vector<TriggerMatch>& triggers) const {
  // "back" inside "back in 2022", "side effect" inside "a side effect of": the trigger's words.
  std::vector<corpus::Mention> out;
  for (const corpus::Mention& m : mentions) {
    // Only triggers that modify (not PSEUDO or TERMINATE ones) take a concept's words.
    const bool inside_trigger = std::any_of(triggers.begin(), triggers.end(), [&](const auto& t) {
      return triggers_[t.trigger].category != ContextCategory::kNone &&
             StrictlyInside(m.begin, m.end, t.begin, t.end);
    });
    if (!inside_trigger) out.push_back(m);
  }
  return out;
}

ContextAnnotator::Scopes ContextAnnotator::PrepareScopes(
    const std::vector<corpus::Token>& tokens, const std::vector<TriggerMatch>& triggers,
    const std::vector<size_t>& list_items) const {
  Scopes scopes;
  scopes.sentence = SentenceNumbers(tokens);
  const size_t n = tokens.size();
  std::vector<int> terminate_at(n + 1, 0);
  for (const TriggerMatch& t : triggers) {
    if (triggers_[t.trigger].direction == ContextDirection::kTerminate && t.begin < n) {
      ++terminate_at[t.begin];
    }
  }
  std::vector<bool> list_item(n + 2, false);
  for (size_t k : list_items) {
    if (k < list_item.size()) list_item[k] = true;
  }
  scopes.terminates_before.assign(n + 1, 0);
  scopes.breaks_before.assign(n + 1, 0);
  for (size_t k = 0; k < n; ++k) {
    // A comma that does not continue a list of findings ("no fever, chills or cough" continues;
    // "no temperature, drinking plenty" does not) ends a forward scope.
    bool breaks = false;
    if (tokens[k].kind == corpus::TokenKind::kPunct && tokens[k].text == ",") {
      size_t next = k + 1;
      if (next < n &&
          (tokens[next].text == "or" || tokens[next].text == "and" || tokens[next].text == "nor")) {
        ++next;
      }
      breaks = !list_item[next];
    }
    scopes.terminates_before[k + 1] = scopes.terminates_before[k] + terminate_at[k];
    scopes.breaks_before[k + 1] = scopes.breaks_before[k] + (breaks ? 1 : 0);
  }
  return scopes;
}

void ContextAnnotator::Apply(const Scopes& scopes, const std::vector<TriggerMatch>& triggers,
                             ContextualMention* cm, const std::vector<int>& skip) const {
  const std::vector<int>& sentence = scopes.sentence;
  const size_t n = scopes.terminates_before.size() - 1;  // tokens
  const corpus::Mention& m = cm->mention;
  // A descriptor ("swollen", "watery") is qualified by context like the finding it describes.
  const std::string& own_type = vocabulary_.concepts()[m.concept_index].type;
  const std::string& type = own_type == "descriptor" ? kFinding : own_type;
  // A TERMINATE trigger in [from, to), or (for a forward scope only: "fever yesterday, gone
  // now") a comma that ends a list.
  auto blocked = [&](size_t from, size_t to, bool forward_scope) {
    from = std::min(from, n);
    to = std::min(std::max(to, from), n);
    if (scopes.terminates_before[to] - scopes.terminates_before[from] > 0) return true;
    return forward_scope && scopes.breaks_before[to] - scopes.breaks_before[from] > 0;
  };
  for (const TriggerMatch& t : triggers) {
    const corpus::ContextTrigger& trigger = triggers_[t.trigger];
    if (trigger.category == ContextCategory::kNone) continue;
    if (std::find(skip.begin(), skip.end(), t.trigger) != skip.end()) continue;
    if (std::find(trigger.targets.begin(), trigger.targets.end(), type) == trigger.targets.end()) {
      continue;
    }
    const bool whole_text = trigger.max_scope < 0;
    if (!whole_text && sentence[m.begin] != sentence[t.begin]) continue;
    const size_t scope = trigger.max_scope > 0 ? static_cast<size_t>(trigger.max_scope) : n + 1;
    const bool forward = trigger.direction == ContextDirection::kForward ||
                         trigger.direction == ContextDirection::kBidirectional;
    const bool backward = trigger.direction == ContextDirection::kBackward ||
                          trigger.direction == ContextDirection::kBidirectional;
    bool in_scope = false;
    if (forward && m.begin >= t.end && m.begin - t.end < scope &&
        (whole_text || !blocked(t.end, m.begin, true))) {
      in_scope = true;
    }
    if (backward && m.end <= t.begin && t.begin - m.end < scope &&
        (whole_text || !blocked(m.end, t.begin, false))) {
      in_scope = true;
    }
    if (!in_scope) continue;
    switch (trigger.category) {
      case ContextCategory::kNegated:
        cm->negated = true;
        break;
      case ContextCategory::kHistorical:
        cm->historical = true;
        break;
      case ContextCategory::kHypothetical:
        cm->hypothetical = true;
        break;
      case ContextCategory::kOtherExperiencer:
        cm->other_experiencer = true;
        break;
      case ContextCategory::kNone:
        break;
    }
    cm->triggers.push_back(t.trigger);
  }
}

std::vector<size_t> ContextAnnotator::ListItems(
    const std::vector<corpus::Mention>& mentions) const {
  std::vector<size_t> out;
  for (const corpus::Mention& m : mentions) {
    const std::string& type = vocabulary_.concepts()[m.concept_index].type;
    if (type == "finding" || type == "descriptor") out.push_back(m.begin);
  }
  return out;
}

std::vector<ContextualMention> ContextAnnotator::Annotate(
    const std::vector<corpus::Token>& tokens, const std::vector<corpus::Mention>& mentions,
    std::vector<TriggerMatch>* found) const {
  const std::vector<TriggerMatch> triggers = FindTriggers(tokens, mentions);
  const std::vector<corpus::Mention> kept = OutsideTriggers(mentions, triggers);
  const Scopes scopes = PrepareScopes(tokens, triggers, ListItems(kept));
  std::vector<ContextualMention> out;
  out.reserve(kept.size());
  for (const corpus::Mention& m : kept) {
    ContextualMention cm;
    cm.mention = m;
    cm.sentence = scopes.sentence[m.begin];
    Apply(scopes, triggers, &cm);
    out.push_back(std::move(cm));
  }
  if (found) *found = triggers;
  return out;
}

}  // namespace patientqa::service::triage
