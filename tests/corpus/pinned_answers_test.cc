#include "corpus/pinned_answers.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "corpus/language/clinical_rules.h"
#include "corpus/lint.h"
#include "tests/testing/fixtures.h"
#include "tests/testing/test_util.h"

namespace patientqa::corpus {
namespace {

constexpr char kVocabulary[] =
    "concept fever\n  type: finding\n  terms: fever\n"
    "concept chemotherapy\n  type: treatment\n  terms: chemo\n"
    "concept nurse\n  type: person\n  terms: nurse\n";

// A valid pin; the cases below break one line of it at a time.
constexpr char kPin[] =
    "# a comment\n"                                                       // 1
    "pin fever-on-chemo\n"                                                // 2
    "  ask: What should I do if I have a fever on chemo?\n"               // 3
    "  concepts: fever, chemotherapy\n"                                   // 4
    "  similarity: 0.7\n"                                                 // 5
    "  passage: fever#4 | A fever during chemotherapy is an emergency\n"  // 6
    "  passage: helpline#0 | Call the helpline\n"                         // 7
    "  reviewer: pending clinical review\n"                               // 8
    "  reviewed: 2026-11-30\n"                                            // 9
    "  source: NICE CG151\n";                                             // 10

Vocabulary TestVocabulary() {
  std::vector<Diagnostic> errors;
  Vocabulary v = Vocabulary::Parse("vocabulary.txt", kVocabulary, &errors);
  EXPECT_TRUE(errors.empty()) << errors[0].ToString();
  return v;
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST(PinnedAnswersTest, ParsesAPinWithItsIntentPassagesAndGovernance) {
  std::vector<Diagnostic> errors;
  const auto pins = ParsePinnedAnswers("pins.txt", kPin, TestVocabulary(), &errors);
  ASSERT_TRUE(errors.empty()) << errors[0].ToString();
  ASSERT_EQ(pins.size(), 1u);
  const PinnedAnswer& p = pins[0];
  EXPECT_EQ(p.id, "fever-on-chemo");
  EXPECT_EQ(p.line, 2);
  EXPECT_EQ(p.questions, std::vector<std::string>{"What should I do if I have a fever on chemo?"});
  EXPECT_EQ(p.concepts, (std::vector<std::string>{"fever", "chemotherapy"}));
  EXPECT_DOUBLE_EQ(p.min_similarity, 0.7);
  ASSERT_EQ(p.passages.size(), 2u);
  EXPECT_EQ(p.passages[0].passage_id, "fever#4");
  EXPECT_EQ(p.passages[0].article_id, "fever");
  EXPECT_EQ(p.passages[0].ordinal, 4);
  EXPECT_EQ(p.passages[0].opening, "A fever during chemotherapy is an emergency");
  EXPECT_EQ(p.passages[0].line, 6);
  EXPECT_EQ(p.passages[1].passage_id, "helpline#0");
  EXPECT_EQ(p.reviewer, "pending clinical review");
  EXPECT_EQ(p.reviewed, "2026-11-30");
  EXPECT_EQ(p.source, "NICE CG151");
}

TEST(PinnedAnswersTest, ReportsEachProblemWithFileAndLine) {
  struct Case {
    std::string content;
    int line;
    std::string error;
    size_t kept = 0;  // pins without a problem, still used
  };
  const std::string pin = kPin;
  const std::vector<Case> cases = {
      {Replace(pin,
               "  ask: What should I do if I have a fever on chemo?\n  concepts: fever, "
               "chemotherapy\n",
               ""),
       2, "pin 'fever-on-chemo' has an empty intent"},
      {Replace(pin, "concepts: fever, chemotherapy", "concepts: fever, chemo-brain"), 4,
       "unknown concept 'chemo-brain'"},
      {Replace(pin, "concepts: fever, chemotherapy", "concepts: nurse"), 4,
       "concept 'nurse' is of type 'person'"},
      {Replace(pin, "similarity: 0.7", "similarity: 1.5"), 5,
       "similarity must be a number above 0 and at most 1, got '1.5'"},
      {Replace(pin, "similarity: 0.7", "similarity: high"), 5, "similarity must be a number"},
      {Replace(pin, "passage: fever#4 | A fever", "passage: fever-4 | A fever"), 6,
       "expected 'passage: <article id>#<n> | <the passage's opening words>'"},
      {Replace(pin, "passage: fever#4 | A fever during chemotherapy is an emergency",
               "passage: fever#4"),
       6, "expected 'passage: <article id>#<n> | <the passage's opening words>'"},
      {Replace(pin, "passage: helpline#0", "passage: fever#4"), 7,
       "passage fever#4 listed twice in this pin"},
      {Replace(pin,
               "  passage: fever#4 | A fever during chemotherapy is an emergency\n"
               "  passage: helpline#0 | Call the helpline\n",
               ""),
       2, "pin 'fever-on-chemo' has no 'passage:' line"},
      {Replace(pin, "  reviewer: pending clinical review\n", ""), 2,
       "pin 'fever-on-chemo' has no 'reviewer:' line"},
      {Replace(pin, "  source: NICE CG151\n", ""), 2, "pin 'fever-on-chemo' has no 'source:' line"},
      {Replace(pin, "reviewed: 2026-11-30", "reviewed: 2026-02-30"), 9,
       "reviewed must be a date YYYY-MM-DD, got '2026-02-30'"},
      {Replace(pin, "  reviewed: 2026-11-30\n", ""), 2,
       "pin 'fever-on-chemo' has no 'reviewed:' line"},
      {Replace(pin, "  source: NICE", "  sauce: NICE"), 10, "unknown key 'sauce'"},
      {Replace(pin, "  similarity: 0.7\n", "  similarity\n"), 5, "expected 'key: value'"},
      {Replace(pin, "  similarity: 0.7\n", "  similarity:\n"), 5, "'similarity' is empty"},
      {Replace(pin, "pin fever-on-chemo", "pin Fever On Chemo"), 2,
       "pin id must be lower-case letters, digits and '-'"},
      {Replace(pin, "pin fever-on-chemo", "answer fever-on-chemo"), 2, "expected 'pin <id>'"},
      {pin + "pin fever-on-chemo\n  concepts: fever\n  passage: a#0 | A\n  reviewer: r\n"
             "  reviewed: 2026-11-30\n  source: s\n",
       11, "duplicate pin 'fever-on-chemo'", 1},
      {"  ask: What now?\n" + pin, 1, "an attribute line before the first 'pin <id>' line", 1},
      {Replace(pin, "  reviewer:",
               "  passage: a#1 | A\n  passage: a#2 | A\n  passage: a#3 | A\n  passage: a#4 | A\n"
               "  reviewer:"),
       11, "a pin may show at most 5 passages"},
      {Replace(pin, "fever on chemo?", "fever on chemo\xC3(?"), 3, "invalid UTF-8"},
  };
  for (const Case& c : cases) {
    std::vector<Diagnostic> errors;
    const auto pins = ParsePinnedAnswers("clinical/pins.txt", c.content, TestVocabulary(), &errors);
    ASSERT_FALSE(errors.empty()) << c.error;
    EXPECT_TRUE(std::any_of(errors.begin(), errors.end(),
                            [&](const Diagnostic& d) {
                              return d.file == "clinical/pins.txt" && d.line == c.line &&
                                     d.message.find(c.error) != std::string::npos;
                            }))
        << "want line " << c.line << ": " << c.error << "\ngot " << errors[0].ToString();
    // A pin with a problem is never used.
    EXPECT_EQ(pins.size(), c.kept) << c.error;
  }
}

TEST(PinnedAnswersTest, TheBundledPinsParseWithTheBundledVocabulary) {
  std::vector<Diagnostic> errors;
  const auto rules = ParseClinicalRules(patientqa::testing::BundledClinicalFiles(), &errors);
  ASSERT_NE(rules, nullptr) << errors[0].ToString();
  ASSERT_FALSE(rules->pinned.empty()) << "corpus/clinical/pinned-answers.txt was not read";
  for (const PinnedAnswer& p : rules->pinned) {
    EXPECT_FALSE(p.source.empty()) << p.id;
    EXPECT_FALSE(p.reviewer.empty()) << p.id;
    EXPECT_LE(p.passages.size(), static_cast<size_t>(kMaxPinnedPassages)) << p.id;
  }
}

TEST(PinnedAnswersTest, TheFileIsOptionalAndItsErrorsNameTheClinicalFolder) {
  patientqa::testing::TempDir dir;
  const ClinicalFiles bundled = patientqa::testing::BundledClinicalFiles();
  for (std::string_view name : kClinicalFileNames) {
    patientqa::testing::WriteFile(dir.path() / name, bundled.texts.at(std::string(name)));
  }
  auto without = ReadClinicalDir(dir.path());
  ASSERT_TRUE(without.ok()) << without.status();
  EXPECT_EQ(without->texts.count(std::string(kPinnedAnswersFile)), 0u);
  std::vector<Diagnostic> errors;
  auto rules = ParseClinicalRules(*without, &errors);
  ASSERT_NE(rules, nullptr);
  EXPECT_TRUE(rules->pinned.empty());

  patientqa::testing::WriteFile(dir.path() / kPinnedAnswersFile,
                                "pin fever\n  concepts: no-such-concept\n");
  auto with = ReadClinicalDir(dir.path());
  ASSERT_TRUE(with.ok()) << with.status();
  with->dir = "clinical";
  EXPECT_EQ(ParseClinicalRules(*with, &errors), nullptr);
  EXPECT_TRUE(std::any_of(errors.begin(), errors.end(), [](const Diagnostic& d) {
    return d.ToString().find("clinical/pinned-answers.txt:2: unknown concept 'no-such-concept'") !=
           std::string::npos;
  })) << (errors.empty() ? "no errors" : errors[0].ToString());
}

// Two articles: "fever" with passages #0 and #1, "helpline" with #0.
std::vector<Article> PinnedArticles() {
  return {patientqa::testing::MakeArticle(
              "fever", "Fever", {"side-effects"},
              "## What is a fever?\n\nA fever is a high temperature.\n\n"
              "## What should I do?\n\nA fever during chemotherapy is an emergency. Call now.\n"),
          patientqa::testing::MakeArticle("helpline", "Helpline", {"side-effects"},
                                          "## The helpline\n\nCall the helpline at any hour.\n")};
}

PinnedAnswer PinOf(std::vector<std::pair<std::string, std::string>> passages) {
  std::string text = "pin p\n  concepts: fever\n";
  for (const auto& [id, opening] : passages) text += "  passage: " + id + " | " + opening + "\n";
  text += "  reviewer: r\n  reviewed: 2026-11-30\n  source: s\n";
  std::vector<Diagnostic> errors;
  auto pins = ParsePinnedAnswers("pins.txt", text, TestVocabulary(), &errors);
  EXPECT_TRUE(errors.empty()) << errors[0].ToString();
  return pins.empty() ? PinnedAnswer{} : pins[0];
}

TEST(PinnedAnswersTest, LintReportsPinnedPassagesThatDoNotExistOrHaveChanged) {
  LintOptions options;
  options.pinned = {PinOf({{"fever#1", "a FEVER during chemotherapy, is an emergency"},
                           {"helpline#0", "Call the helpline"}})};
  LintReport ok = Lint(PinnedArticles(), options);
  EXPECT_TRUE(std::none_of(ok.errors.begin(), ok.errors.end(), [](const Diagnostic& d) {
    return d.file == "pins.txt";
  })) << ok.errors[0].ToString();

  options.pinned = {PinOf({{"fever#1", "A fever during chemotherapy is an emergency"},
                           {"fever#2", "Call now"},
                           {"fever#0", "A fever during chemotherapy"},
                           {"leaflet#0", "Call"}})};
  const LintReport bad = Lint(PinnedArticles(), options);
  std::vector<std::string> pin_errors;
  for (const Diagnostic& d : bad.errors) {
    if (d.file == "pins.txt") pin_errors.push_back(d.ToString());
  }
  ASSERT_EQ(pin_errors.size(), 3u);
  EXPECT_NE(pin_errors[0].find("pins.txt:4: pinned passage fever#2 does not exist: fever has "
                               "passages #0 to #1"),
            std::string::npos)
      << pin_errors[0];
  EXPECT_NE(pin_errors[1].find("pins.txt:5: pinned passage fever#0 does not start with 'A fever "
                               "during chemotherapy': it starts 'A fever is a high temperature.'"),
            std::string::npos)
      << pin_errors[1];
  EXPECT_NE(pin_errors[2].find("pins.txt:6: pinned passage leaflet#0: no article has the id "
                               "'leaflet'"),
            std::string::npos)
      << pin_errors[2];
  EXPECT_NE(FormatLintReport(bad, options).find("pinned answers\n  p "), std::string::npos);
}

TEST(PinnedAnswersTest, ASingleMissingArticleIsToldApartFromAStalePin) {
  std::vector<Diagnostic> errors;
  bool missing = true;
  CheckPinnedPassages(PinOf({{"fever#1", "A fever"}}), PinnedArticles(), &errors, &missing);
  EXPECT_TRUE(errors.empty());
  EXPECT_FALSE(missing);
  CheckPinnedPassages(PinOf({{"fever#1", "Call now"}}), PinnedArticles(), &errors, &missing);
  EXPECT_EQ(errors.size(), 1u);
  EXPECT_FALSE(missing);
  CheckPinnedPassages(PinOf({{"leaflet#0", "Call"}}), PinnedArticles(), &errors, &missing);
  EXPECT_TRUE(missing);
}

}  // namespace
}  // namespace patientqa::corpus
