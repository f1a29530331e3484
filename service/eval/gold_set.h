#pragma once

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "corpus/article.h"

namespace patientqa::service::eval {

enum class Expect { kAnswer, kRefuse, kUrgent };

// One question of the gold set (tests/eval/gold.jsonl).
struct GoldQuestion {
  std::string id;
  std::string category;  // plain, misspelled, lay, rambling, followup, offtopic, emergency
  std::string topic;     // a corpus topic, or "none"
  std::string question;
  std::vector<std::string> history;
  Expect expect = Expect::kAnswer;
  std::vector<std::regex> patterns;  // a passage matching any of them answers the question
  int line = 0;
};

// Loads a gold set: one JSON object per line with id, category, topic, question, history,
// expect ("answer", "refuse" or "urgent") and patterns (regular expressions, matched
// case-insensitively against one passage). Problems are appended to `errors` as file:line.
std::vector<GoldQuestion> LoadGoldSet(const std::filesystem::path& path,
                                      std::vector<corpus::Diagnostic>* errors);

}  // namespace patientqa::service::eval
