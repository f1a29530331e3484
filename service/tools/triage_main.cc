// patientqa-triage: shows clinicians what the triage reads in a message: the concepts found, the
// context of each (ConText), the rule that fired and its source. Rules come from the clinical
// rule files (corpus/clinical/), validated as the index tool validates them. It prints to the
// terminal only; the server never logs message text.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_join.h"
#include "corpus/language/clinical_rules.h"
#include "service/triage/triager.h"

ABSL_FLAG(std::string, clinical, "corpus/clinical",
          "Folder with vocabulary.txt, context.txt, triage.txt and languages.txt");
ABSL_FLAG(std::vector<std::string>, history, {},
          "Earlier turns of the conversation, oldest first (comma-separated; repeat the flag "
          "for turns that contain commas)");
ABSL_FLAG(bool, check, false,
          "Check every rule against its own fires/quiet examples instead; exit 1 on a failure");

namespace {

using patientqa::service::triage::Triager;

int CheckExamples(const Triager& triager) {
  int failures = 0;
  for (const auto& rule : triager.rules().triage) {
    auto fired = [&](const std::string& text) {
      const auto r = triager.Assess(text, {});
      for (const std::string& id : r.fired) {
        if (id == rule.id) return true;
      }
      return false;
    };
    for (const std::string& text : rule.fires) {
      if (!fired(text)) {
        std::printf("triage.txt:%d: rule %s does not fire on its example: %s\n", rule.line,
                    rule.id.c_str(), text.c_str());
        ++failures;
      }
    }
    for (const std::string& text : rule.quiet) {
      if (fired(text)) {
        std::printf("triage.txt:%d: rule %s fires on its quiet example: %s\n", rule.line,
                    rule.id.c_str(), text.c_str());
        ++failures;
      }
    }
  }
  std::printf("%zu rules checked, %d failures\n", triager.rules().triage.size(), failures);
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Explains the triage of a message.\n"
      "Usage: patientqa-triage [--clinical DIR] [--history TURN]... \"MESSAGE\"\n"
      "       patientqa-triage [--clinical DIR] --check");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  auto files = patientqa::corpus::ReadClinicalDir(absl::GetFlag(FLAGS_clinical));
  if (!files.ok()) {
    std::fprintf(stderr, "patientqa-triage: %s\n", std::string(files.status().message()).c_str());
    return 1;
  }
  std::vector<patientqa::corpus::Diagnostic> errors;
  auto rules = patientqa::corpus::ParseClinicalRules(*files, &errors);
  for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
  if (!rules) return 1;
  auto triager = Triager::Create(std::move(rules));
  if (!triager.ok()) {
    std::fprintf(stderr, "patientqa-triage: %s\n", std::string(triager.status().message()).c_str());
    return 1;
  }
  if (absl::GetFlag(FLAGS_check)) return CheckExamples(**triager);
  if (args.size() < 2) {
    std::fprintf(stderr, "patientqa-triage: give the message to explain (see --help)\n");
    return 2;
  }
  std::vector<std::string> words(args.begin() + 1, args.end());
  std::vector<patientqa::service::triage::AnalyzedText> history;
  for (const std::string& turn : absl::GetFlag(FLAGS_history)) {
    history.push_back((*triager)->Analyze(turn));
  }
  std::cout << (*triager)->Explain((*triager)->Analyze(absl::StrJoin(words, " ")), history);
  return 0;
}
