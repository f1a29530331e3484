#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace patientqa::service {

enum class EmergencyKind {
  kNone,
  kSelfHarm,
  kBleeding,
  kBowelObstruction,
  kFeverOnChemotherapy,
  kChestOrBreathing,
  kSpinalCord,
  kTreatmentReaction,
  kSevereAbdominalPain,
  kNeurological,
};

// Looks for a message that describes an emergency happening now: heavy bleeding, signs of bowel
// obstruction, fever or shivering during chemotherapy, chest pain or breathlessness, sudden leg
// weakness with back pain, thoughts of suicide or self-harm. Questions asked in general ("what
// are the signs of a blocked bowel?", "what should I do if I get a fever?") are not emergencies,
// except for self-harm, which is always treated as urgent. `history` (oldest first) is read too,
// so "it started an hour ago" after "I'm vomiting and can't pass wind" still counts.
EmergencyKind DetectEmergency(std::string_view question, const std::vector<std::string>& history);

// What to tell the person, first, when DetectEmergency found something.
std::string UrgentMessage(EmergencyKind kind);

}  // namespace patientqa::service
