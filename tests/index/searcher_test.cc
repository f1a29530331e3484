#include "index/searcher.h"

#include <gtest/gtest.h>

#include <thread>

#include "index/index_builder.h"
#include "tests/testing/fixtures.h"
#include "tests/testing/test_util.h"

namespace patientqa::index {
namespace {

using patientqa::testing::TempDir;

class SearcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BuildOptions options;
    options.out = dir_.path() / "index";
    options.synonyms = {{{"spread", "metastasis", "metastases", "secondaries"}, 1},
                        {{"mdt", "multidisciplinary team", "tumour board"}, 2}};
    auto stats = BuildIndex(patientqa::testing::SmallCorpus(), options);
    ASSERT_TRUE(stats.ok()) << stats.status();
    auto searcher = Searcher::Open(options.out);
    ASSERT_TRUE(searcher.ok()) << searcher.status();
    searcher_ = std::move(*searcher);
  }

  SearchResult Search(const std::string& q, std::vector<std::string> context = {}) {
    SearchRequest request;
    request.query = q;
    request.context = std::move(context);
    auto result = searcher_->Search(request);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : SearchResult{};
  }

  TempDir dir_;
  std::unique_ptr<Searcher> searcher_;
};

TEST_F(SearcherTest, ReturnsCitedPassageForStemmedQuery) {
  SearchResult r = Search("operations removing livers");
  ASSERT_FALSE(r.hits.empty());
  const Hit& top = r.hits[0];
  EXPECT_EQ(top.passage_id, "liver#1");
  EXPECT_EQ(top.title, "Cancer that has spread to the liver");
  EXPECT_EQ(top.publisher, "Test Library");
  EXPECT_EQ(top.url, "https://example.org/liver");
  EXPECT_EQ(top.updated, "2024-01-31");
  EXPECT_EQ(top.section, "Can liver metastases be removed?");
  EXPECT_NE(top.text.find("liver resection"), std::string::npos);
  EXPECT_NE(top.snippet.find("<mark>"), std::string::npos);
  EXPECT_GT(top.score, 0);
}

TEST_F(SearcherTest, ScoresFallWithRank) {
  SearchResult r = Search("liver cancer spread chemotherapy team");
  ASSERT_GE(r.hits.size(), 3u);
  for (size_t i = 1; i < r.hits.size(); ++i) EXPECT_GE(r.hits[i - 1].score, r.hits[i].score);
}

TEST_F(SearcherTest, SynonymsFindTheClinicalWordForTheLayOne) {
  SearchResult r = Search("tumour board");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].article_id, "mdt");

  SearchRequest plain;
  plain.query = "tumour board";
  plain.expand_synonyms = false;
  EXPECT_TRUE(searcher_->Search(plain)->hits.empty());
}

TEST_F(SearcherTest, TopicFilterKeepsOnlyThatTopic) {
  SearchRequest request;
  request.query = "liver chemotherapy team";
  request.topic = "mdt";
  auto r = searcher_->Search(request);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->hits.empty());
  for (const Hit& h : r->hits) EXPECT_EQ(h.article_id, "mdt");
}

TEST_F(SearcherTest, SnippetEscapesMarkup) {
  SearchResult r = Search("FOLFOX <script>");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].snippet.find("<script"), std::string::npos);
}

TEST_F(SearcherTest, StopWordsAloneFindNothing) {
  EXPECT_TRUE(Search("what is it and how can I").hits.empty());
  EXPECT_TRUE(Search("").hits.empty());
}

TEST_F(SearcherTest, ContextWordsHelpAFollowUp) {
  SearchResult r = Search("can it be removed", {"my cancer has spread to the liver"});
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].passage_id, "liver#1");
}

TEST_F(SearcherTest, OddQuerySyntaxDoesNotFail) {
  for (const char* q : {"\"unbalanced", "AND OR NOT", "liver*", "((", "-", "tingling -cold"}) {
    SearchRequest request;
    request.query = q;
    EXPECT_TRUE(searcher_->Search(request).ok()) << q;
  }
}

TEST_F(SearcherTest, ConcurrentSearchesAllSucceed) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        SearchRequest request;
        request.query = "liver metastases removed";
        auto r = searcher_->Search(request);
        if (r.ok() && !r->hits.empty() && r->hits[0].passage_id == "liver#1") ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 400);
}

TEST_F(SearcherTest, GetArticleReturnsTheWholeArticle) {
  auto a = searcher_->GetArticle("mdt");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->title, "The multidisciplinary team");
  EXPECT_EQ(a->references, std::vector<std::string>{"Test reference"});
  EXPECT_EQ(searcher_->GetArticle("nope").status().code(), absl::StatusCode::kNotFound);
}

TEST(SearcherOpenTest, MissingIndexIsAClearError) {
  auto s = Searcher::Open("/nonexistent/patientqa/index");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(std::string(s.status().message()).find("/nonexistent/patientqa/index"),
            std::string::npos);
}

}  // namespace
}  // namespace patientqa::index
