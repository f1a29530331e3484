#pragma once

// Recognises messages written in a language other than English, so that they get a plain note
// (with the emergency numbers) instead of an English "not covered" reply, and an emergency in
// Spanish or Chinese is never silently answered as if it were an off-topic English question.

#include <string>
#include <string_view>
#include <vector>

#include "corpus/language/clinical_rules.h"
#include "corpus/language/tokenizer.h"
#include "service/triage/context.h"

namespace patientqa::service::triage {

struct LanguageGuess {
  bool other = false;  // not English
  std::string code;    // ISO 639 code ("es"), or an ISO 15924 script ("Hani")
  std::string name;    // "Spanish", "Chinese", ...
  std::string note;    // the profile's note in that language, if languages.txt has one
};

// A message is in another language when
//   (a) Compact Language Detector 2 (CLD2) finds a language other than English and reports its
//       result reliable, with at least half of the text in that language, unless at least three
//       quarters of its words are English (the system word lists, corpus::EnglishWords) or
//       clinical vocabulary (`mentions`): CLD2 reads "sirt radioembolisation" as French; or
//   (b) at least 30% of its letters (and at least 2) are of a script other than Latin, for texts
//       too short for CLD2 ("发烧"); or
//   (c) CLD2 cannot tell, and the message has more words from a profile's hint list ("fiebre",
//       "ayuda") than English words from the "en" profile: a short cry for help in another
//       language.
// Short English messages CLD2 cannot place ("FOLFOX?", "mets") stay English. `profiles` give
// names, hint words and notes (corpus/clinical/languages.txt).
LanguageGuess GuessLanguage(std::string_view normalized, const std::vector<corpus::Token>& tokens,
                            const std::vector<ContextualMention>& mentions,
                            const std::vector<corpus::LanguageProfile>& profiles);

}  // namespace patientqa::service::triage
