#include "corpus/splitter.h"

#include <gtest/gtest.h>

#include "corpus/text.h"

namespace patientqa::corpus {
namespace {

Article MakeArticle(const std::string& body) {
  Article a;
  a.id.assign(1, 'a');  // not = "a": GCC 12 warns falsely (-Wrestrict)
  a.body = body;
  a.body_line = 10;
  return a;
}

TEST(SplitterTest, OnePassagePerParagraphWithItsSectionAndLine) {
  const auto passages = SplitIntoPassages(MakeArticle(
      "## First section\n\nOne paragraph\nover two lines.\n\nSecond one.\n\n## Next\n\nThird.\n"));
  ASSERT_EQ(passages.size(), 3u);
  EXPECT_EQ(passages[0].section, "First section");
  EXPECT_EQ(passages[0].text, "One paragraph over two lines.");
  EXPECT_EQ(passages[0].source_line, 12);
  EXPECT_EQ(passages[1].section, "First section");
  EXPECT_EQ(passages[2].section, "Next");
  EXPECT_EQ(passages[2].text, "Third.");
  EXPECT_EQ(passages[2].ordinal, 2);
}

TEST(SplitterTest, LeadInLabelBecomesTheSectionWhenThereIsNoHeading) {
  const auto passages = SplitIntoPassages(MakeArticle(
      "Blood metastasis: After cells invade vessels they reach the liver.\n\nPlain paragraph.\n"));
  ASSERT_EQ(passages.size(), 2u);
  EXPECT_EQ(passages[0].section, "Blood metastasis");
  EXPECT_EQ(passages[0].text, "Blood metastasis: After cells invade vessels they reach the liver.");
  EXPECT_EQ(passages[1].section, "");
}

TEST(SplitterTest, LongParagraphIsCutAtSentencesIntoBalancedPieces) {
  std::string paragraph;
  for (int i = 0; i < 30; ++i) paragraph += "This sentence has exactly seven words here. ";
  SplitOptions options;
  options.max_words = 100;
  const auto passages = SplitIntoPassages(MakeArticle("## S\n\n" + paragraph), options);
  ASSERT_EQ(passages.size(), 3u);
  for (const auto& p : passages) {
    EXPECT_EQ(p.section, "S");
    EXPECT_LE(CountWords(p.text), 100u);
    EXPECT_EQ(p.text.back(), '.');
  }
}

TEST(SplitterTest, NeverJoinsAcrossSections) {
  const auto passages = SplitIntoPassages(MakeArticle("## A\nline one\n## B\nline two\n"));
  ASSERT_EQ(passages.size(), 2u);
  EXPECT_EQ(passages[0].text, "line one");
  EXPECT_EQ(passages[1].section, "B");
}

}  // namespace
}  // namespace patientqa::corpus
