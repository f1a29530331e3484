#include "index/searcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <tuple>

#include "corpus/text.h"
#include "index/index_builder.h"
#include "tests/testing/fixtures.h"
#include "tests/testing/test_util.h"

namespace patientqa::index {
namespace {

using patientqa::testing::TempDir;

class SearcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BuildOptions options = patientqa::testing::BundledIndexOptions(dir_.path() / "index");
    options.synonyms = {{{"spread", "metastasis", "metastases", "secondaries"}, 1},
                        {{"mdt", "multidisciplinary team", "tumour board"}, 2}};
    auto stats = BuildIndex(patientqa::testing::SmallCorpus(), options);
    ASSERT_TRUE(stats.ok()) << stats.status();
    auto searcher = Searcher::Open(options.out);
    ASSERT_TRUE(searcher.ok()) << searcher.status();
    searcher_ = std::move(*searcher);
  }

  SearchResult Search(const std::string& q, std::vector<std::string> context = {}) {
    SearchRequest request;
    request.query = q;
    request.context = std::move(context);
    auto result = searcher_->Search(request);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : SearchResult{};
  }

  TempDir dir_;
  std::unique_ptr<Searcher> searcher_;
};

TEST_F(SearcherTest, SentencesOfAPassageAreWorkedOutOnceAndMatchItsText) {
  SearchResult r = Search("operations removing livers");
  ASSERT_FALSE(r.hits.empty());
  const Hit& hit = r.hits[0];
  const auto sentences = searcher_->Sentences(hit);
  const std::vector<std::string> expected = corpus::SplitSentences(hit.text);
  ASSERT_EQ(sentences->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*sentences)[i].text, expected[i]);
    EXPECT_EQ((*sentences)[i].words, corpus::CountWords(expected[i]));
    EXPECT_EQ((*sentences)[i].terms, searcher_->ContentTerms(expected[i]));
  }
  EXPECT_EQ(searcher_->Sentences(hit), sentences);  // kept, not worked out again

  // A hit whose text is not the stored passage's is read as it is, and not kept.
  Hit edited = hit;
  edited.text = "Chemotherapy shrinks tumours. It is given in cycles.";
  const auto own = searcher_->Sentences(edited);
  ASSERT_EQ(own->size(), 2u);
  EXPECT_EQ((*own)[0].text, "Chemotherapy shrinks tumours.");
  EXPECT_EQ(searcher_->Sentences(hit), sentences);
}

TEST_F(SearcherTest, ReturnsCitedPassageForStemmedQuery) {
  SearchResult r = Search("operations removing livers");
  ASSERT_FALSE(r.hits.empty());
  const Hit& top = r.hits[0];
  EXPECT_EQ(top.passage_id, "liver#1");
  EXPECT_EQ(top.title, "Cancer that has spread to the liver");
  EXPECT_EQ(top.publisher, "Test Library");
  EXPECT_EQ(top.url, "https://example.org/liver");
  EXPECT_EQ(top.updated, "2024-01-31");
  EXPECT_EQ(top.section, "Can liver metastases be removed?");
  EXPECT_NE(top.text.find("liver resection"), std::string::npos);
  EXPECT_NE(top.snippet.find("<mark>"), std::string::npos);
  EXPECT_GT(top.score, 0);
}

TEST_F(SearcherTest, ScoresFallWithRank) {
  SearchResult r = Search("liver cancer spread chemotherapy team");
  ASSERT_GE(r.hits.size(), 3u);
  for (size_t i = 1; i < r.hits.size(); ++i) EXPECT_GE(r.hits[i - 1].score, r.hits[i].score);
}

TEST_F(SearcherTest, SynonymsFindTheClinicalWordForTheLayOne) {
  SearchResult r = Search("tumour board");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].article_id, "mdt");

  SearchRequest plain;
  plain.query = "tumour board";
  plain.expand_synonyms = false;
  EXPECT_TRUE(searcher_->Search(plain)->hits.empty());
}

TEST_F(SearcherTest, TopicFilterKeepsOnlyThatTopic) {
  SearchRequest request;
  request.query = "liver chemotherapy team";
  request.topic = "mdt";
  auto r = searcher_->Search(request);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->hits.empty());
  for (const Hit& h : r->hits) EXPECT_EQ(h.article_id, "mdt");
}

TEST_F(SearcherTest, SnippetEscapesMarkup) {
  SearchResult r = Search("FOLFOX <script>");
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].snippet.find("<script"), std::string::npos);
}

// Removes <mark> and </mark> and undoes the HTML escaping of a snippet.
std::string SnippetText(std::string s) {
  for (const std::string tag : {"<mark>", "</mark>"}) {
    for (size_t at; (at = s.find(tag)) != std::string::npos;) s.erase(at, tag.size());
  }
  for (const auto& [entity, c] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
    for (size_t at; (at = s.find(entity)) != std::string::npos;) s.replace(at, entity.size(), c);
  }
  return s;
}

TEST(SearcherSnippetTest, AShortPassageIsWholeAndALongOneIsItsBestWindow) {
  TempDir dir;
  BuildOptions options = patientqa::testing::BundledIndexOptions(dir.path() / "index");
  std::string filler;  // long words, so that one passage (at most 150 words) passes 1,024 bytes
  while (filler.size() < 1400) {
    filler += "Multidisciplinary oncologists individually coordinate treatment recommendations. ";
  }
  auto stats = BuildIndex(
      {patientqa::testing::MakeArticle(
           "short", "Short", {"treatment"},
           "## What is FOLFOX?\n\nFOLFOX is a combination of chemotherapy drugs given through a "
           "drip every two weeks & it is \"common\". Each cycle starts with a visit to the "
           "day unit, where a nurse checks your blood count and asks how you have been. The drip "
           "takes a few hours, and a small pump then gives the rest over two days at home. Most "
           "people have up to twelve cycles, with breaks when side effects build up, and scans "
           "every few months show whether the treatment is working.\n"),
       patientqa::testing::MakeArticle(
           "long", "Long", {"treatment"},
           "## What is CAPOX?\n\n" + filler + "CAPOX is capecitabine tablets with oxaliplatin.\n")},
      options);
  ASSERT_TRUE(stats.ok()) << stats.status();
  auto searcher = Searcher::Open(options.out);
  ASSERT_TRUE(searcher.ok()) << searcher.status();
  for (const std::string q : {"FOLFOX drip", "CAPOX oxaliplatin"}) {
    SearchRequest request;
    request.query = q;
    auto r = (*searcher)->Search(request);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_FALSE(r->hits.empty()) << q;
    const Hit& top = r->hits[0];
    EXPECT_NE(top.snippet.find("<mark>"), std::string::npos) << q;
    if (top.article_id == "short") {
      ASSERT_GT(top.text.size(), 400u);  // longer than a 400-byte window
      EXPECT_EQ(SnippetText(top.snippet), top.text);
    } else {
      ASSERT_GT(top.text.size(), 1024u);
      EXPECT_LT(top.snippet.size(), 600u);
      EXPECT_NE(top.snippet.find("<mark>CAPOX</mark>"), std::string::npos) << top.snippet;
      EXPECT_NE(top.snippet.find("…"), std::string::npos);
    }
  }
}

TEST_F(SearcherTest, StopWordsAloneFindNothing) {
  EXPECT_TRUE(Search("what is it and how can I").hits.empty());
  EXPECT_TRUE(Search("").hits.empty());
}

TEST_F(SearcherTest, ContextWordsHelpAFollowUp) {
  SearchResult r = Search("can it be removed", {"my cancer has spread to the liver"});
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].passage_id, "liver#1");
}

TEST_F(SearcherTest, OddQuerySyntaxDoesNotFail) {
  for (const char* q : {"\"unbalanced", "AND OR NOT", "liver*", "((", "-", "tingling -cold"}) {
    SearchRequest request;
    request.query = q;
    EXPECT_TRUE(searcher_->Search(request).ok()) << q;
  }
}

TEST_F(SearcherTest, ConcurrentSearchesAllSucceed) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        SearchRequest request;
        request.query = "liver metastases removed";
        auto r = searcher_->Search(request);
        if (r.ok() && !r->hits.empty() && r->hits[0].passage_id == "liver#1") ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 400);
}

TEST_F(SearcherTest, GetArticleReturnsTheWholeArticle) {
  auto a = searcher_->GetArticle("mdt");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->title, "The multidisciplinary team");
  EXPECT_EQ(a->references, std::vector<std::string>{"Test reference"});
  EXPECT_EQ(searcher_->GetArticle("nope").status().code(), absl::StatusCode::kNotFound);
}

// One article with many passages on the question, and a paragraph published twice.
class DiversityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string shared =
        "A liver resection removes the part of the liver that holds the cancer.\n\n";
    std::string many = "## Liver surgery\n\n" + shared;
    for (const char* extra : {"recovery takes weeks", "the surgeon plans the operation",
                              "scans come first", "a nurse explains the risks"}) {
      many += std::string("Liver surgery for cancer: ") + extra + ".\n\n";
    }
    BuildOptions options = patientqa::testing::BundledIndexOptions(dir_.path() / "index");
    auto stats = BuildIndex(
        {patientqa::testing::MakeArticle("many", "Liver surgery", {"treatment"}, many),
         patientqa::testing::MakeArticle("copy", "Treatments", {"treatment"},
                                         "## Surgery\n\n" + shared),
         patientqa::testing::MakeArticle("other", "Ablation", {"treatment"},
                                         "## Ablation\n\nAblation treats liver cancer with "
                                         "heat instead of surgery.\n")},
        options);
    ASSERT_TRUE(stats.ok()) << stats.status();
    auto searcher = Searcher::Open(options.out);
    ASSERT_TRUE(searcher.ok()) << searcher.status();
    searcher_ = std::move(*searcher);
  }

  std::vector<Hit> Search(int max_per_article, double near_duplicate) {
    SearchRequest request;
    request.query = "liver surgery resection for cancer";
    request.max_results = 5;
    request.max_per_article = max_per_article;
    request.same_article_penalty = 1;
    request.near_duplicate_similarity = near_duplicate;
    auto result = searcher_->Search(request);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->hits : std::vector<Hit>{};
  }

  static int Count(const std::vector<Hit>& hits, const std::string& needle, bool in_article_id) {
    return static_cast<int>(std::count_if(hits.begin(), hits.end(), [&](const Hit& h) {
      return in_article_id ? h.article_id == needle : h.text.find(needle) != std::string::npos;
    }));
  }

  TempDir dir_;
  std::unique_ptr<Searcher> searcher_;
};

TEST_F(DiversityTest, AtMostTwoPassagesOfOneArticleInTheTopFive) {
  EXPECT_GE(Count(Search(0, 0), "many", true), 3);
  const std::vector<Hit> hits = Search(2, 0);
  EXPECT_EQ(Count(hits, "many", true), 2);
  EXPECT_EQ(hits.size(), 4u);  // "many" 2, "copy" 1, "other" 1: nothing else to show
}

TEST_F(DiversityTest, TheSameParagraphTwiceIsShownOnce) {
  EXPECT_EQ(Count(Search(0, 0), "A liver resection removes", false), 2);
  const std::vector<Hit> hits = Search(0, 0.6);
  EXPECT_EQ(Count(hits, "A liver resection removes", false), 1);
  EXPECT_EQ(hits.size(), 5u);
}

TEST(DefinitionTest, APassageThatDefinesTheThingAskedAboutRanksFirst) {
  TempDir dir;
  BuildOptions options = patientqa::testing::BundledIndexOptions(dir.path() / "index");
  options.synonyms = {{{"capecitabine", "xeloda"}, 1}};
  const auto make = patientqa::testing::MakeArticle;
  ASSERT_TRUE(
      BuildIndex(
          {make("uses", "Tablets", {"treatment"},
                "## Xeloda\n\nXeloda side effects are common: Xeloda and Xeloda-based plans can "
                "cause sore hands.\n\n## MDT\n\nMDT meetings are weekly, and the MDT notes go "
                "to the MDT nurse.\n"),
           make("defines", "Drugs", {"treatment"},
                "## Tablets\n\nCapecitabine is a chemotherapy tablet taken at home.\n\n## Team\n\n"
                "An MDT, or multidisciplinary team, is a group of experts who plan care.\n")},
          options)
          .ok());
  auto searcher = Searcher::Open(options.out);
  ASSERT_TRUE(searcher.ok()) << searcher.status();
  for (const auto& [question, subject, definition] :
       {std::tuple{"What is Xeloda?", "xeloda", "Capecitabine is"},
        std::tuple{"What is an MDT?", "mdt", "An MDT, or"}}) {
    SCOPED_TRACE(question);
    SearchRequest request;
    request.query = question;
    request.max_per_article = 0;
    request.same_article_penalty = 1;
    auto plain = (*searcher)->Search(request);
    ASSERT_TRUE(plain.ok());
    ASSERT_FALSE(plain->hits.empty());
    EXPECT_EQ(plain->hits[0].article_id, "uses");  // more mentions win without the bonus
    request.definition_subject = subject;
    request.definition_weight = 3;
    auto r = (*searcher)->Search(request);
    ASSERT_TRUE(r.ok());
    ASSERT_FALSE(r->hits.empty());
    EXPECT_EQ(r->hits[0].text.rfind(definition, 0), 0u) << r->hits[0].text;
  }
}

TEST(QuestionVariantsTest, AQuestionWordedLikeAVariantFindsItsSection) {
  TempDir dir;
  std::vector<corpus::Article> articles = patientqa::testing::SmallCorpus();
  BuildOptions options = patientqa::testing::BundledIndexOptions(dir.path() / "index");
  auto build = [&] {
    auto stats = BuildIndex(articles, options);
    ASSERT_TRUE(stats.ok()) << stats.status();
  };
  SearchRequest request;
  request.query = "why do my fingertips buzz when I hold a drink";
  request.question_weight = 0.5;
  build();
  auto without = Searcher::Open(options.out);
  ASSERT_TRUE(without.ok());
  auto before = (*without)->Search(request);
  ASSERT_TRUE(before.ok());
  const std::string version_before = (*without)->version();
  // The section's question variants use the patient's words; the passage does not.
  articles[2].section_questions = {
      {"Side effects", {"Why do my fingertips buzz when I hold a cold drink?"}}};
  build();
  auto with = Searcher::Open(options.out);
  ASSERT_TRUE(with.ok());
  auto after = (*with)->Search(request);
  ASSERT_TRUE(after.ok());
  ASSERT_FALSE(after->hits.empty());
  EXPECT_EQ(after->hits[0].passage_id, "chemo#1");
  EXPECT_TRUE(before->hits.empty() || before->hits[0].passage_id != "chemo#1");
  // Variants are never shown: the passage text is the article's own.
  EXPECT_EQ(after->hits[0].text.find("fingertips"), std::string::npos);
  EXPECT_NE((*with)->version(), version_before);
}

TEST(SearcherOpenTest, MissingIndexIsAClearError) {
  auto s = Searcher::Open("/nonexistent/patientqa/index");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(std::string(s.status().message()).find("/nonexistent/patientqa/index"),
            std::string::npos);
}

}  // namespace
}  // namespace patientqa::index

namespace patientqa::index {
namespace {

TEST_F(SearcherTest, ConceptTermsLetDifferentWordsForOneIdeaMeet) {
  SearchRequest request;
  request.query = "secondaries";
  request.expand_synonyms = false;  // no synonym table: only the concept can connect them
  EXPECT_TRUE(searcher_->Search(request)->hits.empty());
  request.concepts = {{"metastasis", 1.0}};
  request.concept_weight = 1.0;
  auto r = searcher_->Search(request);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->hits.empty());
  EXPECT_EQ(r->hits[0].passage_id, "liver#1");  // "liver metastases"
}

TEST(SearcherEntailmentTest, ASectionWhoseQuestionVariantMatchesComesFirst) {
  TempDir dir;
  std::vector<corpus::Article> articles = patientqa::testing::SmallCorpus();
  articles[0].section_questions = {
      {"Can liver metastases be removed?", {"Can they cut out the spots on my liver?"}}};
  BuildOptions options = patientqa::testing::BundledIndexOptions(dir.path() / "index");
  ASSERT_TRUE(BuildIndex(articles, options).ok());
  auto searcher = Searcher::Open(options.out);
  ASSERT_TRUE(searcher.ok());
  SearchRequest request;
  request.query = "could they cut out the spots on my liver";
  auto off = (*searcher)->Search(request);
  ASSERT_TRUE(off.ok());
  ASSERT_FALSE(off->hits.empty());
  EXPECT_EQ(off->hits[0].entailment, 0);
  request.entailment_weight = 2;
  auto on = (*searcher)->Search(request);
  ASSERT_TRUE(on.ok());
  ASSERT_FALSE(on->hits.empty());
  EXPECT_EQ(on->hits[0].passage_id, "liver#1");
  EXPECT_GT(on->hits[0].entailment, 0.5);
}

}  // namespace
}  // namespace patientqa::index
