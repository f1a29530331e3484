// corpus::WordSpans promises to cut text as Xapian's TermGenerator does when it indexes: checked
// here against TermGenerator itself, on tricky strings and on every passage of the bundled corpus.
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <map>

#include "corpus/loader.h"
#include "corpus/splitter.h"
#include "corpus/text.h"
#include "tests/testing/test_util.h"

namespace patientqa::corpus {
namespace {

// The unstemmed terms TermGenerator makes of `text`, in order (terms over 64 bytes are dropped).
std::vector<std::string> TermGeneratorWords(const std::string& text) {
  Xapian::TermGenerator tg;
  Xapian::Document doc;
  tg.set_document(doc);
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
  tg.index_text(text);
  std::map<Xapian::termpos, std::string> by_position;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
    for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) by_position[*p] = *t;
  }
  std::vector<std::string> out;
  for (auto& [pos, term] : by_position) out.push_back(term);
  return out;
}

std::vector<std::string> OurWords(const std::string& text) {
  std::vector<std::string> out;
  for (const std::string& w : LowerCaseWords(text)) {
    if (w.size() <= 64) out.push_back(w);
  }
  return out;
}

TEST(WordSpansTest, CutsTrickyTextAsTermGeneratorDoes) {
  const std::vector<std::string> cases = {
      "What is 5-FU?",
      "I don't know; my wife's GP, Dr O'Brien, said 38.5 or 1,000.",
      "U.S. and U.K. guidance; P.T.O",
      "Is C++ or C# or C+++ or fish+chips or AT&T or M&S?",
      "don\xE2\x80\x99t \xE2\x80\x98quoted\xE2\x80\x99 it\xE2\x80\x9Bs",
      "caf\xC3\xA9 na\xC3\xAFve \xC3\x9C"
      "BER stra\xC3\x9F"
      "e",
      "MD\xE2\x80\x8BT and 3\xE2\x80\x8B"
      "5",
      "under_score, 1.2.3, 3;4, x.y, a'b'c, 'quoted', end'",
      "\xCE\x91\xCE\xB2\xCE\xB3 \xD0\x94\xD0\xB0 \xE2\x85\xA3 \xC2\xBD",
      "A. B.C. a.b. ABC. A.B.c",
      "tail+",
      "x##",
      "",
  };
  for (const std::string& text : cases) {
    EXPECT_EQ(OurWords(text), TermGeneratorWords(text)) << text;
  }
}

TEST(WordSpansTest, SpansPointAtTheWords) {
  const std::string text =
      "Is \xE2\x80\x9C"
      "FOLFOX\xE2\x80\x9D ok?";
  const std::vector<WordSpan> spans = WordSpans(text);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(text.substr(spans[1].begin, spans[1].end - spans[1].begin), "FOLFOX");
  EXPECT_EQ(spans[1].word, "folfox");
}

TEST(WordSpansTest, CutsEveryBundledPassageAsTermGeneratorDoes) {
  const LoadResult loaded = LoadCorpusDir(std::filesystem::path(PATIENTQA_SOURCE_DIR) / "corpus");
  ASSERT_TRUE(loaded.errors.empty()) << DiagnosticsToStatus(loaded.errors);
  size_t texts = 0;
  for (const Article& a : loaded.articles) {
    std::vector<std::string> all = {a.title};
    for (const Passage& p : SplitIntoPassages(a)) {
      all.push_back(p.text);
      all.push_back(p.section);
    }
    for (const std::string& text : all) {
      ++texts;
      ASSERT_EQ(OurWords(text), TermGeneratorWords(text)) << a.id << ": " << text;
    }
  }
  EXPECT_GT(texts, 100u);
}

}  // namespace
}  // namespace patientqa::corpus
