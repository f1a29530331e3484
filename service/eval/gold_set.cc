#include "service/eval/gold_set.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/str_cat.h"

namespace patientqa::service::eval {

std::vector<GoldQuestion> LoadGoldSet(const std::filesystem::path& path,
                                      std::vector<corpus::Diagnostic>* errors) {
  std::vector<GoldQuestion> out;
  std::ifstream in(path);
  if (!in) {
    errors->push_back({path.string(), 0, "cannot read gold set"});
    return out;
  }
  std::set<std::string> ids;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto fail = [&](std::string message) {
      errors->push_back({path.string(), line_no, std::move(message)});
    };
    try {
      const nlohmann::json j = nlohmann::json::parse(line);
      GoldQuestion q;
      q.line = line_no;
      q.id = j.at("id").get<std::string>();
      q.category = j.at("category").get<std::string>();
      q.topic = j.at("topic").get<std::string>();
      q.question = j.at("question").get<std::string>();
      q.history = j.at("history").get<std::vector<std::string>>();
      const std::string expect = j.at("expect").get<std::string>();
      if (expect == "answer") {
        q.expect = Expect::kAnswer;
      } else if (expect == "refuse") {
        q.expect = Expect::kRefuse;
      } else if (expect == "urgent") {
        q.expect = Expect::kUrgent;
      } else {
        fail(absl::StrCat("expect must be answer, refuse or urgent, got '", expect, "'"));
        continue;
      }
      for (const auto& p : j.at("patterns")) {
        q.patterns.emplace_back(p.get<std::string>(), std::regex::ECMAScript | std::regex::icase);
      }
      if (q.expect == Expect::kAnswer && q.patterns.empty()) {
        fail("an answerable question needs at least one pattern");
        continue;
      }
      if (!ids.insert(q.id).second) {
        fail(absl::StrCat("duplicate id '", q.id, "'"));
        continue;
      }
      out.push_back(std::move(q));
    } catch (const nlohmann::json::exception& e) {
      fail(absl::StrCat("bad gold line: ", e.what()));
    } catch (const std::regex_error& e) {
      fail(absl::StrCat("bad pattern: ", e.what()));
    }
  }
  return out;
}

}  // namespace patientqa::service::eval
