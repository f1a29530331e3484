#include "corpus/language/vocabulary.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace patientqa::corpus {
namespace {

constexpr char kVocabulary[] = R"(# a comment
concept pain
  type: finding
  scope: weak
  search: pain, ache, sore
  terms: pain, ache, sore, hurts

concept chest-pain
  type: finding
  is: pain
  terms: chest pain, pain in my chest
  combines: chest ~ pain

concept chest
  type: body
  terms: chest

concept chemo
  type: treatment
  scope: strong
  topic: treatment
  search: yes
  qualifier: no
  terms: chemo, chemotherapy, chemo*

concept cancer
  type: disease
  qualifier: yes
  terms: cancer
)";

TEST(VocabularyTest, ParsesConceptsTermsAndLinks) {
  std::vector<Diagnostic> errors;
  const Vocabulary v = Vocabulary::Parse("v.txt", kVocabulary, &errors);
  ASSERT_TRUE(errors.empty()) << errors[0].ToString();
  ASSERT_EQ(v.concepts().size(), 5u);
  const int pain = v.Find("pain"), chest_pain = v.Find("chest-pain"), chemo = v.Find("chemo");
  ASSERT_GE(chest_pain, 0);
  EXPECT_TRUE(v.IsA(chest_pain, pain));
  EXPECT_FALSE(v.IsA(pain, chest_pain));
  EXPECT_TRUE(v.IsA(pain, pain));
  EXPECT_EQ(v.Scope(chest_pain), "weak");  // inherited
  EXPECT_EQ(v.Scope(chemo), "strong");
  EXPECT_EQ(v.Topics(chemo), std::vector<std::string>{"treatment"});
  const Concept& c = v.concepts()[chemo];
  ASSERT_EQ(c.terms.size(), 3u);
  EXPECT_EQ(c.terms[2].tokens, std::vector<std::string>{"chemo"});
  EXPECT_TRUE(c.terms[2].prefix[0]);
  EXPECT_FALSE(c.qualifier);
  EXPECT_TRUE(v.concepts()[v.Find("cancer")].qualifier);
  EXPECT_FALSE(v.concepts()[pain].qualifier);
  ASSERT_EQ(v.concepts()[chest_pain].combines.size(), 1u);
  EXPECT_EQ(v.concepts()[chest_pain].combines[0].size(), 2u);
}

TEST(VocabularyTest, SearchGroupsAreAViewOfTheConcepts) {
  std::vector<Diagnostic> errors;
  const Vocabulary v = Vocabulary::Parse("v.txt", kVocabulary, &errors);
  const std::vector<SynonymGroup> groups = v.SearchGroups();
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].members, (std::vector<std::string>{"pain", "ache", "sore"}));
  // "search: yes": the concept's own terms, without prefix terms and without narrower concepts.
  EXPECT_EQ(groups[1].members, (std::vector<std::string>{"chemo", "chemotherapy"}));
}

TEST(VocabularyTest, ReportsEachProblemWithFileAndLine) {
  struct Case {
    const char* text;
    const char* error;
  };
  const Case cases[] = {
      {"terms: x\n", "v.txt:1: expected 'concept <id>'"},
      {"concept Bad_Id\n  type: finding\n", "v.txt:1: concept id must be"},
      {"concept a\n  type: finding\nconcept a\n  type: finding\n",
       "v.txt:3: duplicate concept 'a'"},
      {"concept a\n  type: colour\n", "v.txt:2: unknown type 'colour'"},
      {"concept a\n  type: finding\n  colour: red\n", "v.txt:3: unknown key 'colour'"},
      {"concept a\n  type: finding\n  is: nowhere\n",
       "v.txt:1: concept 'a' is under unknown concept 'nowhere'"},
      {"concept a\n  type: finding\n  is: b\nconcept b\n  type: finding\n  is: a\n",
       "is (through its parents) under itself"},
      {"concept a\n  type: finding\n  terms: x, x\n", "v.txt:3: term 'x' is listed twice"},
      {"concept a\n  type: finding\n  topic: cooking\n", "v.txt:3: unknown topic 'cooking'"},
      {"concept a\n  type: finding\n  combines: b ~ c\n", "v.txt:3: combines: unknown concept 'b'"},
      {"concept a\n  type: finding\n  terms: x, y\n  search: x, z\n",
       "v.txt:4: search: 'z' is not a term of any concept"},
      {"concept a\n  terms: x\n", "v.txt:1: concept 'a' has no type"},
      {"concept a\n  type: finding\n  scope: medium\n", "v.txt:3: scope must be"},
      {"concept a\n  type: finding\n  measure: weight\n", "v.txt:3: measure must be"},
      {"concept a\n  type: disease\n  qualifier: maybe\n", "v.txt:3: qualifier must be"},
  };
  for (const Case& c : cases) {
    std::vector<Diagnostic> errors;
    Vocabulary::Parse("v.txt", c.text, &errors);
    ASSERT_FALSE(errors.empty()) << c.text;
    const bool found = std::any_of(errors.begin(), errors.end(), [&](const Diagnostic& d) {
      return d.ToString().find(c.error) != std::string::npos;
    });
    EXPECT_TRUE(found) << c.text << "\nfirst error: " << errors[0].ToString();
  }
}

TEST(VocabularyTest, VariantsThatNormaliseAlikeAreMerged) {
  std::vector<Diagnostic> errors;
  const Vocabulary v = Vocabulary::Parse(
      "v.txt", "concept a\n  type: finding\n  terms: can't poo, cant poo\n", &errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(v.concepts()[0].terms.size(), 1u);
}

}  // namespace
}  // namespace patientqa::corpus
