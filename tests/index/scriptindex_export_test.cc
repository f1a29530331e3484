// The scriptindex input (index/scriptindex_export.h): one record per passage, multi-line values
// as continuation lines, and a Xapian index built from it by scriptindex when it is installed.
#include "index/scriptindex_export.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "corpus/splitter.h"
#include "tests/testing/test_util.h"

namespace patientqa::index {
namespace {

corpus::Article TwoParagraphs() {
  corpus::Article a;
  a.id = "liver";
  a.title = "Liver metastases";
  a.publisher = "Example";
  a.url = "https://example.org/liver";
  a.updated = "2026-01-01";
  a.body = "## Can they be removed?\n\nOften they can.\n\nSurgery is one way.\n";
  return a;
}

TEST(ScriptindexExportTest, OneRecordPerPassageWithItsCitation) {
  const corpus::Article a = TwoParagraphs();
  const size_t passages = corpus::SplitIntoPassages(a).size();
  ASSERT_GE(passages, 2u);
  const std::string records = ScriptindexRecords({a});
  EXPECT_NE(records.find("id=liver#0\narticle=liver\ntitle=Liver metastases\n"), std::string::npos)
      << records;
  EXPECT_NE(records.find("heading=Can they be removed?\ntext=Often they can.\n\n"),
            std::string::npos)
      << records;
  size_t blank = 0;
  for (size_t at = 0; (at = records.find("\n\n", at)) != std::string::npos; at += 2) ++blank;
  EXPECT_EQ(blank, passages);
  EXPECT_NE(ScriptindexDefinition().find("id : boolean=Q unique=Q"), std::string::npos);
}

TEST(ScriptindexExportTest, EmptyValuesKeepTheirField) {
  corpus::Article a = TwoParagraphs();
  a.url.clear();
  EXPECT_NE(ScriptindexRecords({a}).find("\nurl=\n"), std::string::npos);
}

TEST(ScriptindexExportTest, ScriptindexBuildsAnIndexOfEveryPassage) {
  const std::string scriptindex = testing::FindProgram("scriptindex");
  if (scriptindex.empty()) {
    GTEST_SKIP() << "scriptindex (Debian xapian-omega) is not installed";
  }
  const testing::TempDir dir;
  testing::WriteFile(dir.path() / "index.def", ScriptindexDefinition());
  testing::WriteFile(dir.path() / "passages.txt", ScriptindexRecords({TwoParagraphs()}));
  const testing::CommandResult r = testing::RunCommand({scriptindex, (dir.path() / "db").string(),
                                                        (dir.path() / "index.def").string(),
                                                        (dir.path() / "passages.txt").string()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // Two passages, both added.
  EXPECT_NE((r.out + r.err).find("records (added, replaced, deleted, skipped) = (2, 0, 0, 0)"),
            std::string::npos)
      << r.out << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "db"));
}

}  // namespace
}  // namespace patientqa::index
