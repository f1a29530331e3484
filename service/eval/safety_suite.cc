#include "service/eval/safety_suite.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace patientqa::service::eval {

void SafetyCounts::Add(const SafetyCounts& o) {
  urgent += o.urgent;
  urgent_caught += o.urgent_caught;
  not_urgent += o.not_urgent;
  false_urgent += o.false_urgent;
  amber += o.amber;
  amber_right += o.amber_right;
  amber_under += o.amber_under;
  none += o.none;
  none_quiet += o.none_quiet;
  crisis_misfires += o.crisis_misfires;
  language += o.language;
  language_right += o.language_right;
  false_language += o.false_language;
}

std::vector<SafetyCase> LoadSafetySuite(const std::vector<std::filesystem::path>& files,
                                        std::vector<corpus::Diagnostic>* errors) {
  std::vector<SafetyCase> out;
  for (const auto& path : files) {
    std::ifstream in(path);
    if (!in) {
      errors->push_back({path.string(), 0, "cannot read safety suite"});
      continue;
    }
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty()) continue;
      auto fail = [&](std::string message) {
        errors->push_back({path.string(), line_no, std::move(message)});
      };
      try {
        const nlohmann::json j = nlohmann::json::parse(line);
        SafetyCase c;
        c.id = j.at("id").get<std::string>();
        c.category = j.at("category").get<std::string>();
        c.question = j.at("question").get<std::string>();
        if (j.contains("history")) c.history = j.at("history").get<std::vector<std::string>>();
        c.kind = j.value("kind", "");
        c.language = j.value("language", "en");
        const std::string expect = j.at("expect").get<std::string>();
        if (expect == "urgent") {
          c.expect = SafetyExpect::kUrgent;
        } else if (expect == "contact_team") {
          c.expect = SafetyExpect::kContactTeam;
        } else if (expect == "none") {
          c.expect = SafetyExpect::kNone;
        } else if (expect == "other_language") {
          c.expect = SafetyExpect::kOtherLanguage;
        } else {
          fail(absl::StrCat("expect must be urgent, contact_team, none or other_language, got '",
                            expect, "'"));
          continue;
        }
        c.file = path.filename().string();
        c.line = line_no;
        out.push_back(std::move(c));
      } catch (const nlohmann::json::exception& e) {
        fail(absl::StrCat("invalid case: ", e.what()));
      }
    }
  }
  return out;
}

SafetyMetrics EvaluateSafety(const AskHandler& handler, const std::vector<SafetyCase>& cases) {
  SafetyMetrics m;
  for (const SafetyCase& c : cases) {
    AskQuery q;
    q.question = c.question;
    q.history = c.history;
    absl::StatusOr<AskResult> r = handler.Ask(q);
    SafetyCounts counts;
    std::string got;
    if (!r.ok()) {
      got = absl::StrCat("error ", r.status().ToString());
    } else {
      const SafetyInfo& s = r->safety;
      got = s.level == SafetyLevel::kUrgent        ? "urgent"
            : s.level == SafetyLevel::kContactTeam ? "contact_team"
            : s.category == "other-language"       ? "other_language"
                                                   : "none";
      if (!s.category.empty() && s.category != "other-language") {
        absl::StrAppend(&got, " (", s.category, ", rule ", s.rule, ")");
      }
    }
    const bool ok_result = r.ok();
    const SafetyLevel level = ok_result ? r->safety.level : SafetyLevel::kInfo;
    const bool language_note = ok_result && r->safety.category == "other-language";
    const bool crisis = ok_result && r->safety.category == "self-harm";
    bool right = false;
    switch (c.expect) {
      case SafetyExpect::kUrgent:
        ++counts.urgent;
        right = level == SafetyLevel::kUrgent;
        counts.urgent_caught += right;
        break;
      case SafetyExpect::kContactTeam:
        ++counts.not_urgent;
        ++counts.amber;
        counts.false_urgent += level == SafetyLevel::kUrgent;
        right = level == SafetyLevel::kContactTeam;
        counts.amber_right += right;
        counts.amber_under += level == SafetyLevel::kInfo;
        break;
      case SafetyExpect::kNone:
        ++counts.not_urgent;
        ++counts.none;
        counts.false_urgent += level == SafetyLevel::kUrgent;
        right = level == SafetyLevel::kInfo && !language_note;
        counts.none_quiet += level == SafetyLevel::kInfo;
        break;
      case SafetyExpect::kOtherLanguage:
        ++counts.language;
        right = language_note;
        counts.language_right += right;
        break;
    }
    if (c.expect != SafetyExpect::kOtherLanguage && language_note) ++counts.false_language;
    if (crisis && !(c.category == "self-harm" && c.expect == SafetyExpect::kUrgent)) {
      ++counts.crisis_misfires;
      right = false;
    }
    m.overall.Add(counts);
    m.by_category[c.category].Add(counts);
    if (!right) {
      static constexpr const char* kNames[] = {"urgent", "contact_team", "none", "other_language"};
      m.failures.push_back(absl::StrCat(c.file, ":", c.line, " ", c.id, " [", c.category, ", ",
                                        c.kind, "] expected ", kNames[static_cast<int>(c.expect)],
                                        ", got ", got, ": ", c.question));
    }
  }
  return m;
}

std::string FormatSafetyTable(const SafetyMetrics& m) {
  std::string out =
      "| category | urgent recall | urgent false alarms | amber right (under, over) | "
      "none quiet | crisis misfires | language note |\n"
      "|---|---|---|---|---|---|---|\n";
  auto row = [&](const std::string& name, const SafetyCounts& c) {
    absl::StrAppendFormat(
        &out, "| %s | %s | %s | %s | %s | %d | %s |\n", name,
        c.urgent ? absl::StrFormat("%.3f (%d/%d)", c.UrgentRecall(), c.urgent_caught, c.urgent)
                 : "–",
        c.not_urgent
            ? absl::StrFormat("%.3f (%d/%d)", c.FalseUrgentRate(), c.false_urgent, c.not_urgent)
            : "–",
        c.amber ? absl::StrFormat("%d/%d (%d, %d)", c.amber_right, c.amber, c.amber_under,
                                  c.amber - c.amber_right - c.amber_under)
                : "–",
        c.none ? absl::StrFormat("%d/%d", c.none_quiet, c.none) : "–", c.crisis_misfires,
        c.language ? absl::StrFormat("%d/%d", c.language_right, c.language)
                   : (c.false_language ? absl::StrFormat("%d wrong", c.false_language) : "–"));
  };
  for (const auto& [category, counts] : m.by_category) row(category, counts);
  row("**overall**", m.overall);
  return out;
}

}  // namespace patientqa::service::eval
