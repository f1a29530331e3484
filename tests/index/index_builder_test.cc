#include "index/index_builder.h"

#include <gtest/gtest.h>

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
  BuildOptions options;
  options.out = dir.path() / "index";
  options.clinical = patientqa::testing::BundledClinicalFiles();
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
  BuildOptions options;
  options.out = dir.path() / "index";
  options.clinical = patientqa::testing::BundledClinicalFiles();
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

TEST(IndexBuilderTest, FailedBuildLeavesTheOldIndexServing) {
  TempDir dir;
  BuildOptions options;
  options.out = dir.path() / "index";
  options.clinical = patientqa::testing::BundledClinicalFiles();
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
