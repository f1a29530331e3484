#pragma once

// What kind of answer a question asks for (CHiQA's "question type"): what something is, why or
// how it happens, its signs, the treatment options, side effects, the outlook, how often or
// when, whether someone can have or do something, what happens during a procedure, practical
// matters (money, work, driving, travel) or where to get help. The searcher gives a bonus to
// passages whose section answers the same type (its heading and question variants), so "how
// often will I have scans?" prefers the section on the follow-up schedule to one on what a scan
// is. Recognised by RE2 patterns over the normalised text (corpus/language/question_type.cc).

#include <string>
#include <string_view>
#include <vector>

namespace patientqa::corpus {

enum class QuestionType {
  kDefinition,   // "what is FOLFOX?", "what does unresectable mean?"
  kCause,        // "why does it spread to the liver?", "what causes ..."
  kSymptoms,     // "what are the signs of ...", "how would I know if ..."
  kTreatment,    // "how is it treated?", "what can be done?", "which drugs ..."
  kSideEffects,  // "what are the side effects of ..."
  kOutlook,      // "what is the prognosis?", "how long do people live?"
  kSchedule,     // "how often ...?", "how long does it take?", "when ...?"
  kEligibility,  // "can I ...?", "who can have ...?", "is it possible to ...?"
  kProcedure,    // "what happens during ...?", "how is it done?"
  kPractical,    // money, work, benefits, driving, travel, insurance
  kHelp,         // "where can I get help?", "who can I talk to?"
};

// Every type's id ("definition", "side-effects", ...), in enum order.
std::string_view QuestionTypeId(QuestionType type);

// The types `text` asks about (a question may ask for two: "can it be removed, and how?"), in
// enum order; empty when none is recognised. `text` is any UTF-8; it is normalised first.
std::vector<QuestionType> ClassifyQuestion(std::string_view text);

}  // namespace patientqa::corpus
