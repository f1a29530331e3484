#include "corpus/splitter.h"

#include <string>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "corpus/text.h"
#include "re2/re2.h"

namespace patientqa::corpus {
namespace {

// "Blood metastasis: After ..." -> "Blood metastasis".
std::string LeadInLabel(const std::string& paragraph) {
  static const RE2 kLabel(R"(^([A-Z][A-Za-z ,'()-]{1,48}):\s)");
  std::string label;
  if (!RE2::PartialMatch(paragraph, kLabel, &label)) return "";
  return CountWords(label) <= 5 ? label : "";
}

// Cuts a long paragraph at sentence boundaries into pieces of similar size.
std::vector<std::string> CutLongParagraph(const std::string& paragraph, int max_words) {
  const int words = static_cast<int>(CountWords(paragraph));
  if (words <= max_words) return {paragraph};
  const std::vector<std::string> sentences = SplitSentences(paragraph);
  const int pieces = (words + max_words - 1) / max_words;
  const int target = (words + pieces - 1) / pieces;
  std::vector<std::string> out;
  std::vector<std::string> current;
  int current_words = 0;
  for (const std::string& sentence : sentences) {
    const int n = static_cast<int>(CountWords(sentence));
    if (!current.empty() && current_words + n / 2 > target) {
      out.push_back(absl::StrJoin(current, " "));
      current.clear();
      current_words = 0;
    }
    current.push_back(sentence);
    current_words += n;
  }
  if (!current.empty()) out.push_back(absl::StrJoin(current, " "));
  return out;
}

}  // namespace

std::vector<Passage> SplitIntoPassages(const Article& article, const SplitOptions& options) {
  std::vector<Passage> passages;
  std::string heading;
  std::vector<std::string> paragraph;
  int paragraph_line = 0;
  auto flush = [&] {
    if (paragraph.empty()) return;
    const std::string text = absl::StrJoin(paragraph, " ");
    const std::string section = heading.empty() ? LeadInLabel(text) : heading;
    for (std::string& piece : CutLongParagraph(text, options.max_words)) {
      Passage p;
      p.section_position = !passages.empty() && passages.back().section == section
                               ? passages.back().section_position + 1
                               : 0;
      p.article_id = article.id;
      p.ordinal = static_cast<int>(passages.size());
      p.section = section;
      p.text = std::move(piece);
      p.source_line = paragraph_line;
      passages.push_back(std::move(p));
    }
    paragraph.clear();
  };
  int line_no = article.body_line;
  for (absl::string_view raw : absl::StrSplit(article.body, '\n')) {
    const std::string_view line = Trim(std::string_view(raw.data(), raw.size()));
    if (line.empty()) {
      flush();
    } else if (line.front() == '#') {
      flush();
      heading = std::string(Trim(line.substr(line.find_first_not_of('#'))));
    } else {
      if (paragraph.empty()) paragraph_line = line_no;
      paragraph.emplace_back(line);
    }
    ++line_no;
  }
  flush();
  return passages;
}

}  // namespace patientqa::corpus
