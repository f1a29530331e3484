#include "corpus/importers.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "corpus/sources.h"
#include "tests/testing/test_util.h"

namespace patientqa::corpus {
namespace {

using patientqa::testing::TempDir;
using patientqa::testing::WriteFile;

TEST(JsonlImportTest, LoadsArticlesWithListsOrStrings) {
  TempDir dir;
  WriteFile(
      dir.path() / "a.jsonl",
      R"({"id":"leaflet-1","title":"Liver surgery","publisher":"St Elsewhere","url":"https://h.example/1","updated":"2025-03-01","language":"en","topics":["treatment","spread"],"references":["NCI PDQ"],"body":"## What is it?\n\nA liver resection removes part of the liver.\n"})"
      "\n\n"
      R"({"id":"leaflet-2","title":"MDT","publisher":"St Elsewhere","url":"https://h.example/2","updated":"2025-03-01","language":"en","topics":"mdt","body":"## Who?\n\nThe team meets weekly.\n"})"
      "\n");
  LoadResult r = LoadJsonlArticles(dir.path() / "a.jsonl");
  ASSERT_TRUE(r.errors.empty()) << r.errors[0].ToString();
  ASSERT_EQ(r.articles.size(), 2u);
  EXPECT_EQ(r.articles[0].topics, (std::vector<std::string>{"treatment", "spread"}));
  EXPECT_EQ(r.articles[0].references, std::vector<std::string>{"NCI PDQ"});
  EXPECT_EQ(r.articles[1].topics, std::vector<std::string>{"mdt"});
  EXPECT_EQ(r.articles[1].id_line, 3);
}

TEST(JsonlImportTest, ReportsErrorsAtTheJsonLine) {
  TempDir dir;
  WriteFile(
      dir.path() / "b.jsonl",
      R"({"id":"x","title":"T","publisher":"P","url":"https://h.example/x","updated":"2025-02-30","language":"en","topics":"mdt","body":"text"})"
      "\n"
      "{not json\n"
      R"({"id":"y","publisher":"P","url":"https://h.example/x","updated":"2025-02-01","language":"en","topics":"mdt","body":"text","colour":"red"})"
      "\n"
      R"({"id":"x","title":"T","publisher":"P","url":"https://h.example/x","updated":"2025-02-01","language":"en","topics":"mdt","body":""})"
      "\n");
  LoadResult r = LoadJsonlArticles(dir.path() / "b.jsonl");
  std::vector<std::string> got;
  for (const auto& e : r.errors) got.push_back(e.ToString());
  const std::string f = (dir.path() / "b.jsonl").string();
  ASSERT_EQ(got.size(), 5u) << ::testing::PrintToString(got);
  EXPECT_EQ(got[0], f + ":1: field 'updated' must be a date YYYY-MM-DD, got '2025-02-30'");
  EXPECT_EQ(got[1].rfind(f + ":2: invalid JSON", 0), 0u);
  EXPECT_EQ(got[2], f + ":3: unknown field 'colour'");
  EXPECT_EQ(got[3], f + ":3: missing required field 'title'");
  EXPECT_EQ(got[4], f + ":4: empty body");
}

TEST(MarkdownFolderImportTest, DuplicateIdsAcrossSourcesAreCaught) {
  TempDir dir;
  const std::string article =
      "---\nid: dup\ntitle: T\npublisher: P\nurl: https://example.org/dup\nupdated: "
      "2025-01-01\nlanguage: en\n"
      "topics: mdt\n---\nBody.\n";
  WriteFile(dir.path() / "md" / "dup.md", article);
  WriteFile(dir.path() / "more" / "dup.md", article);
  CorpusSources sources;
  sources.markdown = {(dir.path() / "md").string(), (dir.path() / "more").string()};
  LoadedCorpus loaded = LoadSources(sources);
  ASSERT_EQ(loaded.errors.size(), 1u);
  EXPECT_NE(loaded.errors[0].ToString().find("more/dup.md:2: duplicate id 'dup'"),
            std::string::npos)
      << loaded.errors[0].ToString();
}

TEST(MedquadImportTest, OneArticlePerAnswerWithReadableHeadingNoQuestionText) {
  const auto path = patientqa::testing::SharedDir() / "corpus-medquad" / "cancergov_qa.jsonl";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "../shared/corpus-medquad is absent";
  MedquadImport m = ImportMedquad(path);
  ASSERT_TRUE(m.errors.empty()) << m.errors[0].ToString();
  EXPECT_EQ(m.pairs.size(), 729u);
  EXPECT_EQ(m.articles.size(), 729u);
  std::set<std::string> ids;
  for (const Article& a : m.articles) {
    EXPECT_TRUE(ids.insert(a.id).second) << a.id;
    EXPECT_EQ(a.topics.size(), 1u) << a.id;
  }
  std::map<std::string, const Article*> colon;  // qtype -> article, for the colon treatment page
  for (const MedquadPair& p : m.pairs) {
    if (p.source_url.find("colon-treatment-pdq") == std::string::npos) continue;
    for (const Article& a : m.articles) {
      if (a.id == p.article_id) colon[p.qtype] = &a;
    }
  }
  ASSERT_EQ(colon.size(), 8u);
  EXPECT_EQ(colon.at("treatment")->id, "pdq-colon-treatment-pdq-treatment");
  EXPECT_EQ(colon.at("treatment")->title, "Colon Cancer: Treatment");
  EXPECT_EQ(colon.at("treatment")->url,
            "https://www.cancer.gov/types/colorectal/patient/colon-treatment-pdq");
  EXPECT_EQ(colon.at("treatment")->topics, std::vector<std::string>{"treatment"});
  EXPECT_EQ(colon.at("susceptibility")->title, "Colon Cancer: Risk factors");
  EXPECT_EQ(colon.at("susceptibility")->body.rfind("## Risk factors\n\n", 0), 0u);
  EXPECT_EQ(colon.at("exams and tests")->title, "Colon Cancer: Exams and tests for diagnosis");
  EXPECT_EQ(colon.at("stages")->body.rfind("## Stages\n\n", 0), 0u);
  for (const MedquadPair& p : m.pairs) {
    ASSERT_FALSE(p.article_id.empty());
    // The templated question never reaches an article.
    if (p.question.size() > 20) {
      for (const Article& a : m.articles) {
        ASSERT_EQ(a.body.find(p.question), std::string::npos) << p.id;
      }
      break;  // one full scan is enough to show the importer never copies it
    }
  }
}

}  // namespace
}  // namespace patientqa::corpus

namespace patientqa::corpus {
namespace {

TEST(ImportValidationTest, ScriptUrlsAndMarkupAreRefusedWithTheLine) {
  patientqa::testing::TempDir dir;
  patientqa::testing::WriteFile(
      dir.path() / "a.jsonl",
      R"json({"id":"ok","title":"Fine","publisher":"P","url":"https://h.example/1","updated":"2025-03-01","language":"en","topics":"mdt","body":"Text."})json"
      "\n"
      R"json({"id":"bad-url","title":"Fine","publisher":"P","url":"javascript:alert(1)","updated":"2025-03-01","language":"en","topics":"mdt","body":"Text."})json"
      "\n"
      R"json({"id":"bad-title","title":"<script>x</script>","publisher":"P","url":"https://h.example/2","updated":"2025-03-01","language":"en","topics":"mdt","body":"Text."})json"
      "\n");
  const LoadResult r = LoadJsonlArticles(dir.path() / "a.jsonl");
  ASSERT_EQ(r.articles.size(), 1u);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_NE(r.errors[0].ToString().find("a.jsonl:2: field 'url' must be an http(s) address"),
            std::string::npos)
      << r.errors[0].ToString();
  EXPECT_NE(r.errors[1].ToString().find("a.jsonl:3: field 'title' must be plain text"),
            std::string::npos)
      << r.errors[1].ToString();

  patientqa::testing::WriteFile(
      dir.path() / "m.jsonl",
      R"json({"id":"1","source_url":"javascript:x","focus":"Colon Cancer","qtype":"treatment","question":"q?","answer":"a."})json"
      "\n");
  const MedquadImport m = ImportMedquad(dir.path() / "m.jsonl");
  EXPECT_TRUE(m.articles.empty());
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_NE(m.errors[0].ToString().find("m.jsonl:1: source_url: field 'url' must be"),
            std::string::npos)
      << m.errors[0].ToString();
}

}  // namespace
}  // namespace patientqa::corpus

namespace patientqa::corpus {
namespace {

TEST(MedquadImportTest, ItsQuestionsBecomeQuestionVariantsOnlyWhenAsked) {
  const std::string line =
      R"json({"id":"1","source_url":"https://www.cancer.gov/types/colorectal/patient/colon-treatment-pdq","focus":"Colon Cancer","qtype":"treatment","question":"What are the treatments for Colon Cancer ?","answer":"There are different types of treatment."})json"
      "\n";
  const MedquadImport plain = ParseMedquad("m.jsonl", line);
  ASSERT_EQ(plain.articles.size(), 1u);
  EXPECT_TRUE(plain.articles[0].section_questions.empty());
  MedquadOptions options;
  options.question_variants = true;
  const MedquadImport with = ParseMedquad("m.jsonl", line, options);
  ASSERT_EQ(with.articles.size(), 1u);
  ASSERT_EQ(with.articles[0].section_questions.size(), 1u);
  EXPECT_EQ(with.articles[0].section_questions[0].section, "Treatment");
  EXPECT_EQ(with.articles[0].section_questions[0].questions,
            std::vector<std::string>{"What are the treatments for Colon Cancer ?"});
  // Never in the text a reader sees.
  EXPECT_EQ(with.articles[0].body.find("What are the treatments"), std::string::npos);
}

}  // namespace
}  // namespace patientqa::corpus
