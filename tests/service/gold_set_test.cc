#include "service/eval/gold_set.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/testing/test_util.h"

namespace patientqa::service::eval {
namespace {

TEST(GoldSetTest, BundledGoldSetLoadsAndCoversEveryCategory) {
  std::vector<corpus::Diagnostic> errors;
  const auto gold =
      LoadGoldSet(patientqa::testing::SourceDir() / "tests" / "eval" / "gold.jsonl", &errors);
  for (const auto& e : errors) ADD_FAILURE() << e.ToString();
  EXPECT_GE(gold.size(), 200u);
  std::map<std::string, int> categories;
  for (const auto& q : gold) ++categories[q.category];
  for (const char* c :
       {"plain", "misspelled", "lay", "rambling", "followup", "offtopic", "emergency"}) {
    EXPECT_GE(categories[c], 20) << c;
  }
}

TEST(GoldSetTest, ReportsBadLines) {
  patientqa::testing::TempDir dir;
  patientqa::testing::WriteFile(
      dir.path() / "g.jsonl",
      R"({"id":"a","category":"plain","topic":"spread","question":"q","history":[],"expect":"answer","patterns":["(unclosed"]})"
      "\n"
      R"({"id":"b","category":"plain","topic":"spread","question":"q","history":[],"expect":"maybe","patterns":[]})"
      "\n"
      R"({"id":"c","category":"plain","topic":"spread","question":"q","history":[],"expect":"answer","patterns":[]})"
      "\n");
  std::vector<corpus::Diagnostic> errors;
  LoadGoldSet(dir.path() / "g.jsonl", &errors);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].line, 1);
  EXPECT_NE(errors[0].message.find("bad pattern"), std::string::npos);
  EXPECT_NE(errors[1].message.find("expect must be answer, refuse or urgent"), std::string::npos);
  EXPECT_NE(errors[2].message.find("needs at least one pattern"), std::string::npos);
}

}  // namespace
}  // namespace patientqa::service::eval
