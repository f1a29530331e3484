#include "corpus/questions.h"

#include <gtest/gtest.h>

#include "corpus/loader.h"
#include "tests/testing/test_util.h"

namespace patientqa::corpus {
namespace {

Article TwoSections() {
  std::vector<Diagnostic> errors;
  auto a = ParseArticle("liver.md",
                        "---\nid: liver\ntitle: Liver\npublisher: P\nurl: https://example.org/l\n"
                        "updated: 2024-01-01\nlanguage: en\ntopics: spread\n---\n"
                        "## Why does it spread to the liver?\n\nBlood from the bowel goes to the "
                        "liver first.\n\n## Can it be removed?\n\nSometimes a surgeon can.\n",
                        &errors);
  EXPECT_TRUE(a.has_value());
  return *a;
}

TEST(QuestionsTest, ParsesQuestionsPerSection) {
  std::vector<Diagnostic> errors;
  const auto q = ParseQuestions("q/liver.md",
                                "# Questions answered by liver.md\n"
                                "## Why does it spread to the liver?\n"
                                "- Why is the liver the first place it goes?\n"
                                "- What is the portal vein?\n\n"
                                "## Can it be removed?\n"
                                "- Can they operate on liver spots?\n",
                                TwoSections(), &errors);
  EXPECT_TRUE(errors.empty()) << errors[0].ToString();
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].section, "Why does it spread to the liver?");
  EXPECT_EQ(q[0].questions, (std::vector<std::string>{"Why is the liver the first place it goes?",
                                                      "What is the portal vein?"}));
  EXPECT_EQ(q[1].questions.size(), 1u);
}

TEST(QuestionsTest, ReportsEachProblemWithItsLine) {
  std::vector<Diagnostic> errors;
  ParseQuestions("q/liver.md",
                 "- Before any heading?\n"
                 "## Not a heading of the article\n"
                 "- Under a bad heading\n"
                 "## Can it be removed?\n"
                 "- Same question\n"
                 "- Same question\n"
                 "-\n"
                 "just text\n"
                 "## Can it be removed?\n"
                 "- " +
                     std::string(301, 'a') + "\n",
                 TwoSections(), &errors);
  std::vector<std::string> got;
  for (const auto& e : errors) got.push_back(e.ToString());
  const std::vector<std::string> expected = {
      "q/liver.md:1: a question must come under a '## <section heading>' line",
      "q/liver.md:2: 'Not a heading of the article' is not a section of liver.md",
      "q/liver.md:6: question listed twice under this section",
      "q/liver.md:7: empty question",
      "q/liver.md:8: expected '## <section heading>' or '- <question>'",
      "q/liver.md:9: section 'Can it be removed?' is already listed on line 4",
      "q/liver.md:10: a question may have at most 300 characters",
  };
  EXPECT_EQ(got, expected);
}

TEST(QuestionsTest, AttachesFilesByArticleIdAndRefusesStrayFiles) {
  patientqa::testing::TempDir dir;
  patientqa::testing::WriteFile(dir.path() / "liver.md",
                                "## Can it be removed?\n- Can they operate?\n");
  patientqa::testing::WriteFile(dir.path() / "lungs.md", "## Anything\n- A question?\n");
  std::vector<Article> articles = {TwoSections()};
  std::vector<Diagnostic> errors;
  AttachQuestions(dir.path(), &articles, &errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].ToString().find("lungs.md:1: no article has the id 'lungs'"),
            std::string::npos);
  ASSERT_EQ(articles[0].section_questions.size(), 1u);
  EXPECT_EQ(articles[0].section_questions[0].questions[0], "Can they operate?");
  // No questions folder is fine.
  errors.clear();
  AttachQuestions(dir.path() / "absent", &articles, &errors);
  EXPECT_TRUE(errors.empty());
}

TEST(QuestionsTest, EveryBundledArticleHasQuestionsForItsSections) {
  const auto root = patientqa::testing::SourceDir() / "corpus";
  LoadResult loaded = LoadCorpusDir(root);
  ASSERT_TRUE(loaded.errors.empty());
  std::vector<Diagnostic> errors;
  AttachQuestions(root / "questions", &loaded.articles, &errors);
  for (const auto& e : errors) ADD_FAILURE() << e.ToString();
  size_t questions = 0;
  for (const Article& a : loaded.articles) {
    EXPECT_FALSE(a.section_questions.empty()) << a.id;
    for (const auto& s : a.section_questions) questions += s.questions.size();
  }
  EXPECT_GE(questions, 1000u);
}

}  // namespace
}  // namespace patientqa::corpus
