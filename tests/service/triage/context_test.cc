#include "service/triage/context.h"

#include <gtest/gtest.h>

#include "tests/testing/triage_fixtures.h"

namespace patientqa::service::triage {
namespace {

using patientqa::testing::BundledTriager;

// The context of the first mention of `concept_id` (or of a narrower concept) in `text`:
// "current", or the flags that apply joined by '+'; "absent" when it is not mentioned.
std::string ContextOf(std::string_view text, std::string_view concept_id) {
  const Triager& t = BundledTriager();
  const int wanted = t.vocabulary().Find(concept_id);
  for (const ContextualMention& m : t.Analyze(text).mentions) {
    if (!t.vocabulary().IsA(m.mention.concept_index, wanted)) continue;
    if (m.current()) return "current";
    std::string out;
    if (m.negated) out += "negated+";
    if (m.historical) out += "historical+";
    if (m.hypothetical) out += "hypothetical+";
    if (m.other_experiencer) out += "other+";
    out.pop_back();
    return out;
  }
  return "absent";
}

TEST(ContextTest, NegationIsScopedAndPseudoTriggersDoNotNegate) {
  EXPECT_EQ(ContextOf("I don't have a fever", "fever"), "negated");
  EXPECT_EQ(ContextOf("no fever, chills or cough", "rigors"), "negated");  // a list goes on
  EXPECT_EQ(ContextOf("no temperature, drinking plenty and I feel fine", "fever"), "absent");
  EXPECT_EQ(ContextOf("I'm not sure if it's a fever", "fever"), "current");
  EXPECT_EQ(ContextOf("there is no increase in the bleeding, it's heavy", "bleeding"), "current");
  EXPECT_EQ(ContextOf("no fever but I'm shivering", "rigors"), "current");  // "but" ends it
}

TEST(ContextTest, PastAndResolvedFindingsAreHistorical) {
  EXPECT_EQ(ContextOf("I had a fever last year", "fever"), "historical");
  EXPECT_EQ(ContextOf("the fever has gone", "fever"), "historical");
  EXPECT_EQ(ContextOf("my temperature has gone up to 38.6", "temperature-reading"), "current");
  EXPECT_EQ(ContextOf("I felt shivery on Saturday and they checked me. I feel completely normal "
                      "now.",
                      "rigors"),
            "historical");
}

TEST(ContextTest, GeneralAndConditionalQuestionsAreHypothetical) {
  EXPECT_EQ(ContextOf("What should I do if I get a fever?", "fever"), "hypothetical");
  EXPECT_EQ(ContextOf("How many hours after chemo can you get a fever?", "fever"), "hypothetical");
  EXPECT_EQ(ContextOf("I have a question about chest pain on capecitabine", "chest-pain"),
            "hypothetical");
  EXPECT_EQ(ContextOf("The nurse wrote 'sudden severe tummy pain' on my card", "abdominal-pain"),
            "hypothetical");  // quoted, not experienced
  EXPECT_EQ(ContextOf("Is it normal to have a fever after chemo?", "fever"), "current");
}

TEST(ContextTest, SomeoneElseUnlessTheyAreThePatient) {
  EXPECT_EQ(ContextOf("My neighbour's toddler has a fever", "fever"), "other");
  EXPECT_EQ(ContextOf("My dad has a fever", "fever"), "current");  // family write about patients
  EXPECT_EQ(ContextOf("My friend is on chemo and has a fever", "fever"), "current");
  EXPECT_EQ(
      ContextOf("My husband has flu with a high temperature, I'm the one with cancer", "fever"),
      "other");
  // The treatment is the writer's own: the child's temperature is still someone else's.
  EXPECT_EQ(ContextOf("My neighbour's little girl has a temperature, is it safe for me to be "
                      "around her while I'm on chemo?",
                      "fever"),
            "other");
  EXPECT_EQ(ContextOf("My neighbour, who like me is on FOLFOX, has a temperature of 38.5", "fever"),
            "current");
}

TEST(ContextTest, WhatIsUsualForThePatientIsNotHypothetical) {
  EXPECT_EQ(
      ContextOf("my stoma has gone a dark purple colour, it's normally pink and wet", "stoma-dark"),
      "current");
  EXPECT_EQ(ContextOf("Is a temperature of 37.8 normally a worry on chemo?", "temperature-reading"),
            "hypothetical");
}

TEST(ContextTest, TriggersInsideAFindingArePartOfIt) {
  // "can't" is part of "can't pass wind"; "back" is part of "back in 2022".
  EXPECT_EQ(ContextOf("I can't pass wind", "no-stool-or-wind"), "current");
  EXPECT_EQ(ContextOf("I haven't pooed for three days", "no-stool-or-wind"), "current");
  EXPECT_EQ(ContextOf("I had chest pain back in 2022", "back-pain"), "absent");
  EXPECT_EQ(ContextOf("I had chest pain back in 2022", "chest-pain"), "historical");
}

}  // namespace
}  // namespace patientqa::service::triage
