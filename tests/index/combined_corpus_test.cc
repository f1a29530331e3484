// The bundled corpus indexed together with the 729 MedQuAD PDQ answers (about 450k words): the
// project's own articles and the PDQ colon and rectal pages still answer colorectal questions.
#include <gtest/gtest.h>

#include "corpus/sources.h"
#include "index/index_builder.h"
#include "index/searcher.h"
#include "tests/testing/test_util.h"

namespace patientqa::index {
namespace {

bool IsColorectalPdq(const Hit& h) {
  return h.url.find("/colon-") != std::string::npos || h.url.find("/rectal-") != std::string::npos ||
         h.url.find("/colorectal-") != std::string::npos;
}

bool IsOwnArticle(const Hit& h) { return h.url.rfind("/v1/articles/", 0) == 0; }

TEST(CombinedCorpusTest, ColorectalQuestionsReturnOwnArticlesAndPdqColorectalPages) {
  const auto medquad = patientqa::testing::SharedDir() / "corpus-medquad" / "cancergov_qa.jsonl";
  if (!std::filesystem::exists(medquad)) GTEST_SKIP() << "../shared/corpus-medquad is absent";
  corpus::CorpusSources sources;
  sources.corpus_dir = (patientqa::testing::SourceDir() / "corpus").string();
  sources.medquad = medquad.string();
  corpus::LoadedCorpus loaded = corpus::LoadSources(sources);
  ASSERT_TRUE(loaded.errors.empty()) << loaded.errors[0].ToString();
  patientqa::testing::TempDir dir;
  BuildOptions options;
  options.out = dir.path() / "index";
  options.synonyms = loaded.synonyms;
  auto stats = BuildIndex(loaded.articles, options);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->articles, 143);
  EXPECT_GT(stats->words, 400000u);
  auto searcher = Searcher::Open(options.out);
  ASSERT_TRUE(searcher.ok());

  for (const char* question :
       {"what are the treatments for colon cancer", "how is rectal cancer treated",
        "chemotherapy for colon cancer", "treatment of colon cancer that has spread to the liver",
        "which surgery is used for rectal cancer"}) {
    SCOPED_TRACE(question);
    SearchRequest request;
    request.query = question;
    request.max_results = 5;
    auto r = (*searcher)->Search(request);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->hits.size(), 5u);
    int own = 0, pdq_colorectal = 0;
    for (size_t i = 0; i < r->hits.size(); ++i) {
      const Hit& h = r->hits[i];
      own += IsOwnArticle(h);
      pdq_colorectal += IsColorectalPdq(h);
      if (i < 3) {
        EXPECT_TRUE(IsOwnArticle(h) || IsColorectalPdq(h)) << i << ": " << h.url;
      }
    }
    EXPECT_GE(own, 1);
    EXPECT_GE(pdq_colorectal, 1);
  }
}

}  // namespace
}  // namespace patientqa::index
