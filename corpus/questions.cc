#include "corpus/questions.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "corpus/files.h"
#include "corpus/splitter.h"
#include "corpus/text.h"

namespace patientqa::corpus {

namespace {
constexpr size_t kMaxQuestionChars = 300;
}

std::vector<SectionQuestions> ParseQuestions(std::string_view path, std::string_view content,
                                             const Article& article,
                                             std::vector<Diagnostic>* errors) {
  std::set<std::string> sections;
  for (const Passage& p : SplitIntoPassages(article)) {
    if (!p.section.empty()) sections.insert(p.section);
  }
  std::vector<SectionQuestions> out;
  std::map<std::string, int> seen_sections;
  std::set<std::string> seen_questions;  // under the current heading
  auto fail = [&](int line, std::string message) {
    errors->push_back({std::string(path), line, std::move(message)});
  };
  if (auto bad = FindInvalidUtf8(content)) {
    fail(1, absl::StrCat("invalid UTF-8 at byte ", *bad));
    return out;
  }
  int line_no = 0;
  bool in_section = false;  // under a valid heading
  bool under_heading = false;
  for (std::string_view raw : SplitLines(content)) {
    ++line_no;
    const std::string_view line = Trim(raw);
    if (line.empty()) continue;
    if (line.rfind("## ", 0) == 0) {
      const std::string heading(Trim(line.substr(3)));
      under_heading = true;
      in_section = false;
      seen_questions.clear();
      if (!sections.count(heading)) {
        fail(line_no, absl::StrCat("'", heading, "' is not a section of ", article.source_path));
        continue;
      }
      if (auto [it, fresh] = seen_sections.emplace(heading, line_no); !fresh) {
        fail(line_no,
             absl::StrCat("section '", heading, "' is already listed on line ", it->second));
        continue;
      }
      out.push_back({heading, {}});
      in_section = true;
      continue;
    }
    if (line.front() == '#') continue;  // a comment or the file's title
    if (line.rfind("- ", 0) != 0 && line != "-") {
      fail(line_no, "expected '## <section heading>' or '- <question>'");
      continue;
    }
    const std::string question(Trim(line.substr(1)));
    if (!under_heading) {
      fail(line_no, "a question must come under a '## <section heading>' line");
      continue;
    }
    if (question.empty()) {
      fail(line_no, "empty question");
      continue;
    }
    if (CountCodePoints(question) > kMaxQuestionChars) {
      fail(line_no, absl::StrCat("a question may have at most ", kMaxQuestionChars, " characters"));
      continue;
    }
    if (!seen_questions.insert(question).second) {
      fail(line_no, "question listed twice under this section");
      continue;
    }
    if (in_section) out.back().questions.push_back(question);
  }
  return out;
}

void AttachQuestions(const std::filesystem::path& dir, std::vector<Article>* articles,
                     std::vector<Diagnostic>* errors) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return;
  for (const auto& file : ListCorpusFiles(dir, ".md", errors)) {
    const std::string id = file.stem().string();
    auto it = std::find_if(articles->begin(), articles->end(),
                           [&](const Article& a) { return a.id == id; });
    if (it == articles->end()) {
      errors->push_back({file.string(), 1, absl::StrCat("no article has the id '", id, "'")});
      continue;
    }
    absl::StatusOr<std::string> content = ReadCorpusFile(file);
    if (!content.ok()) {
      errors->push_back({file.string(), 0, std::string(content.status().message())});
      continue;
    }
    it->section_questions = ParseQuestions(file.string(), *content, *it, errors);
  }
}

}  // namespace patientqa::corpus
