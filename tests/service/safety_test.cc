#include "service/safety.h"

#include <gtest/gtest.h>

namespace patientqa::service {
namespace {

TEST(SafetyTest, FlagsEmergenciesDescribedNow) {
  struct Case {
    const char* message;
    EmergencyKind kind;
  };
  const std::vector<Case> cases = {
      {"I'm bleeding heavily from my back passage and it won't stop", EmergencyKind::kBleeding},
      {"Dad has terrible stomach pain, he keeps vomiting and hasn't had a poo for three days",
       EmergencyKind::kBowelObstruction},
      {"My temperature is 38.3 and I had my chemo four days ago",
       EmergencyKind::kFeverOnChemotherapy},
      {"I'm on FOLFOX and I've suddenly started shivering and shaking",
       EmergencyKind::kFeverOnChemotherapy},
      {"I've had a crushing pain in my chest for the last ten minutes",
       EmergencyKind::kChestOrBreathing},
      {"I don't want to be here any more", EmergencyKind::kSelfHarm},
      {"What if I have thoughts of suicide?", EmergencyKind::kSelfHarm},  // always urgent
      {"My dad has sudden back pain and his legs have gone weak", EmergencyKind::kSpinalCord},
      {"Mum has brain mets and she's just had a fit", EmergencyKind::kNeurological},
      {"i'm on chemo and been vomiting all day, can't even keep water down",
       EmergencyKind::kTreatmentReaction},
      {"I'm on bevacizumab and I've just got sudden severe pain in my tummy",
       EmergencyKind::kSevereAbdominalPain},
      // The many ways people write when frightened.
      {"there's blood streaming from my stoma and I feel dizzy", EmergencyKind::kBleeding},
      {"Dad just threw up what looks like blood, loads of it", EmergencyKind::kBleeding},
      {"my chest feels really heavy and the pain is going down my left arm",
       EmergencyKind::kChestOrBreathing},
      {"she can't get her breath and her lips look blue", EmergencyKind::kChestOrBreathing},
      {"I've got horrible cramps that come and go and nothing has come out since Monday, I've "
       "been sick twice",
       EmergencyKind::kBowelObstruction},
      {"I've been stockpiling my tablets", EmergencyKind::kSelfHarm},
      {"I can't do this any more, I'm going to take all my pills", EmergencyKind::kSelfHarm},
      {"my bag keeps filling with blood and i cant get it to stop", EmergencyKind::kBleeding},
      {"I've said my goodbyes to everyone and given the dog to my sister",
       EmergencyKind::kSelfHarm},
      {"they would all be better off without me", EmergencyKind::kSelfHarm},
      {"dad suddenly doesn't recognise me and keeps talking nonsense", EmergencyKind::kNeurological},
      {"on capecitabine and I've been dashing to the toilet all day, it's like water",
       EmergencyKind::kTreatmentReaction},
      {"his bag filled up with dark red blood and he looks so pale", EmergencyKind::kBleeding},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(DetectEmergency(c.message, {}), c.kind) << c.message;
    EXPECT_FALSE(UrgentMessage(c.kind).empty());
  }
}

TEST(SafetyTest, GeneralQuestionsAreNotEmergencies) {
  for (const char* message : {
           "What should I do if I get a fever during chemo?",
           "What are the signs of a bowel obstruction?",
           "Can bowel cancer cause bleeding from the bottom?",
           "Is it normal to feel low after being told the cancer has spread?",
           "What is neutropenic sepsis?",
           "I start CAPOX on Monday. I'm not ill now. What should I do if I get a temperature?",
           "We're confused and worried she's getting the wrong treatment with immunotherapy.",
           "Can chemo make you short of breath?",
           "Is chest pain a side effect of capecitabine?",
           "Why does bowel cancer cause blood in the poo?",
           "I've had enough of chemo, can I take a break from it?",
           "What can help with cramps in my legs at night?",
           "After my last chemo cycle I had a temperature for a day, it's gone now. Should I tell "
           "the nurse next time?",
       }) {
    EXPECT_EQ(DetectEmergency(message, {}), EmergencyKind::kNone) << message;
  }
}

TEST(SafetyTest, ReadsTheLatestEarlierTurn) {
  EXPECT_EQ(DetectEmergency("it started an hour ago", {"I'm vomiting and can't pass wind"}),
            EmergencyKind::kBowelObstruction);
  EXPECT_EQ(DetectEmergency("what are the warning signs?", {"I'm on chemo"}), EmergencyKind::kNone);
}

}  // namespace
}  // namespace patientqa::service
