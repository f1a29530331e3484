#pragma once

// Triage of a patient's message, as a UKONS-style 24-hour triage line would do it: the clinical
// vocabulary finds the findings, treatments and people in the message, ConText decides which
// findings are current, and the triage rules (corpus/clinical/triage.txt, each citing its
// guideline) decide the level: urgent (call the emergency number or the 24-hour line now),
// contact the team today, or none. Messages in another language get a language note instead.
// Rules are loaded and validated once; assessing a message touches no regular expression.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/language/clinical_rules.h"
#include "corpus/language/concept_matcher.h"
#include "corpus/language/tokenizer.h"
#include "service/triage/context.h"
#include "service/triage/language.h"

namespace patientqa::service::triage {

// One text read once: normalised, tokenised, concepts found and put in context. Reused by
// triage, the scope decision and topic detection.
struct AnalyzedText {
  std::string normalized;
  std::vector<corpus::Token> tokens;
  std::vector<ContextualMention> mentions;
  std::vector<TriggerMatch> triggers;
};

struct TriageResult {
  corpus::TriageLevel level = corpus::TriageLevel::kNone;
  std::string category;            // the firing rule's category, e.g. "neutropenic-sepsis"
  std::string rule;                // its id
  std::string message;             // what to tell the person, first
  std::vector<std::string> fired;  // ids of every rule that fired, highest level first
  LanguageGuess language;          // other = true: the message is not in English
};

class Triager {
 public:
  // Compiles the rules; INVALID_ARGUMENT when `rules` is null.
  static absl::StatusOr<std::unique_ptr<Triager>> Create(
      std::unique_ptr<const corpus::ClinicalRules> rules);

  AnalyzedText Analyze(std::string_view text) const;

  // Triage of `message` with the earlier turns of the conversation (oldest first): treatments
  // and people named in the last three turns count as context ("my husband is on FOLFIRI" then
  // "now he's shivering"), and current findings of the last turn count too unless the new message
  // asks in general, denies or puts a finding in the past. Rules are tried in file order; the
  // highest level wins, and the first rule of that level gives the category and message.
  TriageResult Assess(const AnalyzedText& message, const std::vector<AnalyzedText>& history) const;
  // The same, analysing the texts first.
  TriageResult Assess(std::string_view message, const std::vector<std::string>& history) const;

  const corpus::ClinicalRules& rules() const { return *rules_; }
  const corpus::Vocabulary& vocabulary() const { return rules_->vocabulary; }

  // Human-readable report of what was found and why (for patientqa-triage; never logged).
  std::string Explain(const AnalyzedText& message, const std::vector<AnalyzedText>& history) const;

 private:
  explicit Triager(std::unique_ptr<const corpus::ClinicalRules> rules);

  struct Evidence;  // current mentions gathered from the message and its history
  Evidence Gather(const AnalyzedText& message, const std::vector<AnalyzedText>& history) const;
  bool Fires(const corpus::TriageRule& rule, const Evidence& evidence) const;

  std::unique_ptr<const corpus::ClinicalRules> rules_;
  corpus::ConceptMatcher matcher_;
  ContextAnnotator context_;
};

}  // namespace patientqa::service::triage
