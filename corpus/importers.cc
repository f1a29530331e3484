#include "corpus/importers.h"

#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "corpus/files.h"
#include "corpus/text.h"

namespace patientqa::corpus {
namespace {

using nlohmann::json;

constexpr const char* kMetadataFields[] = {"id",       "title",  "publisher",  "url",     "updated",
                                           "language", "topics", "references", "verbatim"};

// Reads a JSON field that may be a string or an array of strings.
bool ReadList(const json& value, std::vector<std::string>* out) {
  if (value.is_string()) {
    out->push_back(value.get<std::string>());
    return true;
  }
  if (!value.is_array()) return false;
  for (const json& v : value) {
    if (!v.is_string()) return false;
    out->push_back(v.get<std::string>());
  }
  return true;
}

// Turns one JSON record into article-file text and validates it with ParseArticle, so that both
// input forms obey exactly the same rules; errors are reported at the JSON line.
std::optional<Article> ArticleFromJson(const std::string& file, int line, const json& record,
                                       std::vector<Diagnostic>* errors) {
  auto fail = [&](std::string message) { errors->push_back({file, line, std::move(message)}); };
  if (!record.is_object()) {
    fail("expected a JSON object");
    return std::nullopt;
  }
  for (const auto& [key, value] : record.items()) {
    const bool known =
        key == "body" || std::find(std::begin(kMetadataFields), std::end(kMetadataFields), key) !=
                             std::end(kMetadataFields);
    if (!known) fail(absl::StrCat("unknown field '", key, "'"));
  }
  std::string text = "---\n";
  for (const char* field : kMetadataFields) {
    if (!record.contains(field)) continue;
    std::vector<std::string> values;
    if (!ReadList(record.at(field), &values)) {
      fail(absl::StrCat("field '", field, "' must be a string or a list of strings"));
      continue;
    }
    if (std::string(field) == "references") {
      absl::StrAppend(&text, "references:\n");
      for (const auto& v : values) absl::StrAppend(&text, "- ", v, "\n");
      continue;
    }
    const std::string joined = absl::StrJoin(values, ", ");
    if (joined.find('\n') != std::string::npos) {
      fail(absl::StrCat("field '", field, "' must be one line"));
      continue;
    }
    absl::StrAppend(&text, field, ": ", joined, "\n");
  }
  absl::StrAppend(&text, "---\n");
  if (record.contains("body")) {
    if (!record.at("body").is_string()) {
      fail("field 'body' must be a string");
    } else {
      absl::StrAppend(&text, record.at("body").get<std::string>());
    }
  }
  std::vector<Diagnostic> inner;
  std::optional<Article> article = ParseArticle(file, text, &inner);
  for (Diagnostic& d : inner) errors->push_back({file, line, std::move(d.message)});
  if (!inner.empty()) return std::nullopt;
  if (article) {
    article->body_line = line;
    article->id_line = line;
    article->front_matter_end_line = line;
  }
  return article;
}

// Calls `fn(line_no, record)` for every non-blank line of `content` that is valid UTF-8 and JSON;
// the others become errors naming `file` and the line.
template <typename Fn>
void ForEachJsonLine(const std::string& file, std::string_view content,
                     std::vector<Diagnostic>* errors, Fn fn) {
  int line_no = 0;
  while (!content.empty()) {
    const size_t end = content.find('\n');
    const std::string_view line = content.substr(0, end);
    content.remove_prefix(end == std::string_view::npos ? content.size() : end + 1);
    ++line_no;
    if (Trim(line).empty()) continue;
    if (auto bad = FindInvalidUtf8(line)) {
      errors->push_back({file, line_no, absl::StrCat("invalid UTF-8 at byte ", *bad)});
      continue;
    }
    json record;
    try {
      record = json::parse(line);
    } catch (const json::exception& e) {
      errors->push_back({file, line_no, absl::StrCat("invalid JSON: ", e.what())});
      continue;
    }
    fn(line_no, record);
  }
}

// A section heading a reader understands, for each MedQuAD question type (the data's own labels,
// such as "susceptibility" or "information", read poorly in a citation). Unknown types are used
// as they are, capitalised.
std::string QtypeHeading(std::string qtype) {
  static const auto* const kHeadings = new std::map<std::string, std::string>{
      {"information", "Overview"},
      {"causes", "Causes"},
      {"exams and tests", "Exams and tests for diagnosis"},
      {"genetic changes", "Genetic changes"},
      {"inheritance", "Inheritance"},
      {"outlook", "Outlook (prognosis)"},
      {"prevention", "Prevention"},
      {"research", "Research and clinical trials"},
      {"stages", "Stages"},
      {"susceptibility", "Risk factors"},
      {"symptoms", "Signs and symptoms"},
      {"treatment", "Treatment"},
  };
  if (auto it = kHeadings->find(qtype); it != kHeadings->end()) return it->second;
  if (!qtype.empty())
    qtype[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(qtype[0])));
  return qtype;
}

std::string QtypeTopic(const std::string& qtype) {
  if (qtype == "treatment" || qtype == "research") return "treatment";
  if (qtype == "stages" || qtype == "exams and tests" || qtype == "symptoms" ||
      qtype == "information") {
    return "diagnosis";
  }
  return "living";
}

// Lower case, with every run of other characters as one '-'.
std::string Slug(const std::string& text) {
  std::string slug;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug;
}

// "pdq-" and the last part of the page's address.
std::string UrlSlug(const std::string& url) {
  std::string path = url;
  while (!path.empty() && path.back() == '/') path.pop_back();
  return "pdq-" + path.substr(path.find_last_of('/') + 1);
}

}  // namespace

LoadResult LoadJsonlArticles(const std::filesystem::path& path) {
  absl::StatusOr<std::string> content = ReadCorpusFile(path, kMaxImportFileBytes);
  if (!content.ok()) {
    LoadResult result;
    result.errors.push_back({path.string(), 0, std::string(content.status().message())});
    return result;
  }
  return ParseJsonlArticles(path.string(), *content);
}

LoadResult ParseJsonlArticles(std::string_view path_label, std::string_view content) {
  const std::string file(path_label);
  LoadResult result;
  ForEachJsonLine(file, content, &result.errors, [&](int line, const json& record) {
    if (auto a = ArticleFromJson(file, line, record, &result.errors)) {
      result.articles.push_back(std::move(*a));
    }
  });
  CheckUniqueIds(result.articles, &result.errors);
  return result;
}

MedquadImport ImportMedquad(const std::filesystem::path& path, const MedquadOptions& options) {
  absl::StatusOr<std::string> content = ReadCorpusFile(path, kMaxImportFileBytes);
  if (!content.ok()) {
    MedquadImport result;
    result.errors.push_back({path.string(), 0, std::string(content.status().message())});
    return result;
  }
  return ParseMedquad(path.string(), *content, options);
}

MedquadImport ParseMedquad(std::string_view path_label, std::string_view content,
                           const MedquadOptions& options) {
  const std::string file(path_label);
  MedquadImport result;
  std::map<std::string, int> ids;
  ForEachJsonLine(file, content, &result.errors, [&](int line, const json& r) {
    MedquadPair pair;
    for (auto [field, target] : std::initializer_list<std::pair<const char*, std::string*>>{
             {"id", &pair.id},
             {"source_url", &pair.source_url},
             {"focus", &pair.focus},
             {"qtype", &pair.qtype},
             {"question", &pair.question},
             {"answer", &pair.answer}}) {
      if (!r.is_object() || !r.contains(field) || !r.at(field).is_string()) {
        result.errors.push_back({file, line, absl::StrCat("missing string field '", field, "'")});
        return;
      }
      *target = r.at(field).get<std::string>();
    }
    if (auto problem = UrlProblem(pair.source_url)) {
      result.errors.push_back({file, line, absl::StrCat("source_url: ", *problem)});
      return;
    }
    if (HasMarkup(pair.focus)) {
      result.errors.push_back({file, line, "field 'focus' must be plain text, not markup"});
      return;
    }
    const std::string heading = QtypeHeading(pair.qtype);
    std::string id = Slug(UrlSlug(pair.source_url) + "-" + pair.qtype);
    if (int n = ++ids[id]; n > 1) id += "-" + std::to_string(n);
    // The answer's own lines are kept; a '#' at the start of one would read as a heading.
    std::string answer = pair.answer;
    for (size_t p = 0; (p = answer.find("\n#", p)) != std::string::npos; p += 2)
      answer[p + 1] = '-';
    if (!answer.empty() && answer[0] == '#') answer[0] = '-';
    Article a;
    a.id = id;
    a.title = absl::StrCat(pair.focus, ": ", heading);
    a.publisher = "National Cancer Institute (PDQ®), via MedQuAD";
    a.url = pair.source_url;
    a.updated = options.updated;
    a.language = "en";
    a.topics = {QtypeTopic(pair.qtype)};
    a.references = {
        "PDQ® cancer information summary (patient version), National Cancer Institute: " +
            pair.source_url,
        "MedQuAD, A. Ben Abacha and D. Demner-Fushman, BMC Bioinformatics 20:511 (2019), CC BY "
        "4.0"};
    a.body = absl::StrCat("## ", heading, "\n\n", answer, "\n");
    a.source_path = file;
    a.body_line = a.id_line = a.front_matter_end_line = line;
    if (options.question_variants) a.section_questions = {{heading, {pair.question}}};
    pair.article_id = a.id;
    result.articles.push_back(std::move(a));
    result.pairs.push_back(std::move(pair));
  });
  return result;
}

}  // namespace patientqa::corpus
