// Question understanding and concept-aware retrieval (issue 12): the questions that lexical
// matching with a synonym list got wrong, the question type and focus recognised, and concept
// terms that let different words for one idea meet.
#include <gtest/gtest.h>

#include <cctype>

#include "re2/re2.h"
#include "tests/service/bundled_index.h"

namespace patientqa::service {
namespace {

// The rank (1-based) of the first of `passages` whose text matches `pattern`, or 0.
int RankOf(const std::vector<index::Hit>& passages, const std::string& pattern) {
  const RE2 re(pattern);
  for (size_t i = 0; i < passages.size(); ++i) {
    if (RE2::PartialMatch(passages[i].text, re)) return static_cast<int>(i) + 1;
  }
  return 0;
}

struct TableCase {
  const char* question;
  const char* answer;  // RE2 pattern of a passage that answers it
};

class IssueTableTest : public ::testing::TestWithParam<TableCase> {};

TEST_P(IssueTableTest, AnAnsweringPassageIsFirstOrSecond) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  auto r = lib->handler->Ask({.question = GetParam().question});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->answered);
  const int rank = RankOf(r->passages, GetParam().answer);
  EXPECT_GE(rank, 1) << "no answering passage in the top " << r->passages.size();
  EXPECT_LE(rank, 2);
}

INSTANTIATE_TEST_SUITE_P(
    Understanding, IssueTableTest,
    ::testing::Values(
        TableCase{"which chemo drugs are used for stage 4 colon cancer",
                  "a small group of drugs is used most"},
        TableCase{"can my liver regrow after part of it is removed",
                  "one of the few organs that can grow back"},
        TableCase{"how often will I have scans after treatment finishes",
                  "Follow-up tests are usually more frequent"},
        TableCase{"can cancer cells spread inside the bowel itself",
                  "Cancer cells shed in the|spread within the bowel|inner lining of the bowel"}),
    [](const ::testing::TestParamInfo<TableCase>& info) {
      std::string name;
      for (const char* c = info.param.question; *c; ++c) {
        if (std::isalnum(static_cast<unsigned char>(*c))) name += *c;
      }
      return name;
    });

TEST(UnderstandingTest, TheQuestionTypeAndFocusAreRecognised) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  auto r = lib->handler->Ask({.question = "How often do I need CT scans after my liver surgery?"});
  ASSERT_TRUE(r.ok());
  const auto& types = r->understanding.types;
  EXPECT_NE(std::find(types.begin(), types.end(), "schedule"), types.end());
  // A test and a treatment are equally specific: the first named is the focus.
  EXPECT_EQ(r->understanding.focus, "scan");
  r = lib->handler->Ask({.question = "What are the side effects of FOLFOX?"});
  ASSERT_TRUE(r.ok());
  const auto& fx = r->understanding.types;
  EXPECT_NE(std::find(fx.begin(), fx.end(), "side-effects"), fx.end());
  EXPECT_FALSE(r->understanding.focus.empty());
}

// "stage 4 colon cancer" only says whose cancer the chemo question is about: with the subject's
// qualifier words at full weight, the passages that say "stage 4" most (the outlook, what stage 4
// means) come first.
TEST(UnderstandingTest, TheSubjectsOwnWordsWeighLessInAQuestionAboutSomethingElse) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  const AskQuery q{.question = "which chemo drugs are used for stage 4 colon cancer"};
  auto r = lib->handler->Ask(q);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->understanding.focus, "chemotherapy");
  const int rank = RankOf(r->passages, "a small group of drugs is used most");
  EXPECT_GE(rank, 1);
  EXPECT_LE(rank, 2);
  RankingParams full_weight;  // the defaults, as the bundled library's handler has
  full_weight.qualifier_weight = 1;
  const AskHandler unweighted(lib->holder.get(), full_weight);
  auto before = unweighted.Ask(q);
  ASSERT_TRUE(before.ok());
  const int old_rank = RankOf(before->passages, "a small group of drugs is used most");
  EXPECT_TRUE(old_rank == 0 || old_rank > rank) << old_rank;
}

// "My oncologist keeps saying 'mets' - what are mets?" asks what mets are: the rare lead-in word
// "oncologist" found a passage on rights at work first when it weighed as much as the subject.
TEST(UnderstandingTest, TheLeadInOfAWhatIsQuestionWeighsLessThanItsSubject) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  const AskQuery q{.question = "My oncologist keeps saying 'mets' - what are mets?"};
  const char* defines =
      "(?i)(areas of cancer that have spread are called metastases|"
      "secondary tumou?r, or metastasis, is an area of cancer)";
  auto r = lib->handler->Ask(q);
  ASSERT_TRUE(r.ok()) << r.status();
  const int rank = RankOf(r->passages, defines);
  EXPECT_GE(rank, 1);
  EXPECT_LE(rank, 3);
  RankingParams full_weight;
  full_weight.lead_in_weight = 1;
  auto before = AskHandler(lib->holder.get(), full_weight).Ask(q);
  ASSERT_TRUE(before.ok());
  const int old_rank = RankOf(before->passages, defines);
  EXPECT_TRUE(old_rank == 0 || old_rank > rank) << old_rank;
}

// "how should he take it?" names nothing; with the turn before it ("Dad has been started on
// capecitabine") it is the known question "How do you take capecitabine tablets?".
TEST(UnderstandingTest, QuestionEntailmentReadsAFollowUpWithTheTurnBeforeIt) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  const AskQuery q{.question = "how should he take it?",
                   .history = {"Dad has been started on capecitabine."}};
  auto best_entailment = [&](const AskHandler& handler) {
    auto r = handler.Ask(q);
    EXPECT_TRUE(r.ok()) << r.status();
    double best = 0;
    if (!r.ok()) return best;
    for (const index::Hit& h : r->passages) {
      if (h.section == "How are capecitabine tablets taken?") best = std::max(best, h.entailment);
    }
    return best;
  };
  RankingParams alone;
  alone.entailment_history = false;
  const double with_history = best_entailment(*lib->handler);
  const double without = best_entailment(AskHandler(lib->holder.get(), alone));
  EXPECT_GT(with_history, 0.3);
  EXPECT_GT(with_history, without + 0.1);
}

// From a try-out: "chemo brain" is a side effect of treatment, not cancer in the brain.
TEST(UnderstandingTest, ChemoBrainIsNotBrainMetastases) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  for (const char* q :
       {"what is chemo brain", "I keep forgetting things on FOLFOX, is that chemo fog?"}) {
    SCOPED_TRACE(q);
    auto r = lib->handler->Ask({.question = q});
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(r->answered);
    ASSERT_FALSE(r->passages.empty());
    EXPECT_EQ(r->passages[0].section, "What is chemo brain?");
    EXPECT_NE(r->understanding.focus, "brain");
  }
}

TEST(UnderstandingTest, QuestionEntailmentNeedsTheQuestionVariants) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  const AskQuery q{.question = "how often will I have scans after treatment finishes"};
  auto full = lib->handler->Ask(q);
  AskFeatures no_variants;
  no_variants.variants = false;
  auto without = lib->handler->Ask(q, no_variants);
  ASSERT_TRUE(full.ok() && without.ok());
  // Only the question variants of the follow-up section say "scans" and "how often".
  const int rank = RankOf(full->passages, "Follow-up tests are usually more frequent");
  ASSERT_GE(rank, 1);
  EXPECT_GT(full->passages[rank - 1].entailment, 0.3);
  for (const index::Hit& h : without->passages) EXPECT_EQ(h.entailment, 0);
}

}  // namespace
}  // namespace patientqa::service
