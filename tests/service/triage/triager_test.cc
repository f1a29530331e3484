#include "service/triage/triager.h"

#include <gtest/gtest.h>

#include "tests/testing/test_util.h"
#include "tests/testing/triage_fixtures.h"

namespace patientqa::service::triage {
namespace {

using corpus::TriageLevel;
using patientqa::testing::BundledTriager;

TriageResult Assess(std::string_view message, const std::vector<std::string>& history = {}) {
  return BundledTriager().Assess(message, history);
}

// ---- The rows of issue 9's table: what a new user got, and what they must get ----------------

TEST(TriageIssueTableTest, FeverThatHasGoneUpOnFolfoxIsNeutropenicSepsis) {
  const TriageResult r = Assess("My temperature has gone up to 38.6 and I'm on FOLFOX");
  EXPECT_EQ(r.level, TriageLevel::kUrgent);
  EXPECT_EQ(r.category, "neutropenic-sepsis");
}

TEST(TriageIssueTableTest, LonsurfCountsAsTreatment) {
  const TriageResult r = Assess("I'm on Lonsurf and my temperature is 38.5");
  EXPECT_EQ(r.level, TriageLevel::kUrgent);
  EXPECT_EQ(r.category, "neutropenic-sepsis");
}

TEST(TriageIssueTableTest, LipAndTongueSwellingDuringCetuximabIsAnInfusionReaction) {
  const TriageResult r = Assess("My lips and tongue are swelling during my cetuximab drip");
  EXPECT_EQ(r.level, TriageLevel::kUrgent);
  EXPECT_EQ(r.category, "anaphylaxis");
}

TEST(TriageIssueTableTest, JaundiceAloneIsContactTheTeamToday) {
  const TriageResult r = Assess("My skin has gone yellow and I feel itchy");
  EXPECT_EQ(r.level, TriageLevel::kContactTeam);
  EXPECT_EQ(r.category, "jaundice");
}

TEST(TriageIssueTableTest, BlackStomaIsUrgent) {
  const TriageResult r = Assess("My stoma has turned black today");
  EXPECT_EQ(r.level, TriageLevel::kUrgent);
  EXPECT_EQ(r.category, "stoma-emergency");
}

TEST(TriageIssueTableTest, NoUrineAllDayWithDizzinessIsUrgent) {
  const TriageResult r = Assess("I have not passed urine all day and feel dizzy");
  EXPECT_EQ(r.level, TriageLevel::kUrgent);
  EXPECT_EQ(r.category, "dehydration");
}

TEST(TriageIssueTableTest, ExtendMyLifeIsNotACrisis) {
  EXPECT_EQ(Assess("Can chemo extend my life?").level, TriageLevel::kNone);
}

TEST(TriageIssueTableTest, EndingChemoEarlyIsNotACrisis) {
  EXPECT_EQ(Assess("Should I end my chemo early because of side effects?").level,
            TriageLevel::kNone);
}

TEST(TriageIssueTableTest, CancerThatCameBackIsNotSpinalCordCompression) {
  EXPECT_EQ(Assess("The cancer came back and I feel weak").level, TriageLevel::kNone);
}

TEST(TriageIssueTableTest, WeekendFeverAfterChemoIsSepsisNotACrisis) {
  const TriageResult r = Assess("At the weekend my dad had a fever after chemo");
  EXPECT_EQ(r.level, TriageLevel::kUrgent);
  EXPECT_EQ(r.category, "neutropenic-sepsis");
}

TEST(TriageIssueTableTest, ADeniedFeverIsNoAlert) {
  EXPECT_EQ(Assess("I'm on FOLFOX and I don't have a fever, is that normal?").level,
            TriageLevel::kNone);
}

TEST(TriageIssueTableTest, AGeneralQuestionAboutFeverIsNoAlert) {
  EXPECT_EQ(Assess("How many hours after chemo can you get a fever?").level, TriageLevel::kNone);
}

TEST(TriageIssueTableTest, AQuestionAboutChestPainIsNoAlert) {
  EXPECT_EQ(Assess("I have a question about chest pain on capecitabine").level, TriageLevel::kNone);
}

// ---- The rules and their own evidence ----------------------------------------------------------

TEST(TriageRulesTest, EveryRuleFiresOnItsExamplesAndNotOnItsQuietOnes) {
  for (const corpus::TriageRule& rule : BundledTriager().rules().triage) {
    auto fired = [&](const std::string& text) {
      const TriageResult r = Assess(text);
      return std::find(r.fired.begin(), r.fired.end(), rule.id) != r.fired.end();
    };
    for (const std::string& text : rule.fires) {
      EXPECT_TRUE(fired(text)) << "triage.txt:" << rule.line << " " << rule.id << ": " << text;
    }
    for (const std::string& text : rule.quiet) {
      EXPECT_FALSE(fired(text)) << "triage.txt:" << rule.line << " " << rule.id << ": " << text;
    }
  }
}

TEST(TriageRulesTest, CrisisLinesOnlyForSelfHarmIdeation) {
  for (const char* text :
       {"I'd kill for a good night's sleep", "I'm dying to know my results",
        "My back is killing me after gardening", "Can I take all my tablets with food?",
        "I'm scared of dying", "I don't have any thoughts of harming myself, I just feel flat"}) {
    EXPECT_NE(Assess(text).category, "self-harm") << text;
  }
  for (const char* text : {"I don't want to be here any more", "I've been stockpiling my tablets",
                           "they would all be better off without me",
                           "My husband just told me he's going to kill himself tonight"}) {
    const TriageResult r = Assess(text);
    EXPECT_EQ(r.level, TriageLevel::kUrgent) << text;
    EXPECT_EQ(r.category, "self-harm") << text;
  }
}

TEST(TriageRulesTest, FlagsEmergenciesInTheWordsFrightenedPeopleUse) {
  struct Case {
    const char* message;
    const char* category;
  };
  const Case cases[] = {
      {"I'm bleeding heavily from my back passage and it won't stop", "bleeding"},
      {"Dad has terrible stomach pain, he keeps vomiting and hasn't had a poo for three days",
       "bowel-obstruction"},
      {"My temperature is 38.3 and I had my chemo four days ago", "neutropenic-sepsis"},
      {"I'm on FOLFOX and I've suddenly started shivering and shaking", "neutropenic-sepsis"},
      {"I've had a crushing pain in my chest for the last ten minutes", "chest-pain-breathing"},
      {"My dad has sudden back pain and his legs have gone weak", "spinal-cord-compression"},
      {"Mum has brain mets and she's just had a fit", "neurological"},
      {"i'm on chemo and been vomiting all day, can't even keep water down", "dehydration"},
      {"I'm on bevacizumab and I've just got sudden severe pain in my tummy", "perforation"},
      {"there's blood streaming from my stoma and I feel dizzy", "bleeding"},
      {"my chest feels really heavy and the pain is going down my left arm",
       "chest-pain-breathing"},
      {"she can't get her breath and her lips look blue", "chest-pain-breathing"},
      {"dad suddenly doesn't recognise me and keeps talking nonsense", "neurological"},
      {"on capecitabine and had diarrhoea 9 times today", "dehydration"},
      {"my right leg is swolen from the knee down and really painfull", "blood-clot"},
      {"Dad's colostomy has stopped working for two days, his belly is big and he's being sick",
       "stoma-emergency"},
      {"on keytruda and my poo has been watery since tuesday", "immunotherapy-toxicity"},
  };
  for (const Case& c : cases) {
    const TriageResult r = Assess(c.message);
    EXPECT_EQ(r.level, TriageLevel::kUrgent) << c.message;
    EXPECT_EQ(r.category, c.category) << c.message;
  }
}

TEST(TriageRulesTest, GeneralQuestionsAreNotEmergencies) {
  for (const char* message : {
           "What should I do if I get a fever during chemo?",
           "What are the signs of a bowel obstruction?",
           "Can bowel cancer cause bleeding from the bottom?",
           "What is neutropenic sepsis?",
           "I start CAPOX on Monday. I'm not ill now. What should I do if I get a temperature?",
           "Can chemo make you short of breath?",
           "Is chest pain a side effect of capecitabine?",
           "I had a DVT in 2021, treated with apixaban, all fine now. Can I stop the apixaban?",
           "My blood test showed low platelets. Does that mean my blood won't clot properly?",
           "After my last chemo cycle I had a temperature for a day, it's gone now.",
       }) {
    EXPECT_NE(Assess(message).level, TriageLevel::kUrgent) << message;
  }
}

TEST(TriageRulesTest, MildSymptomsAreContactTheTeamToday) {
  for (const char* message : {"I've had 5 loose stools today on capecitabine",
                              "My mouth is full of ulcers since starting chemo but I can drink",
                              "The palms of my hands are red and peeling on Xeloda",
                              "The skin around my PICC line is a bit red and sore, no temperature",
                              "I took one extra capecitabine tablet this morning by mistake"}) {
    EXPECT_EQ(Assess(message).level, TriageLevel::kContactTeam) << message;
  }
}

// ---- Conversation -------------------------------------------------------------------------------

TEST(TriageHistoryTest, TreatmentFromEarlierTurnsAndFindingsFromTheLastCount) {
  EXPECT_EQ(Assess("now he's shivering and 38.7", {"my husband is on FOLFIRI, cycle 4 was tuesday"})
                .category,
            "neutropenic-sepsis");
  EXPECT_EQ(Assess("it started an hour ago", {"I'm vomiting and can't pass wind"}).level,
            TriageLevel::kUrgent);
  EXPECT_EQ(Assess("what are the warning signs?", {"I'm on chemo"}).level, TriageLevel::kNone);
  // A new finding is triaged on its own: the earlier emergency was raised when it was written.
  const TriageResult r = Assess("My skin has gone yellow and I feel itchy",
                                {"I'm bleeding heavily from my back passage and it won't stop"});
  EXPECT_EQ(r.level, TriageLevel::kContactTeam);
  EXPECT_EQ(r.category, "jaundice");
}

TEST(TriageTest, OtherLanguagesGetTheLanguageNoteNotTriage) {
  const TriageResult r = Assess("Mi marido está con quimioterapia y tiene fiebre de 39");
  EXPECT_TRUE(r.language.other);
  EXPECT_EQ(r.language.code, "es");
}

TEST(TriageTest, ExplainNamesConceptsContextAndRule) {
  const Triager& t = BundledTriager();
  const std::string out = t.Explain(t.Analyze("I'm on FOLFOX and I don't have a fever"), {});
  EXPECT_NE(out.find("fever [finding] \"a fever\""), std::string::npos) << out;
  EXPECT_NE(out.find("NEGATED_EXISTENCE by 'don't have'"), std::string::npos) << out;
  EXPECT_NE(out.find("level: none"), std::string::npos) << out;
  const std::string urgent = t.Explain(t.Analyze("temp 38.6 on FOLFOX"), {});
  EXPECT_NE(urgent.find("rule: neutropenic-sepsis (triage.txt:"), std::string::npos) << urgent;
  EXPECT_NE(urgent.find("source: UKONS"), std::string::npos) << urgent;
}

TEST(TriageToolTest, ExplainsAMessageAndChecksTheRules) {
  const auto explain = patientqa::testing::RunCommand(
      {PATIENTQA_TRIAGE_BIN, "--clinical",
       (patientqa::testing::SourceDir() / "corpus" / "clinical").string(),
       "My stoma has turned black today"});
  EXPECT_EQ(explain.exit_code, 0) << explain.err;
  EXPECT_NE(explain.out.find("level: urgent"), std::string::npos) << explain.out;
  const auto check = patientqa::testing::RunCommand(
      {PATIENTQA_TRIAGE_BIN, "--clinical",
       (patientqa::testing::SourceDir() / "corpus" / "clinical").string(), "--check"});
  EXPECT_EQ(check.exit_code, 0) << check.out;
  const auto missing =
      patientqa::testing::RunCommand({PATIENTQA_TRIAGE_BIN, "--clinical", "/nonexistent", "x"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("vocabulary.txt"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace patientqa::service::triage
