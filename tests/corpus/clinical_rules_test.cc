#include "corpus/language/clinical_rules.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/testing/fixtures.h"
#include "tests/testing/test_util.h"

namespace patientqa::corpus {
namespace {

ClinicalFiles Files(std::string vocabulary, std::string context, std::string triage,
                    std::string languages) {
  ClinicalFiles f;
  f.dir = "clinical";
  f.texts = {{"vocabulary.txt", std::move(vocabulary)},
             {"context.txt", std::move(context)},
             {"triage.txt", std::move(triage)},
             {"languages.txt", std::move(languages)}};
  return f;
}

constexpr char kVocabulary[] =
    "concept fever\n  type: finding\n  terms: fever\n"
    "concept temperature-reading\n  type: measure\n  measure: temperature\n  terms: temp\n";
constexpr char kContext[] = "no | NEGATED_EXISTENCE | FORWARD | 4\nbut | - | TERMINATE | - |\n";
constexpr char kTriage[] =
    "rule fever\n  level: urgent\n  category: neutropenic-sepsis\n"
    "  when: fever | temperature-reading>=37.5\n  message: Call now.\n  source: UKONS\n"
    "  fires: I have a fever\n";
constexpr char kLanguages[] = "en | English | the, and | Sorry, English only.\n";

bool HasError(const std::vector<Diagnostic>& errors, std::string_view text) {
  return std::any_of(errors.begin(), errors.end(), [&](const Diagnostic& d) {
    return d.ToString().find(text) != std::string::npos;
  });
}

TEST(ClinicalRulesTest, TheBundledRuleFilesAreValid) {
  const ClinicalFiles files = patientqa::testing::BundledClinicalFiles();
  ASSERT_EQ(files.texts.size(), 5u) << "corpus/clinical is incomplete (four rule files and "
                                       "pinned-answers.txt)";
  std::vector<Diagnostic> errors;
  const auto rules = ParseClinicalRules(files, &errors);
  ASSERT_NE(rules, nullptr) << errors[0].ToString();
  EXPECT_GT(rules->vocabulary.concepts().size(), 100u);
  EXPECT_GT(rules->context.size(), 100u);
  EXPECT_GT(rules->triage.size(), 20u);
  // Every rule cites its guideline and carries an example it must fire on.
  for (const TriageRule& r : rules->triage) {
    EXPECT_FALSE(r.source.empty()) << r.id;
    EXPECT_FALSE(r.fires.empty()) << r.id;
  }
}

TEST(ClinicalRulesTest, ParsesAMinimalSetOfRules) {
  std::vector<Diagnostic> errors;
  const auto rules = ParseClinicalRules(Files(kVocabulary, kContext, kTriage, kLanguages), &errors);
  ASSERT_NE(rules, nullptr) << errors[0].ToString();
  ASSERT_EQ(rules->triage.size(), 1u);
  const TriageRule& r = rules->triage[0];
  EXPECT_EQ(r.level, TriageLevel::kUrgent);
  ASSERT_EQ(r.when.size(), 1u);
  ASSERT_EQ(r.when[0].terms.size(), 1u);        // one '+' term
  ASSERT_EQ(r.when[0].terms[0].size(), 1u);     // one '~' group
  ASSERT_EQ(r.when[0].terms[0][0].size(), 2u);  // two '|' atoms
  EXPECT_EQ(r.when[0].terms[0][0][1].op, ">=");
  EXPECT_DOUBLE_EQ(r.when[0].terms[0][0][1].threshold, 37.5);
  EXPECT_EQ(rules->context[1].direction, ContextDirection::kTerminate);
}

TEST(ClinicalRulesTest, ABadRuleIsReportedWithFileAndLine) {
  struct Case {
    std::string context, triage, languages;
    const char* error;
  };
  const Case cases[] = {
      {"no | NEGATED | FORWARD | 4\n", kTriage, kLanguages,
       "clinical/context.txt:1: unknown category 'NEGATED'"},
      {"no | NEGATED_EXISTENCE | SIDEWAYS | 4\n", kTriage, kLanguages,
       "clinical/context.txt:1: unknown direction 'SIDEWAYS'"},
      {"but | NEGATED_EXISTENCE | TERMINATE | -\n", kTriage, kLanguages,
       "TERMINATE and PSEUDO triggers take the category '-'"},
      {"no | NEGATED_EXISTENCE | FORWARD | 99\n", kTriage, kLanguages, "max_scope must be"},
      {kContext,
       "rule a\n  level: urgent\n  category: x\n  when: chills\n  message: m\n"
       "  source: s\n  fires: f\n",
       kLanguages, "clinical/triage.txt:4: unknown concept 'chills'"},
      {kContext, "rule a\n  level: red\n", kLanguages, "clinical/triage.txt:2: level must be"},
      {kContext, "rule a\n  level: urgent\n  category: x\n  when: fever\n", kLanguages,
       "rule 'a' has no message"},
      {kContext, "rule a\n  level: urgent\n  category: x\n  when: fever\n  message: m\n",
       kLanguages, "rule 'a' cites no source"},
      {kContext, "rule a\n  level: urgent\n  category: x\n  when: fever>=high\n", kLanguages,
       "threshold must be a number"},
      {kContext, kTriage, "es | Spanish | hola | Hola\n", "an 'en' row with the English note"},
      {kContext, kTriage, "en | English | the\n", "clinical/languages.txt:1: expected"},
  };
  for (const Case& c : cases) {
    std::vector<Diagnostic> errors;
    const auto rules =
        ParseClinicalRules(Files(kVocabulary, c.context, c.triage, c.languages), &errors);
    EXPECT_EQ(rules, nullptr) << c.error;
    EXPECT_TRUE(HasError(errors, c.error))
        << c.error << "\nfirst error: " << (errors.empty() ? "none" : errors[0].ToString());
  }
}

TEST(ClinicalRulesTest, AMissingFileIsNamed) {
  patientqa::testing::TempDir dir;
  patientqa::testing::WriteFile(dir.path() / "vocabulary.txt", kVocabulary);
  const auto files = ReadClinicalDir(dir.path());
  ASSERT_FALSE(files.ok());
  EXPECT_NE(files.status().message().find("context.txt"), std::string::npos) << files.status();
}

}  // namespace
}  // namespace patientqa::corpus
