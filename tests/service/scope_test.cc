// Scope decided by the question's focus (issue 12): another disease is refused, naming it,
// whatever bowel words the question shares; bowel cancer subjects this library does not cover
// (screening, polyps, first symptoms) are told so; questions about this subject are answered.
#include <gtest/gtest.h>

#include "tests/service/bundled_index.h"

namespace patientqa::service {
namespace {

TEST(ScopeTest, AnotherDiseaseIsRefusedByNameWhateverWordsItShares) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  struct Case {
    const char* question;
    const char* named;
  };
  for (const Case& c : std::vector<Case>{
           {"my dad has stage 4 NSCLC, what tests should he have", "nsclc"},
           {"Stage 4 sarcomatoid carcinoma, 50 tumours in the liver", "sarcomatoid carcinoma"},
           {"HCC treated by microwave ablation", "hcc"},
           {"adenocarcinoma of the stomach, is chemo best", "adenocarcinoma of the stomach"},
           {"a stoma after an ileal conduit", "ileal conduit"},
           {"rectal carcinoid", "rectal carcinoid"},
           {"My wife's GIST has spread to her liver, can it be removed?", "gist"},
           // "bowel" and "spread" are the other tumour's place and spread, not bowel cancer.
           {"My husband has a neuroendocrine tumour in his small bowel that has spread to his "
            "liver. What treatments are there?",
            "neuroendocrine tumour"},
       }) {
    SCOPED_TRACE(c.question);
    auto r = lib->handler->Ask({.question = c.question});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_FALSE(r->answered);
    EXPECT_TRUE(r->passages.empty());
    EXPECT_NE(r->answer.find(std::string("not about ") + c.named), std::string::npos) << r->answer;
  }
}

TEST(ScopeTest, BowelCancerSubjectsOutsideTheLibraryAreToldSo) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  for (const char* q :
       {"when should I start bowel cancer screening", "what are the first symptoms of bowel cancer",
        "are polyps cancer", "how do I do the FIT test kit that came in the post"}) {
    SCOPED_TRACE(q);
    auto r = lib->handler->Ask({.question = q});
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->answered);
    EXPECT_NE(r->answer.find("This library does not cover"), std::string::npos) << r->answer;
  }
}

// Everyday illnesses and injuries (corpus/clinical/vocabulary.txt, concept other-condition): a
// passage that happens to share a word ("a catheter into a blood vessel in the groin or wrist") is
// no answer to "what is the treatment for a broken wrist".
TEST(ScopeTest, EverydayConditionsAreRefusedUnlessThisSubjectIsNamed) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  auto expect_answered = [&](const std::vector<const char*>& questions, bool answered) {
    for (const char* q : questions) {
      SCOPED_TRACE(q);
      auto r = lib->handler->Ask({.question = q});
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(r->answered, answered);
      if (!answered) {
        EXPECT_TRUE(r->passages.empty());
      }
    }
  };
  expect_answered(
      {"what is the treatment for a broken wrist", "best treatment for migraine",
       "how long does a sprained ankle take to heal", "what tablets are there for high cholesterol",
       // Bowel conditions share the bowel's own words (bowel, stoma, colostomy):
       // only the cancer itself, its spread or its treatment ties them to this library.
       "Mum has Crohn's disease and her bowel is very inflamed. Will she need a stoma?",
       "I had diverticulitis surgery and have a temporary colostomy. When can it be "
       "reversed?",
       "Is ulcerative colitis a risk for cancer?"},
      false);
  expect_answered({"can bone metastases cause a broken wrist",
                   "I get migraines, is it safe to take my painkillers with FOLFOX?",
                   "My husband has bowel cancer and diabetes. What should he eat?",
                   "I have Crohn's and now stage 4 bowel cancer. Can I still have chemo?"},
                  true);
}

TEST(ScopeTest, AnAnimalsIllnessIsRefusedAndAPetInAPersonsLifeIsNot) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  for (const char* q :
       {"my dog has bowel cancer that has spread to his liver, what chemo can he have",
        "our cat has been diagnosed with bowel cancer, can vets do chemo",
        "can my cat get bowel cancer"}) {
    SCOPED_TRACE(q);
    auto r = lib->handler->Ask({.question = q});
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->answered);
    EXPECT_NE(r->answer.find("A vet can answer this"), std::string::npos) << r->answer;
  }
  for (const char* q : {"is it safe to have my dog sleep on the bed during chemo",
                        "my dad is a vet with stage 4 colon cancer, what help can he get",
                        "what is abalation for liver spots"}) {
    SCOPED_TRACE(q);
    auto r = lib->handler->Ask({.question = q});
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->answered) << r->answer;
  }
  auto skin =
      lib->handler->Ask({.question = "I have liver spots on my hands, is that cancer spread"});
  ASSERT_TRUE(skin.ok());
  EXPECT_FALSE(skin->answered);
}

TEST(ScopeTest, TheSameWordsAboutThisSubjectAreAnswered) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  for (const char* q :
       {"my mum has stage 4 bowel cancer, should we have screening as her children?",
        "what are the symptoms of bowel cancer that has spread to the liver",
        "My husband's bowel cancer has spread; he also had prostate cancer years ago. Can his "
        "liver metastases be removed?",
        "can my liver regrow after part of it is removed"}) {
    SCOPED_TRACE(q);
    auto r = lib->handler->Ask({.question = q});
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->answered);
  }
}

TEST(ScopeTest, ALoneLetterAsksNothingEvenWhereAPassageHasIt) {
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  for (const char* q : {"x", "x?", "c", "b x"}) {  // "X-rays", "vitamin C", "hepatitis B"
    SCOPED_TRACE(q);
    auto r = lib->handler->Ask({.question = q});
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->answered) << r->answer;
    EXPECT_TRUE(r->passages.empty());
  }
  for (const char* q : {"do x rays hurt", "does vitamin c cure cancer"}) {
    SCOPED_TRACE(q);
    auto r = lib->handler->Ask({.question = q});
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r->answered) << r->answer;
  }
}

}  // namespace
}  // namespace patientqa::service
