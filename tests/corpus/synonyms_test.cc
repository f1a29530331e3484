#include "corpus/synonyms.h"

#include <gtest/gtest.h>

#include "tests/testing/test_util.h"

namespace patientqa::corpus {
namespace {

TEST(SynonymsTest, ParsesGroupsLowerCasedAndSkipsComments) {
  std::vector<Diagnostic> errors;
  auto groups =
      ParseSynonyms("s.txt", "# comment\n\nSpread, Metastasis ,  secondary   tumours\n", &errors);
  ASSERT_TRUE(errors.empty());
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].members,
            (std::vector<std::string>{"spread", "metastasis", "secondary tumours"}));
  EXPECT_EQ(groups[0].line, 3);
}

TEST(SynonymsTest, ReportsBadLines) {
  std::vector<Diagnostic> errors;
  ParseSynonyms("s.txt", "alone\nok, fine\na,,b\n", &errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].ToString(), "s.txt:1: a synonym group needs at least two entries");
  EXPECT_EQ(errors[1].ToString(), "s.txt:3: empty entry in synonym group");
}

TEST(SynonymsTest, BundledTableLoads) {
  std::vector<Diagnostic> errors;
  auto groups = LoadSynonyms(patientqa::testing::SourceDir() / "corpus" / "synonyms.txt", &errors);
  for (const auto& e : errors) ADD_FAILURE() << e.ToString();
  EXPECT_GT(groups.size(), 50u);
}

}  // namespace
}  // namespace patientqa::corpus
