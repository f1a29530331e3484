#include "corpus/language/normalizer.h"

#include <gtest/gtest.h>

namespace patientqa::corpus {
namespace {

TEST(NormalizerTest, LookAlikesBecomeTheirAsciiForms) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"What is \xE2\x80\x9C"
       "FOLFOX\xE2\x80\x9D?",
       "what is \"folfox\"?"},  // curly quotes
      {"What is 5\xE2\x80\x93"
       "FU?",
       "what is 5-fu?"},  // en dash
      {"5\xE2\x80\x94"
       "FU \xE2\x88\x92 5\xE2\x80\x91"
       "FU",
       "5-fu - 5-fu"},                              // em dash, minus, NB hyphen
      {"I\xE2\x80\x99m on chemo", "i'm on chemo"},  // right single quote
      {"I\xCA\xBC"
       "m",
       "i'm"},                                        // modifier apostrophe
      {"What is an\xC2\xA0MDT?", "what is an mdt?"},  // no-break space
      {"What is an\xE2\x80\x8B"
       "MDT?",
       "what is an mdt?"},                     // zero-width space
      {"\xEF\xBB\xBFHello", "hello"},          // BOM
      {"line\none\r\n\ttwo", "line one two"},  // line breaks, tabs
      {"  many    spaces  ", "many spaces"},
      {"\xEF\xBC\xA6\xEF\xBC\xAF\xEF\xBC\xAC\xEF\xBC\xA6\xEF\xBC\xAF\xEF\xBC\xB8",
       "folfox"},  // full width
      {"38\xE2\x84\x83",
       "38\xC2\xB0"
       "c"},  // ℃ -> °c
      {"co\xC2\xAD"
       "operate",
       "cooperate"},  // soft hyphen dropped
      {"STRASSE Stra\xC3\x9F"
       "e",
       "strasse strasse"},  // case folding
  };
  for (const Case& c : cases) EXPECT_EQ(NormalizeText(c.in), c.out) << c.in;
}

TEST(NormalizerTest, InvalidUtf8BecomesReplacementCharacters) {
  const std::string out = NormalizeText(std::string("ok \xC3\x28 \xFF end"));
  EXPECT_EQ(out.substr(0, 3), "ok ");
  EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD
  EXPECT_EQ(out.substr(out.size() - 3), "end");
}

TEST(NormalizerTest, EmptyAndSpaceOnlyTextIsEmpty) {
  EXPECT_EQ(NormalizeText(""), "");
  EXPECT_EQ(NormalizeText(" \t\xE2\x80\x8B\xC2\xA0 "), "");
}

}  // namespace
}  // namespace patientqa::corpus
