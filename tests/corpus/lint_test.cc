#include "corpus/lint.h"

#include <gtest/gtest.h>

#include "corpus/loader.h"
#include "tests/testing/test_util.h"

namespace patientqa::corpus {
namespace {

// An article by publisher "P", reviewed 2024-01-01 and due 2025-01-01, citing one page.
std::string ArticleText(const std::string& id, const std::string& body, bool references = true) {
  return "---\nid: " + id + "\ntitle: Title " + id +
         "\npublisher: P\nurl: https://example.org/x\nupdated: 2024-01-01\nlanguage: en\n"
         "topics: spread\nreviewed: 2024-01-01\nreview_due: 2025-01-01\nreviewer: test reviewer\n" +
         (references ? "references:\n- P, A public page, https://example.org/source/page\n" : "") +
         "---\n" + body;
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

Article Parse(const std::string& file, const std::string& text) {
  std::vector<Diagnostic> errors;
  auto a = ParseArticle(file, text, &errors);
  EXPECT_TRUE(a.has_value()) << (errors.empty() ? "" : errors[0].ToString());
  return *a;
}

const std::string kPlain =
    "## Why does it spread?\n\nThe cells move in the blood. They can grow in the liver. "
    "Doctors look for them with scans.\n";

TEST(LintTest, CleanArticlesPass) {
  const LintReport r = Lint({Parse("a.md", ArticleText("a", kPlain))}, LintOptions{});
  EXPECT_TRUE(r.errors.empty()) << r.errors[0].ToString();
  ASSERT_EQ(r.articles.size(), 1u);
  EXPECT_EQ(r.articles[0].passages, 1);
  EXPECT_LT(r.articles[0].grade, 6);
}

TEST(LintTest, ReportsEachKindOfProblemWithFileAndLine) {
  const std::string hard =
      "## Section\n\nNotwithstanding considerable heterogeneity, multidisciplinary "
      "institutional collaboration facilitates individualised pharmacological "
      "decision-making regarding chemotherapeutic administration, consequently "
      "optimising therapeutic effectiveness whilst minimising unnecessary toxicity.\n";
  const std::string shared =
      "Liver surgery takes out the part of the liver with the cancer. The healthy part is left. "
      "It grows back in the weeks after.";
  std::vector<Article> articles = {
      Parse("noref.md", ArticleText("noref", kPlain, /*references=*/false)),
      Parse("hard.md", ArticleText("hard", hard)),
      Parse("one.md", ArticleText("one", "## A\n\n" + shared + "\n")),
      Parse("two.md", ArticleText("two", "## B\n\nIntro line.\n\n" + shared + " Ask the team.\n")),
      Parse("three.md", ArticleText("three", "## C\n\n" + shared + "\n")),
  };
  LintOptions options;
  std::vector<Diagnostic> coverage_errors;
  options.coverage = ParseCoverage(
      "coverage.txt", "# comment\nSpread | spreading | spread\nMDT | boards | tumour board\n",
      &coverage_errors);
  ASSERT_TRUE(coverage_errors.empty());
  const LintReport r = Lint(articles, options);
  std::vector<std::string> got;
  for (const auto& e : r.errors) got.push_back(e.ToString());
  const std::vector<std::string> expected = {
      "noref.md:12: no references: list the public sources the facts come from",
      "hard.md:15: readability grade",
      "two.md:19: passage nearly duplicates one.md:17 (similarity 0.",
      "three.md:17: passage duplicates one.md:17 (similarity 1.00)",
      "three.md:17: passage nearly duplicates two.md:19 (similarity 0.",
      "coverage.txt:3: no article covers 'MDT: boards'",
  };
  ASSERT_EQ(got.size(), expected.size()) << ::testing::PrintToString(got);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(got[i].rfind(expected[i], 0), 0u) << got[i] << "\nexpected: " << expected[i];
  }
  // Short articles are a warning, not an error.
  EXPECT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings[0].message.find("words; aim for 300..1000"), std::string::npos);
  ASSERT_EQ(r.coverage.size(), 2u);
  EXPECT_EQ(r.coverage[0].article_ids, (std::vector<std::string>{"noref"}));
  const std::string text = FormatLintReport(r, options);
  EXPECT_NE(text.find("MISSING"), std::string::npos);
  EXPECT_NE(text.find("lint: 5 articles"), std::string::npos);
}

TEST(LintTest, VerbatimArticleIsReportedButDoesNotFailOnReadability) {
  std::string text =
      ArticleText("seed",
                  "Notwithstanding considerable heterogeneity, multidisciplinary institutional "
                  "collaboration facilitates individualised pharmacological decision-making.\n");
  text.replace(text.find("topics:"), 0, "verbatim: true\n");
  const LintReport r = Lint({Parse("seed.md", text)}, LintOptions{});
  EXPECT_TRUE(r.errors.empty());
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings[0].message.find("quoted word for word"), std::string::npos);
}

TEST(LintTest, GovernanceFieldsAreRequiredAndReviewDatesChecked) {
  const std::string good = ArticleText("a", kPlain);
  const std::vector<Article> articles = {
      Parse("noreviewer.md", Replace(good, "reviewer: test reviewer\n", "")),
      Parse("backwards.md", Replace(good, "review_due: 2025-01-01", "review_due: 2023-06-01")),
      Parse("due.md", good),
  };
  LintOptions options;
  options.today = "2025-03-01";
  const LintReport r = Lint(articles, options);
  std::vector<std::string> got;  // the same body three times: leave out the duplicate passages
  for (const auto& e : r.errors) {
    if (e.message.find("duplicates") == std::string::npos) got.push_back(e.ToString());
  }
  ASSERT_EQ(got.size(), 2u) << ::testing::PrintToString(got);
  EXPECT_EQ(got[0],
            "noreviewer.md:13: missing governance field 'reviewer' (who reviewed it: a "
            "role, or 'pending clinical review')");
  EXPECT_EQ(got[1], "backwards.md:14: review_due 2023-06-01 must come after reviewed 2024-01-01");
  bool overdue = false;
  for (const auto& w : r.warnings) {
    overdue = overdue || (w.file == "due.md" &&
                          w.message.find("review was due on 2025-01-01") != std::string::npos);
  }
  EXPECT_TRUE(overdue);
  const std::string table = FormatLintReport(r, options);
  EXPECT_NE(table.find("reviewed   review due"), std::string::npos) << table;
  EXPECT_NE(table.find("2024-01-01 2025-01-01  (review overdue)"), std::string::npos) << table;
}

TEST(LintTest, ReferencesArePagesWithOneSpellingPerPublisher) {
  std::vector<Diagnostic> errors;
  LintOptions options;
  options.publishers = ParsePublishers(
      "publishers.txt", "# one spelling each\nP | Pee\nCancer Research UK | CRUK\n", &errors);
  ASSERT_TRUE(errors.empty());
  const std::string refs = "references:\n- P, A public page, https://example.org/source/page\n";
  const std::string good = ArticleText("a", kPlain);
  const LintReport r = Lint(
      {Parse("home.md",
             Replace(good, refs,
                     "references:\n- CRUK, Bowel cancer, https://www.cancerresearchuk.org/\n")),
       Parse("nourl.md", Replace(good, refs, "references:\n- P, A leaflet we were given\n")),
       Parse("unknown.md",
             Replace(good, refs, "references:\n- Somebody, A page, https://x.org/a\n")),
       Parse("publisher.md", Replace(good, "publisher: P", "publisher: Pee")),
       Parse("good.md", good)},
      options);
  std::vector<std::string> got;  // the same body five times: leave out the duplicate passages
  for (const auto& e : r.errors) {
    if (e.message.find("duplicates") == std::string::npos) got.push_back(e.ToString());
  }
  const std::vector<std::string> expected = {
      "home.md:13: reference cites a site's home page (https://www.cancerresearchuk.org/): cite "
      "the page that supports the claim",
      "home.md:13: publisher 'CRUK' is spelt 'Cancer Research UK' in this library (one spelling "
      "per publisher)",
      "nourl.md:13: a reference must be 'Publisher, Page title, https://address-of-the-page'",
      "unknown.md:13: unknown publisher 'Somebody': add it to the publishers table "
      "(corpus/publishers.txt)",
      "publisher.md:4: publisher 'Pee' is spelt 'P' in this library (one spelling per publisher)",
  };
  EXPECT_EQ(got, expected);
}

TEST(LintTest, APublisherListedTwiceIsAnError) {
  std::vector<Diagnostic> errors;
  ParsePublishers("p.txt", "NHS | NHS website\nNHS website\n | x\n", &errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].ToString(), "p.txt:2: 'NHS website' is already listed on line 1");
  EXPECT_EQ(errors[1].ToString(), "p.txt:3: expected 'Name | other spellings'");
}

TEST(LintTest, BadCoverageLinesAreErrors) {
  std::vector<Diagnostic> errors;
  ParseCoverage("c.txt", "only | two\nA | b | (unclosed\n", &errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].ToString(), "c.txt:1: expected 'group | subtopic | regex'");
  EXPECT_EQ(errors[1].ToString().rfind("c.txt:2: bad regular expression", 0), 0u);
}

TEST(LintTest, BundledCorpusPassesAndCoversEverySubject) {
  const auto dir = patientqa::testing::SourceDir() / "corpus";
  LoadResult loaded = LoadCorpusDir(dir);
  ASSERT_TRUE(loaded.errors.empty());
  LintOptions options;
  std::vector<Diagnostic> errors;
  options.coverage =
      ParseCoverage("coverage.txt", patientqa::testing::ReadFile(dir / "coverage.txt"), &errors);
  options.publishers = ParsePublishers(
      "publishers.txt", patientqa::testing::ReadFile(dir / "publishers.txt"), &errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_GE(options.coverage.size(), 30u);
  const LintReport r = Lint(loaded.articles, options);
  for (const auto& e : r.errors) ADD_FAILURE() << e.ToString();
  for (const auto& row : r.coverage) EXPECT_FALSE(row.article_ids.empty()) << row.rule->subtopic;
  int own = 0;
  for (const auto& a : r.articles) {
    if (a.id.rfind("mondo-", 0) != 0) {
      ++own;
      EXPECT_LE(a.grade, 9.0) << a.id;
      EXPECT_GE(a.words, 300) << a.id;
      EXPECT_LE(a.words, 1000) << a.id;
    }
  }
  EXPECT_GE(own, 30);
}

}  // namespace
}  // namespace patientqa::corpus
