#include "service/domain.h"

#include <gtest/gtest.h>

#include "service/topics.h"

namespace patientqa::service {
namespace {

TEST(DomainTest, OffTopicMessagesAreOutOfScope) {
  for (const char* message : {"Can you give me a good recipe for banana bread?",
                              "How do I get cheaper car insurance for my son?",
                              "What are the early symptoms of prostate cancer?",
                              "When should I use a colon instead of a semicolon?"}) {
    EXPECT_FALSE(InScope(ReadDomain(message, {}, 5), 0.3)) << message;
  }
  // One everyday word and a weak match: the lawn is not the bowel.
  EXPECT_FALSE(InScope(ReadDomain("How do I treat my lawn for moss?", {}, 3), 0.55));
}

TEST(DomainTest, PatientQuestionsAreInScope) {
  EXPECT_TRUE(InScope(ReadDomain("What is FOLFOX?", {}, 1), 0.1));
  EXPECT_TRUE(InScope(ReadDomain("How would I know if his gut was getting blocked?", {}, 3), 0.2));
  // A vague follow-up is in scope because of the conversation it belongs to.
  EXPECT_TRUE(InScope(ReadDomain("can they do anything?", {"his cancer has spread"}, 1), 0.1));
  // A full question that has moved on is judged on its own words.
  EXPECT_FALSE(InScope(
      ReadDomain("Can you give me a good recipe for banana bread?", {"his cancer has spread"}, 5),
      0.3));
  // Rare words the best passage matches almost entirely.
  EXPECT_TRUE(InScope(ReadDomain("What is portal vein embolisation?", {}, 3), 0.9));
}

TEST(TopicsTest, DetectsTopicsInCorpusOrder) {
  auto ids = [](std::string_view q) {
    std::vector<std::string> out;
    for (const auto& t : DetectTopics(q)) out.emplace_back(t.id);
    return out;
  };
  EXPECT_EQ(ids("Can chemo shrink the spread in my liver?"),
            (std::vector<std::string>{"spread", "treatment"}));
  EXPECT_EQ(ids("Who is on the MDT?"), std::vector<std::string>{"mdt"});
  EXPECT_TRUE(ids("hello there").empty());
}

}  // namespace
}  // namespace patientqa::service
