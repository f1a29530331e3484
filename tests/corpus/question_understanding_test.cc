// Question types (corpus/language/question_type.h) and search concepts
// (corpus/language/search_concepts.h).
#include <gtest/gtest.h>

#include <algorithm>

#include "corpus/language/question_type.h"
#include "corpus/language/search_concepts.h"

namespace patientqa::corpus {
namespace {

std::vector<std::string> Types(std::string_view question) {
  std::vector<std::string> out;
  for (QuestionType t : ClassifyQuestion(question)) out.emplace_back(QuestionTypeId(t));
  return out;
}

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(QuestionTypeTest, EachTypeIsRecognisedInPatientsWording) {
  EXPECT_TRUE(Has(Types("What is FOLFOX?"), "definition"));
  EXPECT_TRUE(Has(Types("what does unresectable mean"), "definition"));
  EXPECT_TRUE(Has(Types("Why does it spread to the liver?"), "cause"));
  EXPECT_TRUE(Has(Types("How would I know if it has gone to my lungs?"), "symptoms"));
  EXPECT_TRUE(Has(Types("which drugs are used for stage 4"), "treatment"));
  EXPECT_TRUE(Has(Types("what can be done if it can never be removed"), "treatment"));
  EXPECT_TRUE(Has(Types("What are the side effects of cetuximab?"), "side-effects"));
  EXPECT_TRUE(Has(Types("how long do people live with stage 4"), "outlook"));
  EXPECT_TRUE(Has(Types("How often will I have scans?"), "schedule"));
  EXPECT_TRUE(Has(Types("Can my dad have surgery on his lungs?"), "eligibility"));
  EXPECT_TRUE(Has(Types("What happens during a liver resection?"), "procedure"));
  EXPECT_TRUE(Has(Types("Can I still work and drive during chemo?"), "practical"));
  EXPECT_TRUE(Has(Types("Where can I get help with how I feel?"), "help"));
}

TEST(QuestionTypeTest, TextingSpellingsAndLeadInsAreRecognised) {
  EXPECT_TRUE(Has(Types("wat is HIPEK for bowel cancr"), "definition"));
  EXPECT_TRUE(Has(Types("peritonial mets what does it mean"), "definition"));
  EXPECT_TRUE(Has(Types("My oncologist keeps saying 'mets' - what are mets?"), "definition"));
  EXPECT_TRUE(Has(Types("how to find clincal trails for stage 4"), "help"));
  EXPECT_TRUE(Has(Types("how should he take it?"), "procedure"));
  EXPECT_FALSE(Has(Types("Is it safe? I wonder what is next"), "definition"));
}

TEST(QuestionTypeTest, WordBoundariesKeepLookalikesOut) {
  EXPECT_FALSE(Has(Types("Is my data kept secure?"), "treatment"));  // "cure" in "secure"
  EXPECT_FALSE(Has(Types("who assigns the nurse"), "symptoms"));     // "signs" in "assigns"
  EXPECT_TRUE(Types("").empty());
  EXPECT_TRUE(Types("hello there").empty());
}

constexpr char kVocabulary[] = R"(
concept cancer
  type: disease
  terms: cancer
concept colorectal
  type: disease
  terms: bowel, colorectal
concept colon-word
  type: body
  is: colorectal
  terms: colon
concept metastasis
  type: disease
  terms: metastases, secondaries, mets
concept not
  type: modifier
  terms: not, no
)";

TEST(SearchConceptsTest, DifferentWordsForOneIdeaMeetAsOneConceptWithItsBroaderOnes) {
  std::vector<Diagnostic> errors;
  const Vocabulary v = Vocabulary::Parse("v.txt", kVocabulary, &errors);
  ASSERT_TRUE(errors.empty());
  const ConceptMatcher matcher(v);
  auto ids = [&](std::string_view text) {
    std::vector<std::pair<std::string, int>> out;
    for (const SearchConcept& c : SearchConceptsIn(matcher, text)) {
      out.emplace_back(v.concepts()[c.concept_index].id, c.depth);
    }
    return out;
  };
  using P = std::vector<std::pair<std::string, int>>;
  EXPECT_EQ(ids("mets in the liver"), P({{"metastasis", 0}}));
  EXPECT_EQ(ids("secondaries"), ids("metastases"));
  // "colon" names the body part and, one level up, the bowel: it meets "bowel" there.
  EXPECT_EQ(ids("colon"), P({{"colorectal", 1}, {"colon-word", 0}}));
  EXPECT_EQ(ids("bowel colon"), P({{"colorectal", 0}, {"colon-word", 0}}));
  // Modifiers are not search concepts.
  EXPECT_EQ(ids("not cancer"), P({{"cancer", 0}}));
  EXPECT_TRUE(IsSearchConceptType("treatment"));
  EXPECT_FALSE(IsSearchConceptType("modifier"));
}

}  // namespace
}  // namespace patientqa::corpus
