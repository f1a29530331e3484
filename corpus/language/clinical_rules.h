#pragma once

// The clinical rule files a clinician reads and changes (corpus/clinical/): the vocabulary, the
// context triggers (after ConText: Harkema et al., J Biomed Inform 2009;42:839-51), the triage
// rules, the language profiles and, optionally, the pinned answers (corpus/pinned_answers.h). This
// file only reads and validates them; service/triage/ applies them. Each file documents its own
// format at its top.

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/article.h"
#include "corpus/language/vocabulary.h"
#include "corpus/pinned_answers.h"

namespace patientqa::corpus {

// ConText categories: what a trigger says about the findings in its scope.
enum class ContextCategory {
  kNone,              // TERMINATE and PSEUDO triggers
  kNegated,           // NEGATED_EXISTENCE: "no fever", "not bleeding"
  kHistorical,        // HISTORICAL: past or resolved ("had sepsis last year", "it has gone")
  kHypothetical,      // HYPOTHETICAL: asked in general or as a condition ("what if", "signs of")
  kOtherExperiencer,  // OTHER_EXPERIENCER: someone who is not the patient ("my neighbour's baby")
};

enum class ContextDirection {
  kForward,        // modifies findings after the trigger
  kBackward,       // modifies findings before it
  kBidirectional,  // both
  kTerminate,      // ends every scope that reaches it ("but", "however")
  kPseudo,         // looks like a trigger but is not ("no increase", "gone up"): blocks it
};

struct ContextTrigger {
  std::string literal;
  std::vector<std::string> tokens;
  std::vector<bool> prefix;
  ContextCategory category = ContextCategory::kNone;
  ContextDirection direction = ContextDirection::kForward;
  // Tokens it reaches; 0: the rest of the sentence; -1 ("all"): the whole text, across sentences
  // and terminators (for "I feel completely normal now" after a story of what happened).
  int max_scope = 8;
  std::vector<std::string> targets;  // concept types it may modify (default: finding)
  int line = 0;
};

std::string_view ContextCategoryName(ContextCategory c);  // "NEGATED_EXISTENCE", ...

enum class TriageLevel { kNone = 0, kContactTeam = 1, kUrgent = 2 };
std::string_view TriageLevelName(TriageLevel level);  // "none", "contact_team", "urgent"

// One atom of a rule's condition: a current mention of the concept (or a narrower one), with an
// optional threshold on its value ("temperature-reading>=37.5", "diarrhoea>=7").
struct TriageAtom {
  std::string concept_id;
  int concept_index = -1;  // index into the vocabulary
  std::string op;          // "", ">=", ">", "<=", "<"
  double threshold = 0;
  bool minutes = false;  // the threshold is a duration ("nosebleed>=15min"), not a count
  // "ever:immunotherapy": a past mention counts too (immune side effects can start months after
  // the last dose); negated, hypothetical and someone else's mentions still do not.
  bool ever = false;
};

// `when: a | b ~ c + d`: a conjunction ('+': anywhere in the message) of terms, each a set of
// groups that must be mentioned in one sentence ('~'), each group a choice of atoms ('|').
struct TriageCondition {
  std::vector<std::vector<std::vector<TriageAtom>>> terms;
};

struct TriageRule {
  std::string id;
  TriageLevel level = TriageLevel::kNone;
  std::string category;
  std::vector<TriageCondition> when;  // the rule fires when any condition holds
  std::vector<TriageAtom> unless;     // ... and none of these is a current mention
  std::string message;                // what to tell the person, first
  std::string source;                 // the guideline behind the rule
  std::vector<std::string> fires;     // example messages the rule must fire on
  std::vector<std::string> quiet;     // example messages it must not fire on
  int line = 0;
};

// A language and the note for messages written in it (corpus/clinical/languages.txt).
struct LanguageProfile {
  std::string code;                // ISO 639-1 as CLD2 reports it: "es", "zh"; "en" for English
  std::string name;                // "Spanish"
  std::vector<std::string> words;  // hint words for short messages, normalised tokens
  std::string note;  // "only English is understood" in that language, with emergency numbers
  int line = 0;
};

// The raw texts of the four files (and of pinned-answers.txt when there is one), with the names
// used in messages.
struct ClinicalFiles {
  std::map<std::string, std::string> texts;  // "vocabulary.txt" -> content, ...
  std::string dir;                           // prefix for messages, e.g. "corpus/clinical"
};

// The files every clinical folder has. kPinnedAnswersFile is optional.
inline constexpr std::string_view kClinicalFileNames[] = {"vocabulary.txt", "context.txt",
                                                          "triage.txt", "languages.txt"};

// Reads the four files from `dir`, and pinned-answers.txt when it exists; NOT_FOUND names the
// first required one missing.
absl::StatusOr<ClinicalFiles> ReadClinicalDir(const std::filesystem::path& dir);

struct ClinicalRules {
  Vocabulary vocabulary;
  std::vector<ContextTrigger> context;
  std::vector<TriageRule> triage;
  std::vector<LanguageProfile> languages;
  std::vector<PinnedAnswer> pinned;  // empty without a pinned-answers.txt
};

// Parses and cross-checks the files (rule concepts must be in the vocabulary, levels and
// categories known, every rule has a message, a source and at least one `fires` example; a
// pinned answer's concepts must be in the vocabulary; whether its passages exist is checked
// against the articles by CheckPinnedPassages).
// Problems are appended to `errors` as `dir/file:line: message`; nullptr when there were any.
std::unique_ptr<ClinicalRules> ParseClinicalRules(const ClinicalFiles& files,
                                                  std::vector<Diagnostic>* errors);

}  // namespace patientqa::corpus
