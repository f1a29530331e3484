#include "service/question_forms.h"

#include <gtest/gtest.h>

namespace patientqa::service {
namespace {

TEST(DefinitionSubjectTest, FindsTheThingAskedAbout) {
  EXPECT_EQ(DefinitionSubject("What is FOLFOX?"), "folfox");
  EXPECT_EQ(DefinitionSubject("What's Xeloda and how do I take it?"), "xeloda");
  EXPECT_EQ(DefinitionSubject("what does SIRT mean"), "sirt");
  EXPECT_EQ(DefinitionSubject("What is conversion therapy for bowel cancer?"),
            "conversion therapy");
  EXPECT_EQ(DefinitionSubject("What is an MDT?"), "mdt");
  EXPECT_EQ(DefinitionSubject("So what exactly is a PICC line?"), "picc line");
  EXPECT_EQ(DefinitionSubject("What are biomarkers?"), "biomarkers");
  EXPECT_EQ(DefinitionSubject("peritonial mets what does it mean"), "peritonial mets");
  EXPECT_EQ(DefinitionSubject("SIRT - what is that?"), "sirt");
  EXPECT_EQ(DefinitionSubject("What is a PET-CT scan used for in bowel cancer?"), "pet-ct scan");
  // After a lead-in sentence or clause.
  EXPECT_EQ(DefinitionSubject("My oncologist keeps saying 'mets' - what are mets?"), "mets");
  EXPECT_EQ(DefinitionSubject("The letter says SIRT. What is SIRT?"), "sirt");
  EXPECT_EQ(DefinitionSubject("SIRT - what is it?"), "sirt");
}

TEST(DefinitionSubjectTest, OtherQuestionsHaveNone) {
  for (const char* q : {"What are the signs of a bowel obstruction?", "What are the side effects?",
                        "What is the best treatment for teenage acne?",
                        "What is the difference between a primary and a secondary?",
                        "Can liver metastases be removed?", "What is it?",
                        "what happens if the chemo stops working",
                        "my dad has been told the cancer has spread, what does that mean",
                        // What it is like, not what it is.
                        "What is life actually like with a stoma?", "what is chemo like"}) {
    EXPECT_EQ(DefinitionSubject(q), "") << q;
  }
}

TEST(LeansOnConversationTest, ReferringOrContinuingShortQuestions) {
  EXPECT_TRUE(LeansOnConversation("can they operate?", 1));
  EXPECT_TRUE(LeansOnConversation("will it be forever?", 1));
  EXPECT_TRUE(LeansOnConversation("and an MRI?", 1));
  EXPECT_TRUE(LeansOnConversation("what about the lungs?", 1));
  EXPECT_TRUE(LeansOnConversation("why?", 0));
  EXPECT_FALSE(LeansOnConversation("What is FOLFOX?", 1));
  EXPECT_FALSE(LeansOnConversation("how long will I live?", 2));
  // A long question carries its own meaning, whatever its pronouns.
  EXPECT_FALSE(LeansOnConversation("can they remove the spots in the liver with surgery?", 5));
}

TEST(SplitMessageTest, LongMessagesAreSearchedByTheirQuestions) {
  const std::string message =
      "My mum is 67 and had her bowel operation last spring, and we all thought that was the end "
      "of it. She even went back to her allotment. Now the consultant says there are two spots on "
      "her liver. How does bowel cancer get to the liver? I can't sleep for thinking about it.";
  const MessageParts parts = SplitMessage(message, 40);
  EXPECT_EQ(
      parts.focus,
      "Now the consultant says there are two spots on her liver. How does bowel cancer get to "
      "the liver?");
  EXPECT_NE(parts.background.find("allotment"), std::string::npos);
  EXPECT_NE(parts.background.find("can't sleep"), std::string::npos);
  EXPECT_EQ(parts.background.find("How does"), std::string::npos);
}

TEST(SplitMessageTest, ShortMessagesAreAllFocus) {
  const MessageParts parts = SplitMessage("My dad has bowel cancer. Can it spread?", 40);
  EXPECT_EQ(parts.focus, "My dad has bowel cancer. Can it spread?");
  EXPECT_EQ(parts.background, "");
}

TEST(SplitMessageTest, WithoutAQuestionMarkTheLastSentenceIsTheQuestion) {
  const std::string message =
      "My husband has had six cycles of FOLFOX for bowel cancer that spread to his liver and the "
      "last scan shows the spots are smaller. The surgeon is now talking about an operation. I "
      "would like to know how long recovery from liver surgery takes.";
  const MessageParts parts = SplitMessage(message, 40);
  EXPECT_EQ(parts.focus, "I would like to know how long recovery from liver surgery takes.");
  EXPECT_EQ(parts.background.find("recovery"), std::string::npos);
}

}  // namespace
}  // namespace patientqa::service
