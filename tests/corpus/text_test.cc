#include "corpus/text.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace patientqa::corpus {
namespace {

TEST(TextTest, FindsInvalidUtf8) {
  struct Case {
    std::string text;
    std::optional<size_t> bad;
  };
  const std::vector<Case> cases = {
      {"plain ascii", std::nullopt},
      {"caf\xC3\xA9 \xE2\x80\xA6 \xF0\x9F\x98\x80", std::nullopt},
      {"bad \xFF", 4},
      {"\xC0\x80", 0},        // overlong NUL
      {"ab\xED\xA0\x80", 2},  // surrogate
      {"truncated \xE2\x80", 10},
      {"\xF4\x90\x80\x80", 0},  // above U+10FFFF
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FindInvalidUtf8(c.text), c.bad) << c.text;
  }
}

TEST(TextTest, CountsCodePoints) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("caf\xC3\xA9"), 4u);
}

TEST(TextTest, SplitsSentencesButNotAbbreviations) {
  EXPECT_EQ(
      SplitSentences("One here. Two (e.g. this) there! Dr. Who? 5 more."),
      (std::vector<std::string>{"One here.", "Two (e.g. this) there!", "Dr. Who?", "5 more."}));
  EXPECT_EQ(SplitSentences("no end"), (std::vector<std::string>{"no end"}));
}

TEST(TextTest, SplitsAttributeLinesAndNamesWhatIsWrong) {
  auto a = SplitAttribute("  terms:  a, b: c  ");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->key, "terms");
  EXPECT_EQ(a->value, "a, b: c");  // split at the first ':' only
  EXPECT_EQ(SplitAttribute("no colon here").status().message(),
            "expected 'key: value', got 'no colon here'");
  EXPECT_EQ(SplitAttribute("source:   ").status().message(), "'source' is empty");
  auto empty = SplitAttribute("references:", /*value_required=*/false, "field: value");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->value.empty());
  EXPECT_EQ(SplitAttribute("title", false, "field: value").status().message(),
            "expected 'field: value', got 'title'");
}

TEST(TextTest, CountsWords) {
  EXPECT_EQ(CountWords("It's a five-word test."), 4u);
  EXPECT_EQ(CountWords(""), 0u);
}

TEST(TextTest, LowerCaseTokensKeepTheAskedPunctuation) {
  EXPECT_EQ(LowerCaseTokens("CEA (a protein), is", "(),"),
            (std::vector<std::string>{"cea", "(", "a", "protein", ")", ",", "is"}));
  EXPECT_EQ(LowerCaseTokens("CEA (a protein), is", ""), LowerCaseWords("CEA (a protein), is"));
}

TEST(TextTest, LowerCaseTokensUpToAWordCountAreTheStartOfTheFullList) {
  const std::string text = "CEA (carcinoembryonic antigen), a protein, is (often) measured.";
  const std::vector<std::string> all = LowerCaseTokens(text, "(),");
  EXPECT_EQ(LowerCaseTokens(text, "(),", 3),
            (std::vector<std::string>{"cea", "(", "carcinoembryonic", "antigen"}));
  for (size_t n = 0; n <= 10; ++n) {
    const std::vector<std::string> start = LowerCaseTokens(text, "(),", n);
    ASSERT_LE(start.size(), all.size());
    EXPECT_TRUE(std::equal(start.begin(), start.end(), all.begin())) << n;
    EXPECT_EQ(WordSpans(text, n).size(), std::min<size_t>(n, 8)) << n;
  }
  EXPECT_EQ(LowerCaseTokens(text, "(),", 8), all);
}

TEST(TextTest, ShinglesMeasureSharedWording) {
  const auto a = WordShingles("A liver resection removes the part of the liver with cancer.");
  const auto b = WordShingles("A liver resection removes the part of the liver with cancer!");
  const auto c = WordShingles("Ablation destroys small tumours with heat instead of surgery.");
  EXPECT_DOUBLE_EQ(ShingleSimilarity(a, b), 1.0);
  EXPECT_DOUBLE_EQ(ShingleSimilarity(a, c), 0.0);
  EXPECT_EQ(WordShingles("two words").size(), 1u);
}

TEST(TextTest, ShinglesAreASortedSetAndSimilarityIsJaccard) {
  // Ten words, six shingles, one of them twice: "a b c d e" starts the text and ends it.
  const auto repeated = WordShingles("a b c d e a b c d e");
  EXPECT_EQ(repeated.size(), 5u);
  EXPECT_TRUE(std::is_sorted(repeated.begin(), repeated.end()));
  EXPECT_EQ(std::adjacent_find(repeated.begin(), repeated.end()), repeated.end());
  // Two shingles in common ("b c d e f", "c d e f g") of 3 + 3 - 2 = 4 in all.
  EXPECT_DOUBLE_EQ(ShingleSimilarity(WordShingles("a b c d e f g"), WordShingles("b c d e f g h")),
                   0.5);
  EXPECT_DOUBLE_EQ(ShingleSimilarity({}, {}), 1.0);
}

}  // namespace
}  // namespace patientqa::corpus
