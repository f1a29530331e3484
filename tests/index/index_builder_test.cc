#include "index/index_builder.h"

#include <gtest/gtest.h>

#include "index/generations.h"
#include "index/searcher.h"
#include "tests/testing/fixtures.h"
#include "tests/testing/test_util.h"

namespace patientqa::index {
namespace {

namespace fs = std::filesystem;
using patientqa::testing::SmallCorpus;
using patientqa::testing::TempDir;

TEST(IndexBuilderTest, CountsArticlesAndPassagesAndPublishesALink) {
  TempDir dir;
  BuildOptions options = patientqa::testing::BundledIndexOptions(dir.path() / "index");
  auto stats = BuildIndex(SmallCorpus(), options);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->articles, 3);
  EXPECT_EQ(stats->passages, 5);
  EXPECT_GT(stats->words, 50u);
  EXPECT_FALSE(stats->version.empty());
  EXPECT_TRUE(fs::is_symlink(options.out));
  EXPECT_EQ(fs::canonical(options.out), fs::canonical(stats->generation_dir));
}

TEST(IndexBuilderTest, RebuildSwapsTheLinkAndKeepsOnlyRecentGenerations) {
  TempDir dir;
  BuildOptions options = patientqa::testing::BundledIndexOptions(dir.path() / "index");
  options.keep_old_generations = 1;
  std::vector<fs::path> generations;
  auto corpus = SmallCorpus();
  for (int i = 0; i < 3; ++i) {
    corpus[0].title = "Cancer that has spread to the liver, edition " + std::to_string(i);
    auto stats = BuildIndex(corpus, options);
    ASSERT_TRUE(stats.ok()) << stats.status();
    generations.push_back(stats->generation_dir);
  }
  EXPECT_EQ(fs::canonical(options.out), fs::canonical(generations[2]));
  EXPECT_TRUE(fs::exists(generations[1]));  // the previous one stays for servers still on it
  EXPECT_FALSE(fs::exists(generations[0]));
}

// Found by a reliability probe: three quick rebuilds deleted the generation a server still read
// (DatabaseNotFoundError on almost every call).
TEST(IndexBuilderTest, AGenerationAServerReadsIsNeverRemoved) {
  TempDir dir;
  BuildOptions options = patientqa::testing::BundledIndexOptions(dir.path() / "index");
  options.keep_old_generations = 0;
  auto corpus = SmallCorpus();
  auto first = BuildIndex(corpus, options);
  ASSERT_TRUE(first.ok()) << first.status();
  auto searcher = Searcher::Open(options.out);  // what a server does: pins the generation
  ASSERT_TRUE(searcher.ok()) << searcher.status();
  for (int i = 0; i < 3; ++i) {
    corpus[0].title = "Cancer that has spread to the liver, edition " + std::to_string(i);
    ASSERT_TRUE(BuildIndex(corpus, options).ok());
  }
  EXPECT_TRUE(fs::exists(first->generation_dir));
  SearchRequest request;
  request.query = "liver";
  auto found = (*searcher)->Search(request);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_FALSE(found->hits.empty());

  searcher->reset();  // the server has moved on: the next build may remove it
  ASSERT_TRUE(BuildIndex(corpus, options).ok());
  EXPECT_FALSE(fs::exists(first->generation_dir));
}

// Found by a reliability probe: after `kill -9` of a build, its half-written folder was kept as a
// "previous" generation and the last complete one was deleted.
TEST(IndexBuilderTest, AHalfWrittenBuildIsNeverKeptAsAGeneration) {
  TempDir dir;
  BuildOptions options = patientqa::testing::BundledIndexOptions(dir.path() / "index");
  options.keep_old_generations = 1;
  auto first = BuildIndex(SmallCorpus(), options);
  ASSERT_TRUE(first.ok()) << first.status();
  // What a killed build leaves: a partial folder, sorting after the complete generation.
  const fs::path killed = PartialGenerationPath(options.out, "99991231T000000.000Z-dead");
  fs::create_directories(killed);
  patientqa::testing::WriteFile(killed / "postlist.glass", "half");
  auto corpus = SmallCorpus();
  corpus[0].title = "A new edition";
  auto second = BuildIndex(corpus, options);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(fs::exists(killed));
  EXPECT_TRUE(fs::exists(first->generation_dir));  // the complete previous one is kept
  EXPECT_EQ(fs::canonical(options.out), fs::canonical(second->generation_dir));
}

TEST(IndexBuilderTest, OneBuildAtATime) {
  TempDir dir;
  BuildOptions options = patientqa::testing::BundledIndexOptions(dir.path() / "index");
  auto held = BuildLock::Acquire(options.out);
  ASSERT_TRUE(held.ok()) << held.status();
  auto stats = BuildIndex(SmallCorpus(), options);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(stats.status().message().find("another build"), std::string::npos);
  held->reset();
  EXPECT_TRUE(BuildIndex(SmallCorpus(), options).ok());
}

TEST(IndexBuilderTest, FailedBuildLeavesTheOldIndexServing) {
  TempDir dir;
  BuildOptions options = patientqa::testing::BundledIndexOptions(dir.path() / "index");
  auto first = BuildIndex(SmallCorpus(), options);
  ASSERT_TRUE(first.ok());
  // Block the temporary link's name with a non-empty directory so the swap step fails.
  patientqa::testing::WriteFile(dir.path() / ".index.link-tmp" / "blocker", "x");
  auto second = BuildIndex(SmallCorpus(), options);
  EXPECT_FALSE(second.ok());
  EXPECT_EQ(fs::canonical(options.out), fs::canonical(first->generation_dir));
  auto searcher = Searcher::Open(options.out);
  ASSERT_TRUE(searcher.ok()) << searcher.status();
  EXPECT_EQ((*searcher)->version(), first->version);
}

TEST(IndexBuilderTest, EmptyOutputPathIsRejected) {
  auto stats = BuildIndex(SmallCorpus(), BuildOptions{});
  EXPECT_EQ(stats.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace patientqa::index
