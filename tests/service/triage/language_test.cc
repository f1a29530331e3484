#include "service/triage/language.h"

#include <gtest/gtest.h>

#include "tests/testing/triage_fixtures.h"

namespace patientqa::service::triage {
namespace {

LanguageGuess Guess(std::string_view text) {
  const Triager& t = patientqa::testing::BundledTriager();
  const AnalyzedText a = t.Analyze(text);
  return GuessLanguage(a.normalized, a.tokens, a.mentions, t.rules().languages);
}

TEST(LanguageTest, RecognisesOtherLanguagesAndScripts) {
  struct Case {
    const char* text;
    const char* code;
  };
  const Case cases[] = {
      {"Mi padre está con quimioterapia y tiene fiebre de 39, ¿qué hago?", "es"},
      {"Ma femme a beaucoup de sang dans ses selles depuis ce matin", "fr"},
      {"Czy mogę pojechać na wakacje w trakcie leczenia?", "pl"},
      {"Mae fy nhad yn cael cemotherapi ac mae ganddo dymheredd uchel", "cy"},
      {"我父亲在做化疗，今天发烧38.8度", "zh"},
      {"\xE5\x8F\x91\xE7\x83\xA7", "Hani"},  // too short for CLD2: the script decides
      {"fiebre 39", "es"},                   // too short for CLD2: hint words decide
  };
  for (const Case& c : cases) {
    const LanguageGuess g = Guess(c.text);
    EXPECT_TRUE(g.other) << c.text;
    EXPECT_EQ(g.code, c.code) << c.text;
  }
  EXPECT_FALSE(Guess("Mi padre está con quimioterapia y tiene fiebre").note.empty());
}

TEST(LanguageTest, ShortAndClinicalEnglishStaysEnglish) {
  for (const char* text :
       {"FOLFOX?", "mets", "nivo ipi", "capox cycle 3 temp 38.5", "cetuximab rash",
        "sirt radioembolisation", "radioembolisation", "temp 39 after radioembolisation",
        "What is an MDT?", "dad has a temp of 38.6", "help", "ok"}) {
    EXPECT_FALSE(Guess(text).other) << text;
  }
}

}  // namespace
}  // namespace patientqa::service::triage
