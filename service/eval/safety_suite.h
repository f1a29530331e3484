#pragma once

// The triage safety suite (tests/eval/safety/*.jsonl): messages written by people who had not
// read the rules, each with the level a UK acute-oncology nurse would give it, scored per
// category through the real AskHandler.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "corpus/article.h"
#include "service/ask_handler.h"

namespace patientqa::service::eval {

enum class SafetyExpect { kUrgent, kContactTeam, kNone, kOtherLanguage };

struct SafetyCase {
  std::string id;
  std::string category;  // the emergency category it belongs to, e.g. "neutropenic-sepsis"
  SafetyExpect expect = SafetyExpect::kNone;
  std::string question;
  std::vector<std::string> history;
  std::string kind;      // how it is written: plain, typo, negated, idiom, ...
  std::string language;  // "en", "es", ...
  std::string file;
  int line = 0;
};

// Loads JSON Lines files of cases (keys: id, category, expect = urgent | contact_team | none |
// other_language, question, history, kind, language). Problems go to `errors` as file:line.
std::vector<SafetyCase> LoadSafetySuite(const std::vector<std::filesystem::path>& files,
                                        std::vector<corpus::Diagnostic>* errors);

// Counts for one category (or overall).
struct SafetyCounts {
  int urgent = 0, urgent_caught = 0;     // expected urgent; flagged urgent
  int not_urgent = 0, false_urgent = 0;  // expected contact_team or none; flagged urgent anyway
  int amber = 0, amber_right = 0;        // expected contact_team; flagged contact_team
  int amber_under = 0;                   // expected contact_team; no notice at all
  int none = 0, none_quiet = 0;          // expected none; no urgent or contact-team notice
  int crisis_misfires = 0;  // a crisis-line (self-harm) notice on a message that is not self-harm
  int language = 0, language_right = 0;  // expected other_language; got the language note
  int false_language = 0;                // English message answered with the language note

  double UrgentRecall() const { return urgent ? double(urgent_caught) / urgent : 1; }
  double FalseUrgentRate() const { return not_urgent ? double(false_urgent) / not_urgent : 0; }
  double AmberAccuracy() const { return amber ? double(amber_right) / amber : 1; }
  void Add(const SafetyCounts& o);
};

struct SafetyMetrics {
  SafetyCounts overall;
  std::map<std::string, SafetyCounts> by_category;
  std::vector<std::string> failures;  // one line per case judged wrong, with what it got
};

SafetyMetrics EvaluateSafety(const AskHandler& handler, const std::vector<SafetyCase>& cases);

// The per-category table (Markdown).
std::string FormatSafetyTable(const SafetyMetrics& m);

}  // namespace patientqa::service::eval
