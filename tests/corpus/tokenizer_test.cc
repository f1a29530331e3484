#include "corpus/language/tokenizer.h"

#include <gtest/gtest.h>

namespace patientqa::corpus {
namespace {

std::vector<std::string> Texts(std::string_view text) {
  std::vector<std::string> out;
  for (const Token& t : Tokenize(text)) out.push_back(t.text);
  return out;
}

TEST(TokenizerTest, WordsNumbersAndSentencePunctuation) {
  EXPECT_EQ(Texts("temp is 38.5, help!"),
            (std::vector<std::string>{"temp", "is", "38.5", ",", "help", "!"}));
  const std::vector<Token> tokens = Tokenize("temp 38,5 now");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[1].kind, TokenKind::kNumber);
  EXPECT_DOUBLE_EQ(tokens[1].number, 38.5);
  EXPECT_EQ(tokens[1].begin, 5u);
  EXPECT_EQ(tokens[1].end, 9u);
}

TEST(TokenizerTest, LettersAndDigitsSplitSoVariantsReadAlike) {
  EXPECT_EQ(Texts("38.5c"), (std::vector<std::string>{"38.5", "c"}));
  EXPECT_EQ(Texts("5fu"), Texts("5-fu"));
  EXPECT_EQ(Texts("5-fu"), (std::vector<std::string>{"5", "fu"}));
  EXPECT_EQ(Texts("y90"), Texts("y-90"));
  EXPECT_EQ(Texts("self-harm"), Texts("self harm"));
}

TEST(TokenizerTest, ContractionsReadAlikeHoweverTyped) {
  EXPECT_EQ(Texts("can't"), Texts("cant"));
  EXPECT_EQ(Texts("can't"), std::vector<std::string>{"cant"});
  EXPECT_EQ(Texts("i'm"), (std::vector<std::string>{"i", "m"}));
  EXPECT_EQ(Texts("stoma's black"), (std::vector<std::string>{"stoma", "s", "black"}));
}

TEST(TokenizerTest, QuotationMarksAndRunsOfPunctuation) {
  EXPECT_EQ(Texts("the card says \"call us\""),
            (std::vector<std::string>{"the", "card", "says", "\"", "call", "us", "\""}));
  EXPECT_EQ(Texts("'sudden pain'"), (std::vector<std::string>{"\"", "sudden", "pain", "\""}));
  EXPECT_EQ(Texts("help?!?! now..."),
            (std::vector<std::string>{"help", "?", "!", "?", "!", "now", "."}));
  EXPECT_TRUE(EndsSentence(Tokenize(".")[0]));
  EXPECT_FALSE(EndsSentence(Tokenize(",")[0]));
}

TEST(TokenizerTest, OtherScriptsAreWordsAndSymbolsSeparate) {
  EXPECT_EQ(Texts("fiebre 39\xC2\xB0"), (std::vector<std::string>{"fiebre", "39"}));
  EXPECT_EQ(Texts("\xE5\x8F\x91\xE7\x83\xA7"),
            (std::vector<std::string>{"\xE5\x8F\x91\xE7\x83\xA7"}));
  EXPECT_TRUE(Tokenize("").empty());
  EXPECT_TRUE(Tokenize(" - ").empty());
}

}  // namespace
}  // namespace patientqa::corpus
