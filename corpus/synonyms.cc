#include "corpus/synonyms.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "corpus/text.h"

namespace patientqa::corpus {

std::vector<SynonymGroup> ParseSynonyms(std::string_view path, std::string_view content,
                                        std::vector<Diagnostic>* errors) {
  std::vector<SynonymGroup> groups;
  const std::string file(path);
  if (auto bad = FindInvalidUtf8(content)) {
    const int line =
        1 + static_cast<int>(std::count(content.begin(), content.begin() + *bad, '\n'));
    errors->push_back({file, line, absl::StrCat("invalid UTF-8 at byte ", *bad)});
    return groups;
  }
  int line_no = 0;
  for (std::string_view raw : SplitLines(content)) {
    const std::string_view line = Trim(raw);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    SynonymGroup group;
    group.line = line_no;
    size_t pos = 0;
    while (pos <= line.size()) {
      size_t comma = line.find(',', pos);
      if (comma == std::string_view::npos) comma = line.size();
      std::string member;
      for (char c : Trim(line.substr(pos, comma - pos))) {
        if (std::isspace(static_cast<unsigned char>(c))) {
          if (!member.empty() && member.back() != ' ') member += ' ';
        } else {
          member += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
      }
      if (member.empty()) {
        errors->push_back({file, line_no, "empty entry in synonym group"});
      } else if (std::find(group.members.begin(), group.members.end(), member) ==
                 group.members.end()) {
        group.members.push_back(std::move(member));
      }
      pos = comma + 1;
    }
    if (group.members.size() < 2) {
      errors->push_back({file, line_no, "a synonym group needs at least two entries"});
      continue;
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

std::vector<SynonymGroup> LoadSynonyms(const std::filesystem::path& path,
                                       std::vector<Diagnostic>* errors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors->push_back({path.string(), 0, "cannot read synonym file"});
    return {};
  }
  std::stringstream content;
  content << in.rdbuf();
  return ParseSynonyms(path.string(), content.str(), errors);
}

}  // namespace patientqa::corpus
