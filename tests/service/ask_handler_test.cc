#include "service/ask_handler.h"

#include <gtest/gtest.h>

#include <regex>

#include "index/index_builder.h"
#include "tests/testing/fixtures.h"
#include "tests/testing/test_util.h"

namespace patientqa::service {
namespace {

using patientqa::testing::TempDir;

class AskHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index::BuildOptions options = patientqa::testing::BundledIndexOptions(dir_.path() / "index");
    ASSERT_TRUE(index::BuildIndex(patientqa::testing::SmallCorpus(), options).ok());
    auto holder = IndexHolder::Open(options.out);
    ASSERT_TRUE(holder.ok()) << holder.status();
    holder_ = std::move(*holder);
    handler_ = std::make_unique<AskHandler>(holder_.get());
  }

  TempDir dir_;
  std::unique_ptr<IndexHolder> holder_;
  std::unique_ptr<AskHandler> handler_;
};

TEST_F(AskHandlerTest, AnswersWithCitedPassagesAndMarkedSentences) {
  auto r = handler_->Ask({.question = "Can liver metastases be removed by surgery?"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->answered);
  ASSERT_FALSE(r->passages.empty());
  EXPECT_EQ(r->passages[0].passage_id, "liver#1");
  EXPECT_FALSE(r->index_version.empty());
  EXPECT_FALSE(r->safety.message.empty());
  // Every sentence of the answer is quoted from the passage its [n] points at.
  const std::regex sentence(R"(([^\[]+?) \[(\d+)\])");
  int sentences = 0;
  for (auto it = std::sregex_iterator(r->answer.begin(), r->answer.end(), sentence);
       it != std::sregex_iterator(); ++it) {
    std::string text = (*it)[1].str();
    text.erase(0, text.find_first_not_of(" "));
    const int n = std::stoi((*it)[2].str());
    ASSERT_GE(n, 1);
    ASSERT_LE(n, static_cast<int>(r->passages.size()));
    EXPECT_NE(r->passages[n - 1].text.find(text), std::string::npos) << text;
    ++sentences;
  }
  EXPECT_GE(sentences, 1);
  EXPECT_LE(sentences, 3);
}

TEST_F(AskHandlerTest, StopsWorkOnceTheDeadlineHasPassed) {
  AskQuery query{.question = "Can liver metastases be removed by surgery?"};
  query.deadline = std::chrono::steady_clock::now() - std::chrono::milliseconds(1);
  auto late = handler_->Ask(query);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_NE(late.status().message().find("deadline passed"), std::string::npos);
  query.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  auto in_time = handler_->Ask(query);
  ASSERT_TRUE(in_time.ok()) << in_time.status();
  EXPECT_TRUE(in_time->answered);
}

TEST_F(AskHandlerTest, ALongMessageIsSearchedByItsQuestion) {
  // Real messages run past 1,000 characters: the back-story, then the question.
  std::string story;
  while (story.size() < 3000) {
    story += "My husband was diagnosed last spring and we have been to so many appointments. ";
  }
  const std::string message = story + "Can liver metastases be removed by surgery?";
  ASSERT_GT(message.size(), 3000u);
  auto r = handler_->Ask({.question = message});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->answered);
  ASSERT_FALSE(r->passages.empty());
  EXPECT_EQ(r->passages[0].passage_id, "liver#1");
  auto too_long = handler_->Ask({.question = std::string(4001, 'a')});
  EXPECT_EQ(too_long.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(AskHandlerTest, SaysPlainlyWhenNothingMatches) {
  auto r = handler_->Ask({.question = "zzzz qqqq"});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->answered);
  EXPECT_TRUE(r->passages.empty());
  EXPECT_NE(r->answer.find("no article"), std::string::npos);
}

TEST_F(AskHandlerTest, MaxPassagesDefaultsToFiveAndIsHonoured) {
  auto r = handler_->Ask({.question = "liver chemotherapy team tingling FOLFOX surgeons"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->passages.size(), 5u);
  r = handler_->Ask({.question = "liver chemotherapy team", .max_passages = 2});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->passages.size(), 2u);
}

TEST_F(AskHandlerTest, CorrectsSpellingAndSaysSo) {
  auto r = handler_->Ask({.question = "can livr metastases be removed"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->did_you_mean, "can liver metastases be removed");
  ASSERT_FALSE(r->passages.empty());
  EXPECT_EQ(r->passages[0].passage_id, "liver#1");
}

TEST_F(AskHandlerTest, RefusesOffTopicQuestionsWithoutPassages) {
  auto r = handler_->Ask({.question = "Can you give me a good recipe for banana bread?"});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->answered);
  EXPECT_TRUE(r->passages.empty());
  EXPECT_NE(r->answer.find("no article"), std::string::npos);
}

TEST_F(AskHandlerTest, EmergencyComesFirstAndPassagesStillFollow) {
  auto r = handler_->Ask({.question = "I'm on FOLFOX and I've suddenly started shivering"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->safety.level, SafetyLevel::kUrgent);
  EXPECT_NE(r->safety.message.find("emergency"), std::string::npos);
  EXPECT_NE(r->safety.message.find("not medical advice"), std::string::npos);
  EXPECT_EQ(r->safety.category, "neutropenic-sepsis");
  auto calm = handler_->Ask({.question = "What is FOLFOX?"});
  ASSERT_TRUE(calm.ok());
  EXPECT_EQ(calm->safety.level, SafetyLevel::kInfo);
  EXPECT_TRUE(calm->safety.category.empty());
}

TEST_F(AskHandlerTest, ContactTheTeamTodayIsItsOwnLevelAndTheQuestionIsAnswered) {
  auto r = handler_->Ask({.question = "My skin has gone yellow and I feel itchy"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->safety.level, SafetyLevel::kContactTeam);
  EXPECT_EQ(r->safety.category, "jaundice");
  EXPECT_NE(r->safety.message.find("cancer team today"), std::string::npos);
}

TEST_F(AskHandlerTest, TriageReadsTheConversation) {
  auto r = handler_->Ask({.question = "now he's shivering and 38.7",
                          .history = {"my husband is on FOLFIRI, cycle 4 was tuesday"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->safety.level, SafetyLevel::kUrgent);
}

TEST_F(AskHandlerTest, AnotherLanguageGetsTheLanguageNoteWithEmergencyNumbers) {
  auto r = handler_->Ask({.question = "Mi marido está con quimioterapia y tiene fiebre de 39"});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->answered);
  EXPECT_TRUE(r->passages.empty());
  EXPECT_EQ(r->safety.category, "other-language");
  EXPECT_NE(r->answer.find("only understands English"), std::string::npos) << r->answer;
  EXPECT_NE(r->answer.find("999"), std::string::npos);
  EXPECT_NE(r->answer.find("solo entiende"), std::string::npos) << r->answer;  // and in Spanish
}

TEST_F(AskHandlerTest, FollowUpIsReadInTheContextOfHistory) {
  auto r = handler_->Ask(
      {.question = "can they remove them?", .history = {"my cancer has spread to the liver"}});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->answered);
  EXPECT_EQ(r->passages[0].passage_id, "liver#1");
  // With history switched off the passage loses the weight of the earlier turn's words.
  AskFeatures no_history;
  no_history.history = false;
  auto plain = handler_->Ask(
      {.question = "can they remove them?", .history = {"my cancer has spread to the liver"}},
      no_history);
  ASSERT_TRUE(plain.ok());
  double plain_score = 0;
  for (const auto& p : plain->passages) {
    if (p.passage_id == "liver#1") plain_score = p.score;
  }
  EXPECT_GT(r->passages[0].score, plain_score);
}

TEST_F(AskHandlerTest, ANewQuestionIsNotOverriddenByAnOldTopic) {
  auto r = handler_->Ask({.question = "What is FOLFOX?",
                          .history = {"my cancer has spread to the liver",
                                      "can liver metastases be removed by surgery?"}});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->answered);
  EXPECT_EQ(r->passages[0].passage_id, "chemo#0");
}

TEST_F(AskHandlerTest, AFollowUpThatLeavesTheSubjectIsRefused) {
  auto r = handler_->Ask({.question = "what's the weather like tomorrow?",
                          .history = {"my cancer has spread to the liver"}});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->answered);
  EXPECT_TRUE(r->passages.empty());
}

TEST_F(AskHandlerTest, AnotherCancerInTheBackStoryDoesNotMakeTheQuestionOffTopic) {
  const std::string message =
      "My sister had chemotherapy for breast cancer a few years ago and she was very unwell with "
      "it, so the whole family is nervous about what is coming. The oncologist has now offered me "
      "a drip every two weeks and gave me a leaflet. What is FOLFOX and how is it given?";
  auto r = handler_->Ask({.question = message});
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->answered);
  EXPECT_EQ(r->passages[0].passage_id, "chemo#0");
  // Asked about the other cancer itself, the library has nothing to say.
  r = handler_->Ask({.question = "What chemotherapy is used for breast cancer?"});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->answered);
}

TEST_F(AskHandlerTest, ReturnsDetectedTopics) {
  auto r = handler_->Ask({.question = "Can chemotherapy shrink liver metastases?"});
  ASSERT_TRUE(r.ok());
  std::vector<std::string> ids;
  for (const auto& t : r->topics) ids.push_back(t.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"spread", "treatment"}));
}

TEST(ValidateAskQueryTest, RejectsEachBadFieldWithItsNameAndLimit) {
  struct Case {
    AskQuery query;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{.question = ""}, "question must be 1..4000 characters, got 0"},
      {{.question = std::string(5000, 'a')}, "question must be 1..4000 characters, got 5000"},
      {{.question = "bad \xFF"}, "question must be valid UTF-8 (invalid byte at offset 4)"},
      {{.question = "   "}, "question must contain more than white space"},
      {{.question = "\u00a0\u200b\u3000"}, "question must contain more than white space"},
      {{.question = "ok", .history = std::vector<std::string>(21, "x")},
       "history must have at most 20 turns, got 21"},
      {{.question = "ok", .history = {"fine", std::string(4001, 'b')}},
       "history[1] must be 0..4000 characters, got 4001"},
      {{.question = "ok", .max_passages = 21}, "max_passages must be 0..20 (0 means 5), got 21"},
      {{.question = "ok", .max_passages = -1}, "max_passages must be 0..20 (0 means 5), got -1"},
      {{.question = "ok", .topic = "astrology"}, "topic must be empty or one of"},
  };
  for (const Case& c : cases) {
    const absl::Status s = ValidateAskQuery(c.query);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_NE(std::string(s.message()).find(c.message), std::string::npos) << s.message();
  }
  // 4000 characters of multi-byte text are fine: the limit counts characters, not bytes.
  std::string e_acute;
  for (int i = 0; i < 4000; ++i) e_acute += "\xC3\xA9";
  EXPECT_TRUE(ValidateAskQuery({.question = e_acute}).ok());
}

TEST_F(AskHandlerTest, SwitchesToARebuiltIndex) {
  const std::string before = holder_->Current()->searcher->version();
  auto corpus = patientqa::testing::SmallCorpus();
  corpus[1].body += "\nA second opinion from another MDT is always possible.\n";
  index::BuildOptions options = patientqa::testing::BundledIndexOptions(dir_.path() / "index");
  ASSERT_TRUE(index::BuildIndex(corpus, options).ok());
  auto reloaded = holder_->ReloadIfChanged();
  ASSERT_TRUE(reloaded.ok());
  EXPECT_TRUE(*reloaded);
  EXPECT_NE(holder_->Current()->searcher->version(), before);
  EXPECT_FALSE(*holder_->ReloadIfChanged());
}

}  // namespace
}  // namespace patientqa::service
