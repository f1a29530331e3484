#include "service/answer_builder.h"

#include <gtest/gtest.h>

#include "index/index_builder.h"
#include "tests/testing/fixtures.h"
#include "tests/testing/test_util.h"

namespace patientqa::service {
namespace {

class AnswerBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index::BuildOptions options = patientqa::testing::BundledIndexOptions(dir_.path() / "index");
    ASSERT_TRUE(index::BuildIndex(patientqa::testing::SmallCorpus(), options).ok());
    searcher_ = std::move(*index::Searcher::Open(options.out));
  }

  static index::Hit MakeHit(std::string text) {
    index::Hit h;
    h.text = std::move(text);
    return h;
  }

  patientqa::testing::TempDir dir_;
  std::unique_ptr<index::Searcher> searcher_;
};

TEST_F(AnswerBuilderTest, PicksTheSentenceThatMatchesAndMarksItsPassage) {
  const std::vector<index::Hit> hits = {
      MakeHit("The weather is nice today. Oxaliplatin causes tingling in the cold."),
      MakeHit("Other text about nothing much at all here.")};
  const std::string answer = BuildExtractiveAnswer(
      hits, searcher_->ContentTerms("does oxaliplatin cause tingling"), *searcher_);
  EXPECT_EQ(answer, "Oxaliplatin causes tingling in the cold. [1]");
}

TEST_F(AnswerBuilderTest, AddsASecondSentenceOnlyWhenItCoversNewWords) {
  const std::vector<index::Hit> hits = {
      MakeHit("Surgery can remove liver metastases in some people."),
      MakeHit("Surgery can remove liver metastases in many cases. Chemotherapy can shrink them "
              "before surgery.")};
  const std::string answer = BuildExtractiveAnswer(
      hits, searcher_->ContentTerms("liver metastases surgery chemotherapy shrink"), *searcher_);
  EXPECT_EQ(answer,
            "Surgery can remove liver metastases in some people. [1] Chemotherapy can shrink them "
            "before surgery. [2]");
}

TEST_F(AnswerBuilderTest, ForWhatIsXTheSentenceThatDefinesXComesFirst) {
  const std::vector<index::Hit> hits = {
      MakeHit("Many people on FOLFOX feel tired, and FOLFOX side effects add up over the cycles. "
              "FOLFOX is a combination of chemotherapy drugs given through a drip.")};
  const std::vector<std::string> terms = searcher_->ContentTerms("What is FOLFOX?");
  AnswerOptions options;
  options.max_sentences = 1;
  EXPECT_EQ(
      BuildExtractiveAnswer(hits, terms, *searcher_, options),
      "Many people on FOLFOX feel tired, and FOLFOX side effects add up over the cycles. [1]");
  options.definition_subject = "folfox";
  EXPECT_EQ(BuildExtractiveAnswer(hits, terms, *searcher_, options),
            "FOLFOX is a combination of chemotherapy drugs given through a drip. [1]");
}

TEST_F(AnswerBuilderTest, EmptyWithoutHits) {
  EXPECT_EQ(BuildExtractiveAnswer({}, {"liver"}, *searcher_), "");
}

}  // namespace
}  // namespace patientqa::service
