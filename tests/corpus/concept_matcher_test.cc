#include "corpus/language/concept_matcher.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "corpus/language/normalizer.h"

namespace patientqa::corpus {
namespace {

constexpr char kVocabulary[] = R"(
concept suicidal
  type: self-harm
  terms: end my life, end it all
concept fever
  type: finding
  measure: temperature-cue
  terms: fever, high temperature
concept temperature-reading
  type: measure
  measure: temperature
  terms: temp, temperature
concept diarrhoea
  type: finding
  terms: diarrhoea, diarrhea, loose stools
concept swelling
  type: finding
  terms: swollen
concept nosebleed
  type: finding
  terms: nose bleeding
concept bleeding
  type: finding
  terms: bleeding
concept count-unit
  type: measure
  measure: count
  terms: times, episodes
concept metastasis
  type: disease
  terms: metasta*
concept cea
  type: test
  terms: cea
)";

class ConceptMatcherTest : public ::testing::Test {
 protected:
  ConceptMatcherTest() : vocabulary_(Parse()), matcher_(vocabulary_, &words_) {}

  static Vocabulary Parse() {
    std::vector<Diagnostic> errors;
    Vocabulary v = Vocabulary::Parse("v.txt", kVocabulary, &errors);
    EXPECT_TRUE(errors.empty()) << errors[0].ToString();
    return v;
  }

  // "concept-id:first-token" for each mention, with the value when there is one.
  std::vector<std::string> Find(std::string_view text) const {
    const std::vector<Token> tokens = Tokenize(NormalizeText(text));
    std::vector<std::string> out;
    for (const Mention& m : matcher_.Match(tokens)) {
      std::string s =
          absl::StrCat(vocabulary_.concepts()[m.concept_index].id, ":", tokens[m.begin].text);
      if (m.has_value()) absl::StrAppend(&s, "=", static_cast<int>(m.value * 10 + 0.5));
      if (m.has_minutes()) absl::StrAppend(&s, "/", static_cast<int>(m.minutes), "min");
      out.push_back(s);
    }
    return out;
  }

  WordList words_ = WordList::Load({});  // no system word list: typos need 9+ letters
  Vocabulary vocabulary_;
  ConceptMatcher matcher_;
};

TEST_F(ConceptMatcherTest, MatchesWholeWordsOnly) {
  EXPECT_TRUE(Find("Can chemo extend my life?").empty());
  EXPECT_TRUE(Find("At the weekend my dad rang").empty());
  EXPECT_EQ(Find("I want to end my life"), std::vector<std::string>{"suicidal:end"});
}

TEST_F(ConceptMatcherTest, LongestMatchPrefixesRepeatsAndPlurals) {
  EXPECT_EQ(Find("a high temperature"), std::vector<std::string>{"fever:high"});
  EXPECT_EQ(Find("liver metastases"), std::vector<std::string>{"metastasis:metastases"});
  EXPECT_EQ(Find("feverrrrr!!"), std::vector<std::string>{"fever:feverrrrr"});
  EXPECT_EQ(Find("fevers"), std::vector<std::string>{"fever:fevers"});
}

TEST_F(ConceptMatcherTest, ForgivesOneTypingSlipInLongWords) {
  EXPECT_EQ(Find("diarrohea"), std::vector<std::string>{"diarrhoea:diarrohea"});
  EXPECT_TRUE(Find("diaroha").empty());  // short words need the system word list
}

TEST_F(ConceptMatcherTest, ReadsTemperaturesInCelsiusAndFahrenheit) {
  EXPECT_EQ(Find("temp 38.5"),
            (std::vector<std::string>{"temperature-reading:temp", "temperature-reading:38.5=385"}));
  EXPECT_EQ(Find("it was 101.3F"), std::vector<std::string>{"temperature-reading:101.3=385"});
  EXPECT_EQ(Find("temperature of 37,9"),
            (std::vector<std::string>{"temperature-reading:temperature",
                                      "temperature-reading:37,9=379"}));
  EXPECT_EQ(Find("fever of 102"),
            (std::vector<std::string>{"fever:fever", "temperature-reading:102=389"}));
  // A test result is not a temperature; nor is a number with nothing to say it is one.
  EXPECT_EQ(Find("my cea went up to 38.5"), std::vector<std::string>{"cea:cea"});
  EXPECT_TRUE(Find("I am 38 years old").empty());
}

TEST_F(ConceptMatcherTest, CountsAndDurationsAttachToTheNearestFinding) {
  EXPECT_EQ(Find("diarrhoea 8 times today"),
            (std::vector<std::string>{"diarrhoea:diarrhoea=80", "count-unit:times"}));
  EXPECT_EQ(Find("had diarrhea seven times"),
            (std::vector<std::string>{"diarrhoea:diarrhea=70", "count-unit:times"}));
  EXPECT_EQ(Find("6 loose stools"), std::vector<std::string>{"diarrhoea:loose=60"});
  EXPECT_EQ(Find("diarrhoea twice"), std::vector<std::string>{"diarrhoea:diarrhoea=20"});
  EXPECT_EQ(Find("nose bleeding for 25 minutes"), std::vector<std::string>{"nosebleed:nose/25min"});
  EXPECT_EQ(Find("bleeding for half an hour"), std::vector<std::string>{"bleeding:bleeding/30min"});
}

TEST(WordListTest, SystemListKnowsEnglishWordsWhenInstalled) {
  const WordList& words = EnglishWords();
  if (words.empty()) GTEST_SKIP() << "no /usr/share/dict word list (Debian wbritish, wamerican)";
  EXPECT_TRUE(words.Contains("breeding"));
  EXPECT_FALSE(words.Contains("bleding"));
}

TEST(TypoToleranceTest, ShortTyposNeedAWordListAndRealWordsAreNotTypos) {
  std::vector<Diagnostic> errors;
  const Vocabulary v = Vocabulary::Parse(
      "v.txt", "concept bleeding\n  type: finding\n  terms: bleeding, swollen\n", &errors);
  const WordList words = WordList::Load({});
  const ConceptMatcher without(v, nullptr);
  EXPECT_TRUE(without.Match(Tokenize("bleding")).empty());
  if (EnglishWords().empty()) GTEST_SKIP() << "no system word list";
  const ConceptMatcher with(v, &EnglishWords());
  EXPECT_EQ(with.Match(Tokenize("bleding")).size(), 1u);
  EXPECT_EQ(with.Match(Tokenize("swolen")).size(), 1u);
  EXPECT_TRUE(with.Match(Tokenize("breeding")).empty());  // an English word of its own
}

}  // namespace
}  // namespace patientqa::corpus
