// The library review (issue 11) corrected facts in the articles; each correction must be
// retrievable. tests/eval/corrections.jsonl lists, per corrected fact, a patient's question, the
// sentence (in a named article, with its cited page) that states the corrected fact, and other
// wordings of the same fact in other articles ("also"); the question must return a passage that
// states it among the passages Ask returns (five), on the bundled corpus.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/service/bundled_index.h"

namespace patientqa::service {
namespace {

TEST(CorrectionsTest, EveryCorrectedFactIsFoundByAPatientsQuestion) {
  const auto root = patientqa::testing::SourceDir();
  const auto* lib = testing::Bundled();
  ASSERT_NE(lib, nullptr);
  const corpus::LoadedCorpus& loaded = lib->loaded;
  const AskHandler& handler = *lib->handler;

  std::istringstream lines(
      patientqa::testing::ReadFile(root / "tests" / "eval" / "corrections.jsonl"));
  std::string line;
  int checked = 0;
  std::set<int> items;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    const nlohmann::json c = nlohmann::json::parse(line);
    const std::string id = c.at("id").get<std::string>();
    const std::string question = c.at("question").get<std::string>();
    const std::string article = c.at("article_id").get<std::string>();
    const std::string sentence = c.at("sentence").get<std::string>();
    SCOPED_TRACE(id + ": " + question);
    ++checked;
    items.insert(c.at("item").get<int>());
    // The sentence is in the article (the data and the corpus agree).
    const auto a = std::find_if(loaded.articles.begin(), loaded.articles.end(),
                                [&](const corpus::Article& x) { return x.id == article; });
    ASSERT_NE(a, loaded.articles.end()) << "no article " << article;
    EXPECT_NE(a->body.find(sentence), std::string::npos)
        << "not in " << article << ": " << sentence;
    auto r = handler.Ask({.question = question});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r->answered);
    std::vector<std::string> statements = {sentence};
    for (const auto& s : c.value("also", nlohmann::json::array())) {
      statements.push_back(s.get<std::string>());
    }
    bool found = false;
    for (const index::Hit& h : r->passages) {
      for (const std::string& s : statements) {
        found = found || h.text.find(s) != std::string::npos;
      }
    }
    std::string got;
    for (const index::Hit& h : r->passages) got += "\n  " + h.passage_id;
    EXPECT_TRUE(found) << "expected " << article << " with: " << sentence << "\ngot:" << got;
  }
  EXPECT_GE(checked, 40);
  EXPECT_EQ(items.size(), 16u);  // every item of the review
}

}  // namespace
}  // namespace patientqa::service
