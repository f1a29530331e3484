#include <gtest/gtest.h>

#include <algorithm>

#include "index/index_builder.h"
#include "index/searcher.h"
#include "tests/testing/fixtures.h"
#include "tests/testing/test_util.h"

namespace patientqa::index {
namespace {

namespace fs = std::filesystem;
using patientqa::testing::SmallCorpus;
using patientqa::testing::TempDir;

// Pins over SmallCorpus: a question about removing liver metastases gets the MDT passage first
// (which the ranking puts below the liver-surgery passage), then the liver-surgery passage.
constexpr char kPins[] =
    "pin mdt-decides-surgery\n"                                                // 1
    "  ask: Can liver metastases be removed by surgery?\n"                     // 2
    "  passage: mdt#0 | A multidisciplinary team is a group of specialists\n"  // 3
    "  passage: liver#1 | Surgeons can sometimes remove liver metastases\n"    // 4
    "  reviewer: test\n  reviewed: 2026-11-30\n  source: test\n"               // 5-7
    "pin folfox-concepts\n"                                                    // 8
    "  concepts: chemotherapy, surgery\n"                                      // 9
    "  passage: chemo#0 | FOLFOX is a combination\n"                           // 10
    "  reviewer: test\n  reviewed: 2026-11-30\n  source: test\n";

corpus::ClinicalFiles ClinicalWithPins(const std::string& pins) {
  corpus::ClinicalFiles files = patientqa::testing::BundledClinicalFiles();
  files.texts[std::string(corpus::kPinnedAnswersFile)] = pins;
  return files;
}

TEST(PinnedIndexTest, PinsNamingArticlesOutsideTheIndexAreLeftOut) {
  // The bundled pins name articles of the bundled corpus, which SmallCorpus does not have.
  TempDir dir;
  BuildOptions options = patientqa::testing::BundledIndexOptions(dir.path() / "index");
  ASSERT_EQ(options.clinical.texts.count(std::string(corpus::kPinnedAnswersFile)), 1u);
  auto stats = BuildIndex(SmallCorpus(), options);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->pinned_answers, 0);
  EXPECT_FALSE(stats->pins_left_out.empty());
  auto searcher = Searcher::Open(options.out);
  ASSERT_TRUE(searcher.ok()) << searcher.status();
  SearchRequest request;
  request.query = "What should I do if I have a fever during chemotherapy?";
  request.match_pins = true;
  auto result = (*searcher)->Search(request);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->pinned.empty());
}

TEST(PinnedIndexTest, AStalePinFailsTheBuildAndTheOldIndexKeepsServing) {
  TempDir dir;
  BuildOptions options;
  options.out = dir.path() / "index";
  options.clinical = ClinicalWithPins(kPins);
  auto first = BuildIndex(SmallCorpus(), options);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->pinned_answers, 2);
  // The article was edited: passage #1 now says something else.
  auto corpus = SmallCorpus();
  corpus[0].body =
      "## Why does bowel cancer spread to the liver?\n\nBlood flows to the liver first.\n\n"
      "## Is it serious?\n\nAsk your team.\n\n## Can liver metastases be removed?\n\n"
      "Surgeons can sometimes remove liver metastases.\n";
  auto second = BuildIndex(corpus, options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(second.status().message().find("pinned-answers.txt:4: pinned passage liver#1 does "
                                           "not start with 'Surgeons can sometimes remove liver "
                                           "metastases': it starts 'Ask your team.'"),
            std::string::npos)
      << second.status();
  EXPECT_EQ(fs::canonical(options.out), fs::canonical(first->generation_dir));
}

class PinnedSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BuildOptions options;
    options.out = dir_.path() / "index";
    options.clinical = ClinicalWithPins(kPins);
    auto stats = BuildIndex(SmallCorpus(), options);
    ASSERT_TRUE(stats.ok()) << stats.status();
    auto searcher = Searcher::Open(options.out);
    ASSERT_TRUE(searcher.ok()) << searcher.status();
    searcher_ = std::move(*searcher);
  }

  SearchResult Search(SearchRequest request) {
    auto result = searcher_->Search(request);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : SearchResult{};
  }

  static std::vector<std::string> Ids(const std::vector<Hit>& hits) {
    std::vector<std::string> ids;
    for (const Hit& h : hits) ids.push_back(h.passage_id);
    return ids;
  }

  TempDir dir_;
  std::unique_ptr<Searcher> searcher_;
};

TEST_F(PinnedSearchTest, AQuestionMatchingAnIntentGetsThePinnedPassagesInOrder) {
  SearchRequest request;
  request.query = "Can liver metastases be removed by surgery?";
  const SearchResult ranked = Search(request);
  ASSERT_FALSE(ranked.hits.empty());
  EXPECT_EQ(ranked.hits[0].passage_id, "liver#1");  // what the ranking alone chooses
  EXPECT_TRUE(ranked.pinned.empty());               // match_pins is off

  request.match_pins = true;
  const SearchResult r = Search(request);
  EXPECT_EQ(Ids(r.pinned), (std::vector<std::string>{"mdt#0", "liver#1"}));
  EXPECT_EQ(r.pin_id, "mdt-decides-surgery");
  EXPECT_GE(r.pin_similarity, corpus::kDefaultPinSimilarity);
  for (const Hit& h : r.pinned) {
    EXPECT_TRUE(h.pinned);
    EXPECT_FALSE(h.snippet.empty());
    EXPECT_FALSE(h.title.empty());
  }
  EXPECT_NE(r.pinned[1].snippet.find("<mark>"), std::string::npos);
  EXPECT_EQ(Ids(r.hits), Ids(ranked.hits));  // the ranking itself is unchanged
  for (const Hit& h : r.hits) EXPECT_FALSE(h.pinned);
}

TEST_F(PinnedSearchTest, AnUnrelatedQuestionIsNotPinned) {
  SearchRequest request;
  request.query = "What is FOLFOX?";
  request.match_pins = true;
  const SearchResult r = Search(request);
  EXPECT_TRUE(r.pinned.empty());
  EXPECT_TRUE(r.pin_id.empty());
  ASSERT_FALSE(r.hits.empty());
}

TEST_F(PinnedSearchTest, APinnedPassageOffTheRequestedTopicIsLeftOut) {
  SearchRequest request;
  request.query = "Can liver metastases be removed by surgery?";
  request.match_pins = true;
  request.topic = "mdt";
  EXPECT_EQ(Ids(Search(request).pinned), std::vector<std::string>{"mdt#0"});
}

TEST_F(PinnedSearchTest, AConceptOnlyIntentNeedsEveryConceptNamed) {
  SearchRequest request;
  request.query = "Can I have chemo and an operation?";
  request.match_pins = true;
  request.concepts = {{"chemotherapy", 1}};
  EXPECT_TRUE(Search(request).pinned.empty());
  request.concepts.push_back({"surgery", 1});
  const SearchResult r = Search(request);
  EXPECT_EQ(Ids(r.pinned), std::vector<std::string>{"chemo#0"});
  EXPECT_EQ(r.pin_id, "folfox-concepts");
  EXPECT_DOUBLE_EQ(r.pin_similarity, 1.0);
}

}  // namespace
}  // namespace patientqa::index
