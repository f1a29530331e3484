// The bundled corpus indexed together with the 729 MedQuAD PDQ answers (about 450k words): the
// project's own articles and the PDQ colon and rectal pages still answer colorectal questions.
#include <gtest/gtest.h>

#include "corpus/sources.h"
#include "index/index_builder.h"
#include "service/ask_handler.h"
#include "service/index_holder.h"
#include "tests/testing/test_util.h"

namespace patientqa::service {
using index::BuildIndex;
using index::BuildOptions;
using index::Hit;
namespace {

bool IsColorectalPdq(const Hit& h) {
  return h.url.find("/colon-") != std::string::npos ||
         h.url.find("/rectal-") != std::string::npos ||
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
  options.clinical = loaded.clinical;
  auto stats = BuildIndex(loaded.articles, options);
  ASSERT_TRUE(stats.ok()) << stats.status();
  const size_t own =
      corpus::LoadCorpusDir(patientqa::testing::SourceDir() / "corpus").articles.size();
  EXPECT_EQ(stats->articles, own + 729);
  EXPECT_GT(stats->words, 400000u);
  auto holder = IndexHolder::Open(options.out);
  ASSERT_TRUE(holder.ok());
  const AskHandler handler(holder->get());

  for (const char* question :
       {"what are the treatments for colon cancer", "how is rectal cancer treated",
        "chemotherapy for colon cancer", "treatment of colon cancer that has spread to the liver",
        "which surgery is used for rectal cancer"}) {
    SCOPED_TRACE(question);
    auto r = handler.Ask({.question = question});
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(r->answered);
    ASSERT_EQ(r->passages.size(), 5u);
    int own = 0, pdq_colorectal = 0;
    for (size_t i = 0; i < r->passages.size(); ++i) {
      const Hit& h = r->passages[i];
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
}  // namespace patientqa::service
