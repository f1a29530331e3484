#include "service/domain.h"

#include <gtest/gtest.h>

#include "tests/testing/triage_fixtures.h"

namespace patientqa::service {
namespace {

using patientqa::testing::BundledTriager;

// A message whose words the index all knows, unless told otherwise.
DomainSignal Read(std::string_view message, std::vector<std::string> history_texts,
                  int content_words, int known_words = -1, bool triaged = false) {
  const triage::Triager& t = BundledTriager();
  const triage::AnalyzedText analyzed = t.Analyze(message);
  std::vector<triage::AnalyzedText> history;
  for (const std::string& h : history_texts) history.push_back(t.Analyze(h));
  return ReadDomain({.vocabulary = &t.vocabulary(),
                     .message = &analyzed,
                     .question = &analyzed,
                     .history = &history,
                     .content_words = content_words,
                     .question_words = content_words,
                     .known_words = known_words < 0 ? content_words : known_words,
                     .triaged = triaged});
}

TEST(DomainTest, OffTopicMessagesAreOutOfScope) {
  for (const char* message : {"Can you give me a good recipe for banana bread?",
                              "How do I get cheaper car insurance for my son?",
                              "What are the early symptoms of prostate cancer?",
                              "What treatment is there for lung cancer?",
                              "Is a cataract operation done while you're awake?",
                              "My dad has stage 4 NSCLC, what tests should he have?"}) {
    EXPECT_FALSE(InScope(Read(message, {}, 5), 0.3)) << message;
  }
  // One everyday word and a weak match: the lawn is not the bowel.
  EXPECT_FALSE(InScope(Read("How do I treat my lawn for moss?", {}, 3), 0.45));
}

TEST(DomainTest, PatientQuestionsAreInScope) {
  EXPECT_TRUE(InScope(Read("What is FOLFOX?", {}, 1), 0.1));
  EXPECT_TRUE(InScope(Read("How would I know if his gut was getting blocked?", {}, 3), 0.2));
  // A vague follow-up is in scope because of the conversation it belongs to.
  EXPECT_TRUE(InScope(Read("can they do anything?", {"his cancer has spread"}, 1), 0.1));
  EXPECT_TRUE(InScope(Read("what signs should we watch for?", {"his cancer has spread"}, 2), 0.6));
  // A full question that has moved on is judged on its own words.
  EXPECT_FALSE(InScope(
      Read("Can you give me a good recipe for banana bread?", {"his cancer has spread"}, 5), 0.3));
  // Two everyday words of this subject together.
  EXPECT_TRUE(InScope(Read("Who do I ring if I get a temperature between cycles?", {}, 4), 0.1));
  EXPECT_FALSE(InScope(Read("What are the symptoms of flu?", {}, 2), 0.3));
  // Rare words the best passage matches almost entirely.
  EXPECT_TRUE(InScope(Read("What is portal vein embolisation?", {}, 3), 0.9));
  // A message the triage raised a notice for is in scope, whatever its words.
  EXPECT_FALSE(InScope(Read("My skin has gone yellow and I feel itchy", {}, 5), 0.2));
  EXPECT_TRUE(InScope(Read("My skin has gone yellow and I feel itchy", {}, 5, -1, true), 0.2));
}

TEST(DomainTest, FollowUpInWordsTheLibraryNeverUsesHasLeftTheSubject) {
  EXPECT_FALSE(
      InScope(Read("what's the weather like tomorrow?", {"his cancer has spread"}, 2, 0), 0));
  EXPECT_FALSE(InScope(Read("is a tent ok for camping?", {"his cancer has spread"}, 3, 1), 0.3));
  EXPECT_TRUE(InScope(Read("what's the outlook like?", {"his cancer has spread"}, 1, 1), 1));
}

TEST(DomainTest, AFollowUpWithNoWordsOfItsOwnLeansOnTheConversationIfItAsks) {
  // From a try-out: "who is in it" after "What is an MDT?" was refused.
  EXPECT_TRUE(InScope(Read("who is in it", {"What is an MDT?"}, 0, 0), 0));
  EXPECT_TRUE(InScope(Read("and then?", {"What is an MDT?"}, 0, 0), 0));
  // An acknowledgement asks nothing: the last answer is not repeated.
  EXPECT_FALSE(InScope(Read("thanks", {"What is an MDT?"}, 0, 0), 0));
  EXPECT_FALSE(InScope(Read("ok", {"What is an MDT?"}, 0, 0), 0));
}

TEST(DomainTest, AnotherCancerCountsOnlyWhereTheQuestionNamesIt) {
  const triage::Triager& t = BundledTriager();
  const auto message = t.Analyze(
      "My sister had chemo for breast cancer years ago and ended up in hospital. What should I do "
      "if I get a temperature once I'm on the chemo?");
  const auto question = t.Analyze("What should I do if I get a temperature once I'm on the chemo?");
  DomainSignal s = ReadDomain({.vocabulary = &t.vocabulary(),
                               .message = &message,
                               .question = &question,
                               .content_words = 8,
                               .question_words = 8,
                               .known_words = 8});
  EXPECT_FALSE(s.other_cancer);
  EXPECT_TRUE(InScope(s, 0.2));
  const auto breast = t.Analyze("Does chemo for breast cancer cause hair loss?");
  s = ReadDomain({.vocabulary = &t.vocabulary(),
                  .message = &breast,
                  .question = &breast,
                  .content_words = 6,
                  .question_words = 6,
                  .known_words = 6});
  EXPECT_TRUE(s.other_cancer);
  EXPECT_FALSE(InScope(s, 0.8));
}

TEST(TopicsTest, DetectsTopicsInCorpusOrder) {
  auto ids = [](std::string_view q) {
    std::vector<std::string> out;
    const triage::Triager& t = BundledTriager();
    for (const auto& topic : DetectTopics(t.vocabulary(), t.Analyze(q))) {
      out.emplace_back(topic.id);
    }
    return out;
  };
  EXPECT_EQ(ids("Can chemo shrink the spread in my liver?"),
            (std::vector<std::string>{"spread", "treatment"}));
  EXPECT_EQ(ids("Who is on the MDT?"), std::vector<std::string>{"mdt"});
  EXPECT_TRUE(ids("hello there").empty());
}

}  // namespace
}  // namespace patientqa::service
