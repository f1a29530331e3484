// Pinned answers through the whole answer pipeline: triage and scope first, then the clinician's
// chosen passages ahead of the ranking, in the API (proto and HTTP JSON) and the answer cache.

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "index/index_builder.h"
#include "patientqa/v1/patientqa.pb.h"
#include "service/ask_handler.h"
#include "service/cache/answer_cache.h"
#include "service/http/routes.h"
#include "service/library_handler.h"
#include "tests/service/bundled_index.h"
#include "tests/testing/fixtures.h"
#include "tests/testing/test_util.h"

namespace patientqa::service {
namespace {

using patientqa::testing::TempDir;

// Over SmallCorpus: a question about removing liver metastases gets the MDT passage first (the
// ranking puts the liver-surgery passage first), then the liver-surgery passage; any question
// naming oxaliplatin gets the FOLFOX passage first.
constexpr char kPins[] =
    "pin mdt-decides-surgery\n"
    "  ask: Can liver metastases be removed by surgery?\n"
    "  passage: mdt#0 | A multidisciplinary team is a group of specialists\n"
    "  passage: liver#1 | Surgeons can sometimes remove liver metastases\n"
    "  reviewer: test\n  reviewed: 2026-11-30\n  source: test\n"
    "pin oxaliplatin\n"
    "  concepts: oxaliplatin\n"
    "  passage: chemo#0 | FOLFOX is a combination of chemotherapy drugs\n"
    "  reviewer: test\n  reviewed: 2026-11-30\n  source: test\n";

constexpr char kPinnedQuestion[] = "Can liver metastases be removed by surgery?";

std::vector<std::string> Ids(const std::vector<index::Hit>& hits) {
  std::vector<std::string> ids;
  for (const index::Hit& h : hits) ids.push_back(h.passage_id);
  return ids;
}

AskFeatures WithoutPins() {
  AskFeatures f;
  f.pins = false;
  return f;
}

class PinnedAnswersTest : public ::testing::Test {
 protected:
  void SetUp() override { Build(kPins); }

  void Build(const std::string& pins) {
    index::BuildOptions options = patientqa::testing::BundledIndexOptions(dir_.path() / "index");
    options.clinical.texts[corpus::kPinnedAnswersFile] = pins;
    auto built = index::BuildIndex(patientqa::testing::SmallCorpus(), options);
    ASSERT_TRUE(built.ok()) << built.status();
    if (holder_ == nullptr) {
      auto holder = IndexHolder::Open(options.out);
      ASSERT_TRUE(holder.ok()) << holder.status();
      holder_ = std::move(*holder);
    } else {
      auto reloaded = holder_->ReloadIfChanged();
      ASSERT_TRUE(reloaded.ok() && *reloaded);
    }
  }

  AskResult Ask(const AskQuery& query, const AskFeatures& features = {},
                const AnswerCache* cache = nullptr) {
    const AskHandler handler(holder_.get(), RankingParams{}, const_cast<AnswerCache*>(cache));
    auto r = handler.Ask(query, features);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *std::move(r) : AskResult{};
  }

  TempDir dir_;
  std::unique_ptr<IndexHolder> holder_;
};

TEST_F(PinnedAnswersTest, APinnedIntentBeatsTheRanking) {
  const AskResult ranked = Ask({.question = kPinnedQuestion}, WithoutPins());
  ASSERT_TRUE(ranked.answered);
  ASSERT_FALSE(ranked.passages.empty());
  ASSERT_EQ(ranked.passages[0].passage_id, "liver#1");  // the ranking's own choice
  EXPECT_TRUE(ranked.pinned_answer.empty());

  const AskResult r = Ask({.question = kPinnedQuestion});
  ASSERT_TRUE(r.answered);
  ASSERT_GE(r.passages.size(), 3u);
  EXPECT_EQ(r.passages[0].passage_id, "mdt#0");
  EXPECT_EQ(r.passages[1].passage_id, "liver#1");
  EXPECT_TRUE(r.passages[0].pinned);
  EXPECT_TRUE(r.passages[1].pinned);
  EXPECT_EQ(r.pinned_answer, "mdt-decides-surgery");
  EXPECT_GT(r.pin_similarity, 0.99);  // asked word for word as the example
  // The ranking follows, without the pinned passages again; scores still fall with rank.
  std::vector<std::string> rest;
  for (size_t i = 2; i < r.passages.size(); ++i) {
    EXPECT_FALSE(r.passages[i].pinned) << r.passages[i].passage_id;
    rest.push_back(r.passages[i].passage_id);
  }
  std::vector<std::string> expected_rest;
  for (const std::string& id : Ids(ranked.passages)) {
    if (id != "mdt#0" && id != "liver#1") expected_rest.push_back(id);
  }
  EXPECT_EQ(rest, expected_rest);
  for (size_t i = 1; i < r.passages.size(); ++i) {
    EXPECT_LE(r.passages[i].score, r.passages[i - 1].score) << i;
  }
  // The extractive answer quotes the passages as shown, numbered by their new ranks.
  const std::regex sentence(R"(([^\[]+?) \[(\d+)\])");
  int sentences = 0;
  for (auto it = std::sregex_iterator(r.answer.begin(), r.answer.end(), sentence);
       it != std::sregex_iterator(); ++it, ++sentences) {
    std::string text = (*it)[1].str();
    text.erase(0, text.find_first_not_of(' '));
    const int n = std::stoi((*it)[2].str());
    ASSERT_GE(n, 1);
    ASSERT_LE(n, static_cast<int>(r.passages.size()));
    EXPECT_NE(r.passages[n - 1].text.find(text), std::string::npos) << text;
  }
  EXPECT_GE(sentences, 1);
}

TEST_F(PinnedAnswersTest, AParaphraseOfTheExampleStillMatches) {
  for (const char* paraphrase : {"Is surgery possible to remove my liver metastases?",
                                 "can surgeons remove liver metastases?"}) {
    const AskResult r = Ask({.question = paraphrase});
    ASSERT_TRUE(r.answered) << paraphrase;
    EXPECT_EQ(r.pinned_answer, "mdt-decides-surgery") << paraphrase;
    ASSERT_FALSE(r.passages.empty());
    EXPECT_EQ(r.passages[0].passage_id, "mdt#0") << paraphrase;
    EXPECT_TRUE(r.passages[0].pinned) << paraphrase;
  }
}

TEST_F(PinnedAnswersTest, AnUnrelatedQuestionIsUnaffected) {
  for (const char* question : {"What is FOLFOX?", "Why does bowel cancer spread to the liver?",
                               "Who is in the multidisciplinary team?"}) {
    const AskResult with = Ask({.question = question});
    const AskResult without = Ask({.question = question}, WithoutPins());
    EXPECT_TRUE(with.pinned_answer.empty()) << question;
    EXPECT_EQ(Ids(with.passages), Ids(without.passages)) << question;
    EXPECT_EQ(with.answer, without.answer) << question;
    for (const index::Hit& h : with.passages) EXPECT_FALSE(h.pinned) << question;
  }
}

TEST_F(PinnedAnswersTest, MaxPassagesCountsThePinnedOnes) {
  EXPECT_EQ(Ids(Ask({.question = kPinnedQuestion, .max_passages = 1}).passages),
            std::vector<std::string>{"mdt#0"});
  const AskResult three = Ask({.question = kPinnedQuestion, .max_passages = 3});
  ASSERT_EQ(three.passages.size(), 3u);
  EXPECT_EQ(three.passages[1].passage_id, "liver#1");
  EXPECT_FALSE(three.passages[2].pinned);
}

TEST_F(PinnedAnswersTest, ARefusedQuestionIsNeverPinned) {
  // It names oxaliplatin, so it matches the intent; but it is about another disease, and the
  // library refuses it.
  const AskQuery query{.question = "Does oxaliplatin for breast cancer cause tingling?"};
  AskFeatures no_refusal;
  no_refusal.refusal = false;
  ASSERT_EQ(Ask(query, no_refusal).pinned_answer, "oxaliplatin")
      << "the question must match the intent for this test to mean anything";
  const AskResult r = Ask(query);
  EXPECT_FALSE(r.answered);
  EXPECT_TRUE(r.passages.empty());
  EXPECT_TRUE(r.pinned_answer.empty());
  EXPECT_EQ(Ask({.question = "Does oxaliplatin cause tingling?"}).pinned_answer, "oxaliplatin");
}

TEST_F(PinnedAnswersTest, TheHttpJsonMarksPinnedPassages) {
  const AskHandler ask(holder_.get());
  const LibraryHandler library(holder_.get());
  const HttpRoutes routes(&ask, &library, {});
  const HttpResponse res = routes.Handle({.method = "POST",
                                          .target = "/v1/ask",
                                          .body = R"({"question": "Can liver metastases )"
                                                  R"(be removed by surgery?"})"});
  ASSERT_EQ(res.status, 200) << res.body;
  v1::AskResponse response;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(res.body, &response).ok()) << res.body;
  ASSERT_GE(response.passages_size(), 3);
  EXPECT_EQ(response.passages(0).passage_id(), "mdt#0");
  EXPECT_TRUE(response.passages(0).pinned());
  EXPECT_TRUE(response.passages(1).pinned());
  EXPECT_FALSE(response.passages(2).pinned());
  // Under its proto name, and present (false) on ranked passages too.
  EXPECT_NE(res.body.find(R"("pinned":true)"), std::string::npos) << res.body;
  EXPECT_NE(res.body.find(R"("pinned":false)"), std::string::npos) << res.body;
}

TEST_F(PinnedAnswersTest, TheAnswerCacheNeverMixesPinnedAndUnpinnedAnswers) {
  AnswerCache cache(100);
  const AskQuery q{.question = kPinnedQuestion};
  const AskResult first = Ask(q, {}, &cache);
  ASSERT_TRUE(first.passages[0].pinned);
  const AskResult again = Ask(q, {}, &cache);
  EXPECT_TRUE(again.cache_hit);
  EXPECT_EQ(Ids(again.passages), Ids(first.passages));
  EXPECT_TRUE(again.passages[0].pinned);
  // Pins off is another key.
  const AskResult off = Ask(q, WithoutPins(), &cache);
  EXPECT_FALSE(off.cache_hit);
  EXPECT_EQ(off.passages[0].passage_id, "liver#1");
  // A rebuild without the pin is a new index version: nothing pinned is served from the cache.
  Build("");
  const AskResult rebuilt = Ask(q, {}, &cache);
  EXPECT_FALSE(rebuilt.cache_hit);
  EXPECT_NE(rebuilt.index_version, first.index_version);
  EXPECT_EQ(rebuilt.passages[0].passage_id, "liver#1");
  EXPECT_FALSE(rebuilt.passages[0].pinned);
}

// The bundled pins (corpus/clinical/pinned-answers.txt) over the bundled library.
TEST(BundledPinnedAnswersTest, AFeverOnChemoQuestionGetsTheCallNowPassagesFirst) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  for (const char* question : {"what should I do if I have a fever during chemotherapy",
                               "Who do I call if I get a temperature on chemo?",
                               "I have a temperature on chemo, what do I do?"}) {
    auto r = lib->handler->Ask({.question = question});
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_TRUE(r->answered) << question;
    EXPECT_EQ(r->pinned_answer, "fever-during-chemotherapy") << question;
    ASSERT_GE(r->passages.size(), 2u) << question;
    EXPECT_EQ(r->passages[0].passage_id, "fever-during-chemotherapy#4") << question;
    EXPECT_EQ(r->passages[1].passage_id, "side-effects-when-to-call#1") << question;
    EXPECT_TRUE(r->passages[0].pinned && r->passages[1].pinned) << question;
    EXPECT_NE(r->passages[0].text.find("Call your 24-hour chemotherapy helpline straight away"),
              std::string::npos);
  }
}

TEST(BundledPinnedAnswersTest, TheSafetyNoticeComesFirstAndIsUnchanged) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  const AskQuery q{.question = "I have a fever and I'm on chemotherapy, what should I do?"};
  auto pinned = lib->handler->Ask(q);
  AskFeatures no_pins;
  no_pins.pins = false;
  auto unpinned = lib->handler->Ask(q, no_pins);
  ASSERT_TRUE(pinned.ok() && unpinned.ok());
  EXPECT_EQ(pinned->safety.level, SafetyLevel::kUrgent);
  EXPECT_EQ(pinned->safety.level, unpinned->safety.level);
  EXPECT_EQ(pinned->safety.message, unpinned->safety.message);
  EXPECT_EQ(pinned->safety.category, unpinned->safety.category);
  EXPECT_EQ(pinned->pinned_answer, "fever-during-chemotherapy");
  ASSERT_FALSE(pinned->passages.empty());
  EXPECT_TRUE(pinned->passages[0].pinned);
}

TEST(BundledPinnedAnswersTest, AnOffTopicQuestionIsNotPinned) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  for (const char* question : {"What should I do if my dog has a fever after his vaccinations?",
                               "What should I do if I have a fever during chemotherapy for "
                               "breast cancer?"}) {
    auto r = lib->handler->Ask({.question = question});
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->answered) << question;
    EXPECT_TRUE(r->pinned_answer.empty()) << question;
    EXPECT_TRUE(r->passages.empty()) << question;
  }
}

}  // namespace
}  // namespace patientqa::service
