// Questions typed on phones or pasted from documents: curly quotes, dashes, odd spaces and
// full-width letters are answered exactly as their plain ASCII forms, on the bundled corpus.
#include <gtest/gtest.h>

#include "tests/service/bundled_index.h"

namespace patientqa::service {
namespace {

class TypographyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* lib = testing::Bundled();
    ASSERT_NE(lib, nullptr);
    handler_ = lib->handler.get();
  }

  static std::vector<std::string> PassageIds(const AskResult& r) {
    std::vector<std::string> ids;
    for (const index::Hit& h : r.passages) ids.push_back(h.passage_id);
    return ids;
  }

  const AskHandler* handler_ = nullptr;
};

TEST_F(TypographyTest, OddCharactersAreAnsweredLikeTheirPlainForms) {
  struct Case {
    const char* plain;
    const char* typed;
  };
  const std::vector<Case> cases = {
      {"What is \"FOLFOX\"?",
       "What is \xE2\x80\x9C"
       "FOLFOX\xE2\x80\x9D?"},  // curly double quotes
      {"What is 'FOLFOX'?",
       "What is \xE2\x80\x98"
       "FOLFOX\xE2\x80\x99?"},  // curly single quotes
      {"What is FOLFOX?",
       "What is \xC2\xAB"
       "FOLFOX\xC2\xBB?"},  // guillemets
      {"What is 5-FU?",
       "What is 5\xE2\x80\x93"
       "FU?"},  // en dash
      {"What is 5-FU?",
       "What is 5\xE2\x80\x94"
       "FU?"},  // em dash
      {"What is 5-FU?",
       "What is 5\xE2\x88\x92"
       "FU?"},  // minus sign
      {"What is 5-FU?",
       "What is 5\xE2\x80\x91"
       "FU?"},                                            // non-breaking hyphen
      {"What is an MDT?", "What is an\xC2\xA0MDT?"},      // no-break space
      {"What is an MDT?", "What is an\xE2\x80\x8BMDT?"},  // zero-width space
      {"What is an MDT?",
       "What\xE2\x80\xAFis\xE3\x80\x80"
       "an MDT?"},  // narrow, ideographic
      {"What is an MDT?", "What is an \xEF\xBC\xAD\xEF\xBC\xA4\xEF\xBC\xB4?"},  // full-width
      {"What is an MDT?", "What is an\xE2\x80\xA8MDT?"},                        // line separator
      {"What is chemotherapy?", "What is chemo\xC2\xADtherapy?"},               // soft hyphen
      {"Can't they operate on my liver?", "Can\xE2\x80\x99t they operate on my liver?"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.typed);
    auto plain = handler_->Ask({.question = c.plain});
    auto typed = handler_->Ask({.question = c.typed});
    ASSERT_TRUE(plain.ok()) << plain.status();
    ASSERT_TRUE(typed.ok()) << typed.status();
    EXPECT_TRUE(plain->answered);
    EXPECT_EQ(typed->answered, plain->answered);
    EXPECT_EQ(PassageIds(*typed), PassageIds(*plain));
    EXPECT_EQ(typed->answer, plain->answer);
  }
}

TEST_F(TypographyTest, HistoryIsNormalisedToo) {
  auto plain = handler_->Ask({.question = "How is it given?", .history = {"What is \"FOLFOX\"?"}});
  auto typed = handler_->Ask({.question = "How is it given?",
                              .history = {"What is \xE2\x80\x9C"
                                          "FOLFOX\xE2\x80\x9D?"}});
  ASSERT_TRUE(plain.ok() && typed.ok());
  EXPECT_EQ(PassageIds(*typed), PassageIds(*plain));
}

TEST_F(TypographyTest, ASpellingSuggestionKeepsTheWritersCase) {
  auto r = handler_->Ask({.question = "What does Oxaliplatn do?"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->did_you_mean, "What does oxaliplatin do?");
}

// A possessive of a known word is no slip ("mum's" was "corrected" to "mumps"), and an operation
// the vocabulary names is no misspelling of another ("colectomy" was read as "colostomy").
TEST_F(TypographyTest, KnownWordsAreNotCorrectedIntoOthers) {
  for (const char* q : {"My mum's bowel cancer has spread to her liver, can it be removed?",
                        "what is a colectomy", "Is my husband's tumour RAS wild-type?"}) {
    SCOPED_TRACE(q);
    auto r = handler_->Ask({.question = q});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->did_you_mean, "");
  }
}

}  // namespace
}  // namespace patientqa::service
