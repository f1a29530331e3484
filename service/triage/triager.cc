#include "service/triage/triager.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "corpus/language/normalizer.h"

namespace patientqa::service::triage {

using corpus::TriageAtom;

namespace {
// Sentence numbers of earlier turns are offset by this much per turn, so "same sentence" never
// joins two turns and the new message's sentences stay below it.
constexpr int kTurnStride = 100000;
}  // namespace

using corpus::TriageLevel;
using corpus::TriageRule;

struct Triager::Evidence {
  struct Item {
    const ContextualMention* mention;
    int sentence;  // unique across turns
    bool past;     // historical: counts only for `ever:` atoms
  };
  std::vector<Item> items;
  bool message_has_findings = false;  // the new message has current findings of its own
};

absl::StatusOr<std::unique_ptr<Triager>> Triager::Create(
    std::unique_ptr<const corpus::ClinicalRules> rules) {
  if (!rules) return absl::InvalidArgumentError("triage needs clinical rules");
  return std::unique_ptr<Triager>(new Triager(std::move(rules)));
}

Triager::Triager(std::unique_ptr<const corpus::ClinicalRules> rules)
    : rules_(std::move(rules)),
      matcher_(rules_->vocabulary, &corpus::EnglishWords()),
      context_(rules_->context, rules_->vocabulary) {}

namespace {

// Parts of a composed concept must lie within this many tokens of each other, in one sentence.
constexpr size_t kCompositionWindow = 20;

// Adds a mention for each `combines:` line of the vocabulary whose parts all occur close
// together in one sentence ("my tummy has swollen up" -> abdominal-swelling; "haven't pooed" ->
// no-stool-or-wind). The composed mention takes the context of its parts: a negated part makes
// it negated, unless the part was asked for negated ("no:"), in which case its other context
// (asked in general, past, someone else's) still carries over.
// `consumed` receives, for each composed mention (by position in `mentions`), the triggers that
// negated its "no:" parts: they made the finding and must not negate it again.
void Compose(const corpus::Vocabulary& v, std::vector<ContextualMention>* mentions,
             std::vector<std::pair<size_t, std::vector<int>>>* consumed) {
  const auto& concepts = v.concepts();
  for (size_t c = 0; c < concepts.size(); ++c) {
    for (const auto& parts : concepts[c].combines) {
      const size_t existing = mentions->size();
      for (size_t first = 0; first < existing; ++first) {
        // Each composition starts from a mention of its first part.
        auto matches = [&](const ContextualMention& m, const corpus::Concept::Part& part) {
          if (v.IsA(m.mention.concept_index, static_cast<int>(c))) return false;
          if (part.negated != m.negated) return false;
          for (int alt : part.alternatives) {
            if (v.IsA(m.mention.concept_index, alt)) return true;
          }
          return false;
        };
        const ContextualMention& anchor = (*mentions)[first];
        if (!matches(anchor, parts[0])) continue;
        ContextualMention composed;
        composed.mention.concept_index = static_cast<int>(c);
        composed.mention.begin = anchor.mention.begin;
        composed.mention.end = anchor.mention.end;
        composed.sentence = anchor.sentence;
        std::vector<const ContextualMention*> chosen = {&anchor};
        bool complete = true;
        for (size_t p = 1; p < parts.size() && complete; ++p) {
          const ContextualMention* nearest = nullptr;
          size_t best = 0;
          for (size_t i = 0; i < existing; ++i) {
            const ContextualMention& m = (*mentions)[i];
            if (m.sentence != anchor.sentence || !matches(m, parts[p])) continue;
            const size_t distance =
                m.mention.begin >= anchor.mention.end
                    ? m.mention.begin - anchor.mention.end
                    : anchor.mention.begin - std::min(anchor.mention.begin, m.mention.end);
            if (!nearest || distance < best) {
              nearest = &m;
              best = distance;
            }
          }
          if (!nearest) {
            complete = false;
          } else {
            chosen.push_back(nearest);
          }
        }
        if (!complete) continue;
        std::vector<int> used_negations;
        for (size_t p = 0; p < chosen.size(); ++p) {
          const ContextualMention& m = *chosen[p];
          composed.mention.begin = std::min(composed.mention.begin, m.mention.begin);
          composed.mention.end = std::max(composed.mention.end, m.mention.end);
          if (parts[p].negated) {
            used_negations.insert(used_negations.end(), m.triggers.begin(), m.triggers.end());
          }
          if (!parts[p].negated) composed.negated |= m.negated;
          composed.historical |= m.historical;
          composed.hypothetical |= m.hypothetical;
          composed.other_experiencer |= m.other_experiencer;
          composed.triggers.insert(composed.triggers.end(), m.triggers.begin(), m.triggers.end());
          if (m.mention.has_value() &&
              (!composed.mention.has_value() || m.mention.value > composed.mention.value)) {
            composed.mention.value = m.mention.value;
          }
        }
        if (composed.mention.end - composed.mention.begin > kCompositionWindow) continue;
        const bool duplicate =
            std::any_of(mentions->begin(), mentions->end(), [&](const ContextualMention& m) {
              return m.mention.concept_index == composed.mention.concept_index &&
                     m.mention.begin == composed.mention.begin &&
                     m.mention.end == composed.mention.end;
            });
        if (!duplicate) {
          consumed->push_back({mentions->size(), std::move(used_negations)});
          mentions->push_back(std::move(composed));
        }
      }
    }
  }
}

// Words between quotation marks are mentioned, not experienced ("the nurse wrote 'sudden severe
// tummy pain' on my card"): findings inside a quotation of up to 15 tokens are hypothetical.
void MarkQuotations(const corpus::Vocabulary& v, const std::vector<corpus::Token>& tokens,
                    std::vector<ContextualMention>* mentions) {
  std::vector<size_t> quotes;
  for (size_t k = 0; k < tokens.size(); ++k) {
    if (tokens[k].kind == corpus::TokenKind::kPunct && tokens[k].text == "\"") quotes.push_back(k);
  }
  for (size_t q = 0; q + 1 < quotes.size(); q += 2) {
    const size_t open = quotes[q], close = quotes[q + 1];
    if (close - open > 16) continue;
    for (ContextualMention& m : *mentions) {
      const std::string& type = v.concepts()[m.mention.concept_index].type;
      if (m.mention.begin > open && m.mention.end <= close &&
          (type == "finding" || type == "descriptor")) {
        m.hypothetical = true;
      }
    }
  }
}

}  // namespace

AnalyzedText Triager::Analyze(std::string_view text) const {
  AnalyzedText a;
  a.normalized = corpus::NormalizeText(text);
  a.tokens = corpus::Tokenize(a.normalized);
  const std::vector<corpus::Mention> found = matcher_.Match(a.tokens);
  a.mentions = context_.Annotate(a.tokens, found, &a.triggers);
  // Composed findings get the context of their parts, and of triggers that reach their own span
  // ("what happens if someone takes too much capecitabine?").
  std::vector<std::pair<size_t, std::vector<int>>> consumed;
  Compose(rules_->vocabulary, &a.mentions, &consumed);
  std::vector<corpus::Mention> base;
  for (const ContextualMention& m : a.mentions) base.push_back(m.mention);
  const ContextAnnotator::Scopes scopes =
      context_.PrepareScopes(a.tokens, a.triggers, context_.ListItems(base));
  for (const auto& [index, skip] : consumed) {
    context_.Apply(scopes, a.triggers, &a.mentions[index], skip);
  }
  MarkQuotations(rules_->vocabulary, a.tokens, &a.mentions);
  std::stable_sort(a.mentions.begin(), a.mentions.end(),
                   [](const auto& x, const auto& y) { return x.mention.begin < y.mention.begin; });
  // Someone named and then said to be on treatment ("my friend is on chemo and has a
  // temperature") is a patient too: their findings are not dismissed as someone else's. Only a
  // FORWARD trigger names a person that way; "I'm the one with cancer" (BACKWARD) does not. Nor
  // does a treatment the writer names as their own ("my neighbour's girl has a temperature, is it
  // safe to be near her while I'm on chemo?"): "I", "I'm" or "my" just before it (within three
  // words, after the person). "Like me" does not make it the writer's: "my sister, who like me is
  // on FOLFOX, has a temperature" is still her temperature, and urgent.
  const auto& concepts = rules_->vocabulary.concepts();
  const std::vector<int>& sentence = scopes.sentence;
  const auto writers_own = [&](size_t person_end, size_t treatment_begin) {
    static const std::set<std::string, std::less<>> kWriter = {"i",  "im",  "i'm", "ive",  "i've",
                                                               "id", "i'd", "ill", "i'll", "my"};
    const size_t from = std::max(person_end, treatment_begin >= 3 ? treatment_begin - 3 : 0);
    for (size_t i = from; i < treatment_begin && i < a.tokens.size(); ++i) {
      if (kWriter.count(a.tokens[i].text)) return true;
    }
    return false;
  };
  for (const TriggerMatch& t : a.triggers) {
    const corpus::ContextTrigger& trigger = rules_->context[t.trigger];
    if (trigger.category != corpus::ContextCategory::kOtherExperiencer ||
        trigger.direction != corpus::ContextDirection::kForward) {
      continue;
    }
    const bool treated = std::any_of(a.mentions.begin(), a.mentions.end(), [&](const auto& m) {
      return concepts[m.mention.concept_index].type == "treatment" && !m.negated &&
             !m.hypothetical && m.mention.begin >= t.end && m.sentence == sentence[t.begin] &&
             !writers_own(t.end, m.mention.begin);
    });
    if (!treated) continue;
    for (ContextualMention& m : a.mentions) {
      if (m.sentence == sentence[t.begin] && m.mention.begin >= t.end) m.other_experiencer = false;
    }
  }
  return a;
}

Triager::Evidence Triager::Gather(const AnalyzedText& message,
                                  const std::vector<AnalyzedText>& history) const {
  Evidence e;
  auto past = [](const ContextualMention& m) {
    return m.historical && !m.negated && !m.hypothetical && !m.other_experiencer;
  };
  const auto& concepts = rules_->vocabulary.concepts();
  for (const ContextualMention& m : message.mentions) {
    if (m.current() || past(m)) e.items.push_back({&m, m.sentence, !m.current()});
    e.message_has_findings |=
        m.current() && (concepts[m.mention.concept_index].type == "finding" ||
                        concepts[m.mention.concept_index].type == "self-harm");
  }
  // Does the new message ask in general, deny, or speak of the past? Then the last turn's
  // findings are not carried into it.
  const bool qualifies =
      std::any_of(message.triggers.begin(), message.triggers.end(), [&](const TriggerMatch& t) {
        return rules_->context[t.trigger].category != corpus::ContextCategory::kNone;
      });
  const size_t first = history.size() > 3 ? history.size() - 3 : 0;
  for (size_t h = first; h < history.size(); ++h) {
    const bool last = h + 1 == history.size();
    for (const ContextualMention& m : history[h].mentions) {
      if (!m.current() && !past(m)) continue;
      const bool context_type = concepts[m.mention.concept_index].type != "finding";
      if (context_type || (last && !qualifies)) {
        e.items.push_back({&m, static_cast<int>(h + 1) * kTurnStride + m.sentence, !m.current()});
      }
    }
  }
  return e;
}

namespace {

bool Compare(double value, const std::string& op, double threshold) {
  if (op == ">=") return value >= threshold;
  if (op == ">") return value > threshold;
  if (op == "<=") return value <= threshold;
  if (op == "<") return value < threshold;
  return true;
}

}  // namespace

bool Triager::Fires(const TriageRule& rule, const Evidence& e) const {
  const corpus::Vocabulary& v = rules_->vocabulary;
  auto holds = [&](const TriageAtom& atom, const Evidence::Item& item) {
    if (item.past && !atom.ever) return false;
    const corpus::Mention& m = item.mention->mention;
    if (!v.IsA(m.concept_index, atom.concept_index)) return false;
    if (atom.op.empty()) return true;
    if (atom.minutes) return m.has_minutes() && Compare(m.minutes, atom.op, atom.threshold);
    return m.has_value() && Compare(m.value, atom.op, atom.threshold);
  };
  for (const TriageAtom& atom : rule.unless) {
    for (const Evidence::Item& item : e.items) {
      if (holds(atom, item)) return false;
    }
  }
  for (const corpus::TriageCondition& condition : rule.when) {
    bool all_terms = true;
    bool uses_message = false;  // some term holds in a sentence of the new message
    for (const auto& groups : condition.terms) {
      // Sentences in which each group of this term is mentioned; the term holds when one
      // sentence has them all.
      // Each group's sentences, sorted and unique. Most messages name nothing a rule asks for,
      // so the lists are usually empty and nothing is allocated.
      std::vector<std::vector<int>> sentences(groups.size());
      for (size_t g = 0; g < groups.size(); ++g) {
        for (const Evidence::Item& item : e.items) {
          for (const TriageAtom& atom : groups[g]) {
            if (holds(atom, item)) sentences[g].push_back(item.sentence);
          }
        }
        std::sort(sentences[g].begin(), sentences[g].end());
        sentences[g].erase(std::unique(sentences[g].begin(), sentences[g].end()),
                           sentences[g].end());
        if (sentences[g].empty()) break;  // no sentence can have them all
      }
      bool term = false;
      for (int s : sentences[0]) {
        const bool here =
            std::all_of(sentences.begin() + 1, sentences.end(), [&](const std::vector<int>& other) {
              return std::binary_search(other.begin(), other.end(), s);
            });
        if (!here) continue;
        term = true;
        uses_message |= s < kTurnStride;
      }
      if (!term) {
        all_terms = false;
        break;
      }
    }
    // A message with findings of its own is triaged on them: an earlier turn's emergency is not
    // raised again for "my skin has gone yellow" (it was raised when it was written), but it still
    // counts with the new message's findings ("and now I can't pass wind" after "I'm vomiting").
    if (all_terms && (uses_message || !e.message_has_findings)) return true;
  }
  return false;
}

TriageResult Triager::Assess(const AnalyzedText& message,
                             const std::vector<AnalyzedText>& history) const {
  TriageResult result;
  result.language =
      GuessLanguage(message.normalized, message.tokens, message.mentions, rules_->languages);
  if (result.language.other) return result;
  const Evidence evidence = Gather(message, history);
  const TriageRule* best = nullptr;
  std::vector<const TriageRule*> fired;
  for (const TriageRule& rule : rules_->triage) {
    if (!Fires(rule, evidence)) continue;
    fired.push_back(&rule);
    if (!best || rule.level > best->level) best = &rule;
  }
  std::stable_sort(fired.begin(), fired.end(),
                   [](const TriageRule* a, const TriageRule* b) { return a->level > b->level; });
  for (const TriageRule* r : fired) result.fired.push_back(r->id);
  if (best) {
    result.level = best->level;
    result.category = best->category;
    result.rule = best->id;
    result.message = best->message;
  }
  return result;
}

TriageResult Triager::Assess(std::string_view message,
                             const std::vector<std::string>& history) const {
  std::vector<AnalyzedText> turns;
  for (const std::string& h : history) turns.push_back(Analyze(h));
  return Assess(Analyze(message), turns);
}

std::string Triager::Explain(const AnalyzedText& message,
                             const std::vector<AnalyzedText>& history) const {
  const auto& concepts = rules_->vocabulary.concepts();
  std::string out;
  auto describe = [&](const AnalyzedText& text, std::string_view label) {
    absl::StrAppend(&out, std::string(label), ": ", text.normalized, "\n");
    for (const ContextualMention& m : text.mentions) {
      const corpus::Token& first = text.tokens[m.mention.begin];
      const corpus::Token& last = text.tokens[m.mention.end - 1];
      std::vector<std::string> flags;
      if (m.negated) flags.push_back("NEGATED_EXISTENCE");
      if (m.historical) flags.push_back("HISTORICAL");
      if (m.hypothetical) flags.push_back("HYPOTHETICAL");
      if (m.other_experiencer) flags.push_back("OTHER_EXPERIENCER");
      std::vector<std::string> why;
      for (int t : m.triggers) {
        why.push_back(absl::StrCat("'", rules_->context[t].literal,
                                   "' (context.txt:", rules_->context[t].line, ")"));
      }
      absl::StrAppend(&out, "  ", concepts[m.mention.concept_index].id, " [",
                      concepts[m.mention.concept_index].type, "] \"",
                      text.normalized.substr(first.begin, last.end - first.begin), "\"",
                      m.mention.has_value() ? absl::StrFormat(" value=%.1f", m.mention.value) : "",
                      " sentence ", m.sentence + 1, ": ",
                      flags.empty() ? "CURRENT" : absl::StrJoin(flags, ", "),
                      why.empty() ? "" : absl::StrCat(" by ", absl::StrJoin(why, ", ")), "\n");
    }
  };
  for (size_t h = 0; h < history.size(); ++h) {
    describe(history[h], absl::StrCat("history[", h, "]"));
  }
  describe(message, "message");
  const TriageResult r = Assess(message, history);
  if (r.language.other) {
    absl::StrAppend(&out, "language: ", r.language.name, " (", r.language.code,
                    "): the reply is the language note\n");
    return out;
  }
  absl::StrAppend(&out, "level: ", std::string(corpus::TriageLevelName(r.level)));
  if (!r.rule.empty()) {
    for (const TriageRule& rule : rules_->triage) {
      if (rule.id != r.rule) continue;
      absl::StrAppend(&out, "\nrule: ", rule.id, " (triage.txt:", rule.line, "), category ",
                      rule.category, "\nsource: ", rule.source, "\nmessage: ", rule.message);
    }
    if (r.fired.size() > 1) absl::StrAppend(&out, "\nalso fired: ", absl::StrJoin(r.fired, ", "));
  }
  absl::StrAppend(&out, "\n");
  return out;
}

}  // namespace patientqa::service::triage
