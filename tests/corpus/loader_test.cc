#include "corpus/loader.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <string>

#include "corpus/files.h"
#include "tests/testing/test_util.h"

namespace patientqa::corpus {
namespace {

using patientqa::testing::TempDir;
using patientqa::testing::WriteFile;

constexpr char kGood[] =
    "---\n"
    "id: liver-basics\n"
    "title: Cancer in the liver\n"
    "publisher: Test Library\n"
    "url: https://example.org/liver\n"
    "updated: 2024-02-29\n"
    "language: en\n"
    "topics: spread, treatment\n"
    "references:\n"
    "- NCI PDQ Colon Cancer Treatment\n"
    "---\n"
    "\n"
    "## Why the liver?\n"
    "\n"
    "Blood from the bowel goes to the liver first.\n";

std::vector<Diagnostic> ParseErrors(const std::string& content) {
  std::vector<Diagnostic> errors;
  EXPECT_FALSE(ParseArticle("bad.md", content, &errors).has_value());
  return errors;
}

TEST(LoaderTest, ParsesAllFieldsOfAValidArticle) {
  std::vector<Diagnostic> errors;
  auto article = ParseArticle("good.md", kGood, &errors);
  ASSERT_TRUE(article.has_value()) << (errors.empty() ? "" : errors[0].ToString());
  EXPECT_EQ(article->id, "liver-basics");
  EXPECT_EQ(article->title, "Cancer in the liver");
  EXPECT_EQ(article->publisher, "Test Library");
  EXPECT_EQ(article->url, "https://example.org/liver");
  EXPECT_EQ(article->updated, "2024-02-29");
  EXPECT_EQ(article->language, "en");
  EXPECT_EQ(article->topics, (std::vector<std::string>{"spread", "treatment"}));
  EXPECT_EQ(article->references, (std::vector<std::string>{"NCI PDQ Colon Cancer Treatment"}));
  EXPECT_EQ(article->body, "## Why the liver?\n\nBlood from the bowel goes to the liver first.\n");
  EXPECT_EQ(article->body_line, 13);
  EXPECT_EQ(article->id_line, 2);
}

struct BadCase {
  const char* name;
  std::string content;
  int line;
  const char* message;
};

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

TEST(LoaderTest, ReportsEachKindOfErrorWithItsLine) {
  const std::vector<BadCase> cases = {
      {"missing title", Replace(kGood, "title: Cancer in the liver\n", ""), 10,
       "missing required field 'title'"},
      {"bad month", Replace(kGood, "2024-02-29", "2024-13-01"), 6,
       "field 'updated' must be a date YYYY-MM-DD, got '2024-13-01'"},
      {"not a leap year", Replace(kGood, "2024-02-29", "2023-02-29"), 6,
       "field 'updated' must be a date YYYY-MM-DD, got '2023-02-29'"},
      {"unknown topic", Replace(kGood, "spread, treatment", "spread, astrology"), 8,
       "unknown topic 'astrology'"},
      {"empty body", kGood + std::string().substr(0) + "", 0, ""},  // replaced below
      {"unknown field", Replace(kGood, "language: en\n", "language: en\nauthor: me\n"), 8,
       "unknown field 'author'"},
      {"empty value", Replace(kGood, "publisher: Test Library", "publisher:"), 4,
       "field 'publisher' is empty"},
      {"no front matter", "Just text\n", 1, "missing front matter"},
      {"unclosed front matter", "---\nid: x\n", 2, "front matter is not closed"},
      {"invalid UTF-8", Replace(kGood, "Blood from", "Blood \xC3\x28 from"), 15,
       "invalid UTF-8 at byte"},
      {"bad id", Replace(kGood, "id: liver-basics", "id: Liver Basics"), 2,
       "id must be lower-case"},
      {"script url", Replace(kGood, "https://example.org/liver", "javascript:alert(1)"), 5,
       "field 'url' must be an http(s) address or /v1/articles/<id>, got 'javascript:alert(1)'"},
      {"data url", Replace(kGood, "https://example.org/liver", "data:text/html,x"), 5,
       "field 'url' must be an http(s) address"},
      {"bare path", Replace(kGood, "https://example.org/liver", "/etc/passwd"), 5,
       "field 'url' must be an http(s) address"},
      {"url with a quote", Replace(kGood, "https://example.org/liver", "https://x.org/\"a"), 5,
       "field 'url' must be an http(s) address"},
      {"markup in title", Replace(kGood, "Cancer in the liver", "Cancer <b>in</b> the liver"), 3,
       "field 'title' must be plain text, not markup"},
      {"markup in publisher", Replace(kGood, "Test Library", "<img src=x onerror=alert(1)>"), 4,
       "field 'publisher' must be plain text, not markup"},
  };
  for (BadCase c : cases) {
    if (std::string(c.name) == "empty body") {
      c.content = kGood;
      c.content.resize(c.content.find("\n## Why"));
      c.line = 12;
      c.message = "empty body";
    }
    SCOPED_TRACE(c.name);
    const std::vector<Diagnostic> errors = ParseErrors(c.content);
    ASSERT_EQ(errors.size(), 1u) << (errors.empty() ? "" : errors[1 % errors.size()].ToString());
    EXPECT_EQ(errors[0].file, "bad.md");
    EXPECT_EQ(errors[0].line, c.line);
    EXPECT_NE(errors[0].message.find(c.message), std::string::npos) << errors[0].ToString();
    EXPECT_EQ(errors[0].ToString().rfind("bad.md:" + std::to_string(c.line) + ": ", 0), 0u);
  }
}

TEST(LoaderTest, OwnArticlePathsAndPlainComparisonsAreAllowed) {
  std::vector<Diagnostic> errors;
  const auto a =
      ParseArticle("ok.md",
                   Replace(Replace(kGood, "https://example.org/liver", "/v1/articles/liver-basics"),
                           "Cancer in the liver", "Temperature < 36 or > 38"),
                   &errors);
  EXPECT_TRUE(a.has_value()) << (errors.empty() ? "" : errors[0].ToString());
}

TEST(LoaderTest, DuplicateIdsAcrossFilesAreReportedAtTheIdLine) {
  TempDir dir;
  WriteFile(dir.path() / "articles" / "a.md", kGood);
  WriteFile(dir.path() / "articles" / "b.md", kGood);
  LoadResult result = LoadCorpusDir(dir.path());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].file, (dir.path() / "articles" / "b.md").string());
  EXPECT_EQ(result.errors[0].line, 2);
  EXPECT_NE(result.errors[0].message.find("duplicate id 'liver-basics'"), std::string::npos);
}

TEST(LoaderTest, OneBadFileDoesNotHideProblemsInOthers) {
  TempDir dir;
  WriteFile(dir.path() / "a.md", Replace(kGood, "title: Cancer in the liver\n", ""));
  WriteFile(dir.path() / "b.md", Replace(kGood, "liver-basics", "other"));
  WriteFile(dir.path() / "c.md",
            Replace(Replace(kGood, "liver-basics", "third"), "2024-02-29", "soon"));
  LoadResult result = LoadCorpusDir(dir.path());
  EXPECT_EQ(result.articles.size(), 1u);
  EXPECT_EQ(result.errors.size(), 2u);
  EXPECT_NE(DiagnosticsToStatus(result.errors).message().find("a.md:10: missing required"),
            std::string::npos);
}

TEST(LoaderTest, EmptyDirectoryIsAnError) {
  TempDir dir;
  LoadResult result = LoadCorpusDir(dir.path());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].message.find("no article files"), std::string::npos);
}

// Found by a reliability probe: a link to itself aborted the indexer, and FIFOs, links to
// devices and directories named *.md were skipped without a word.
TEST(LoaderTest, IrregularEntriesAreReportedByPathAndNeverAbort) {
  TempDir dir;
  const std::filesystem::path articles = dir.path() / "articles";
  WriteFile(articles / "good.md", kGood);
  std::filesystem::create_symlink("loop.md", articles / "loop.md");
  std::filesystem::create_symlink("missing-target", articles / "dangling.md");
  std::filesystem::create_symlink("/dev/zero", articles / "zero.md");
  std::filesystem::create_directory(articles / "folder.md");
  ASSERT_EQ(mkfifo((articles / "pipe.md").c_str(), 0600), 0);
  WriteFile(articles / "huge.md", std::string(kMaxCorpusFileBytes + 1, 'a'));

  LoadResult result = LoadCorpusDir(dir.path());
  ASSERT_EQ(result.articles.size(), 1u);
  EXPECT_EQ(result.articles[0].id, "liver-basics");
  std::map<std::string, std::string> by_file;
  for (const Diagnostic& e : result.errors) by_file[e.file] = e.message;
  ASSERT_EQ(by_file.size(), 6u) << DiagnosticsToStatus(result.errors).message();
  auto message = [&](const char* name) { return by_file[(articles / name).string()]; };
  EXPECT_NE(message("loop.md").find("cannot be read"), std::string::npos) << message("loop.md");
  EXPECT_NE(message("dangling.md").find("dangling link"), std::string::npos);
  EXPECT_NE(message("zero.md").find("a device"), std::string::npos);
  EXPECT_NE(message("folder.md").find("a directory"), std::string::npos);
  EXPECT_NE(message("pipe.md").find("FIFO"), std::string::npos);
  EXPECT_NE(message("huge.md").find("more than the limit"), std::string::npos);
}

TEST(LoaderTest, SeedFurnitureIsRemovedByRuleAndGapsAreShown) {
  const std::string seed =
      "---\nid: seed\ntitle: What should I do? above .\npublisher: Mondo Health\n"
      "url: https://example.org/x\nupdated: 2024-02-12\nlanguage: en\ntopics: spread\n---\n"
      "What should I do? above .\n\nMondo Health Updated on 2024-02-12\n\n"
      "Targeted ** helps, and intervention** too.\n\nRelated Pages";
  std::vector<Diagnostic> errors;
  auto article = ParseArticle("seed.md", seed, &errors);
  ASSERT_TRUE(article.has_value());
  EXPECT_EQ(article->title, "What should I do?");
  EXPECT_EQ(article->body, "Targeted […] helps, and intervention […] too.\n");
  EXPECT_EQ(article->body_line, 14);
}

TEST(LoaderTest, BundledCorpusLoadsWithoutErrors) {
  LoadResult result = LoadCorpusDir(patientqa::testing::SourceDir() / "corpus");
  for (const auto& e : result.errors) ADD_FAILURE() << e.ToString();
  EXPECT_GE(result.articles.size(), 31u);
}

TEST(LoaderTest, SeedArticleBodyIsTheSeedWordForWord) {
  const auto shared_seed =
      patientqa::testing::SharedDir() / "seed" / "colorectal-cancer-metastasis-mdt.txt";
  if (!std::filesystem::exists(shared_seed)) GTEST_SKIP() << "../shared/seed is absent";
  const std::string corpus_file =
      patientqa::testing::ReadFile(patientqa::testing::SourceDir() / "corpus" / "articles" /
                                   "mondo-colorectal-metastasis-mdt.md");
  const std::string marker = "\n---\n";
  const size_t end = corpus_file.find(marker, 4);
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(corpus_file.substr(end + marker.size()), patientqa::testing::ReadFile(shared_seed));
}

}  // namespace
}  // namespace patientqa::corpus
