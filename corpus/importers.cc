#include "corpus/importers.h"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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
    const bool known = key == "body" || std::find(std::begin(kMetadataFields),
                                                  std::end(kMetadataFields),
                                                  key) != std::end(kMetadataFields);
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

template <typename Fn>
bool ForEachJsonLine(const std::filesystem::path& path, std::vector<Diagnostic>* errors, Fn fn) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors->push_back({path.string(), 0, "cannot read file"});
    return false;
  }
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (Trim(line).empty()) continue;
    if (auto bad = FindInvalidUtf8(line)) {
      errors->push_back({path.string(), line_no, absl::StrCat("invalid UTF-8 at byte ", *bad)});
      continue;
    }
    json record;
    try {
      record = json::parse(line);
    } catch (const json::exception& e) {
      errors->push_back({path.string(), line_no, absl::StrCat("invalid JSON: ", e.what())});
      continue;
    }
    fn(line_no, record);
  }
  return true;
}

std::string QtypeHeading(std::string qtype) {
  if (!qtype.empty()) qtype[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(qtype[0])));
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

std::string UrlSlug(const std::string& url) {
  std::string path = url;
  while (!path.empty() && path.back() == '/') path.pop_back();
  std::string slug = path.substr(path.find_last_of('/') + 1);
  for (char& c : slug) {
    c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '-';
  }
  return "pdq-" + slug;
}

}  // namespace

LoadResult LoadJsonlArticles(const std::filesystem::path& path) {
  LoadResult result;
  ForEachJsonLine(path, &result.errors, [&](int line, const json& record) {
    if (auto a = ArticleFromJson(path.string(), line, record, &result.errors)) {
      result.articles.push_back(std::move(*a));
    }
  });
  CheckUniqueIds(result.articles, &result.errors);
  return result;
}

MedquadImport ImportMedquad(const std::filesystem::path& path, const MedquadOptions& options) {
  MedquadImport result;
  struct Page {
    std::string focus;
    std::vector<std::string> qtypes;
    std::string body;
    int first_line = 0;
  };
  std::map<std::string, size_t> page_index;  // source_url -> position in `pages`
  std::vector<std::pair<std::string, Page>> pages;
  ForEachJsonLine(path, &result.errors, [&](int line, const json& r) {
    MedquadPair pair;
    for (auto [field, target] :
         std::initializer_list<std::pair<const char*, std::string*>>{
             {"id", &pair.id},       {"source_url", &pair.source_url}, {"focus", &pair.focus},
             {"qtype", &pair.qtype}, {"question", &pair.question},     {"answer", &pair.answer}}) {
      if (!r.is_object() || !r.contains(field) || !r.at(field).is_string()) {
        result.errors.push_back(
            {path.string(), line, absl::StrCat("missing string field '", field, "'")});
        return;
      }
      *target = r.at(field).get<std::string>();
    }
    auto [it, inserted] = page_index.emplace(pair.source_url, pages.size());
    if (inserted) pages.push_back({pair.source_url, Page{pair.focus, {}, "", line}});
    Page& page = pages[it->second].second;
    page.qtypes.push_back(pair.qtype);
    // The answer's own lines are kept; a '#' at the start of one would read as a heading.
    std::string answer = pair.answer;
    for (size_t p = 0; (p = answer.find("\n#", p)) != std::string::npos; p += 2) answer[p + 1] = '-';
    if (!answer.empty() && answer[0] == '#') answer[0] = '-';
    absl::StrAppend(&page.body, "## ", QtypeHeading(pair.qtype), "\n\n", answer, "\n\n");
    result.pairs.push_back(std::move(pair));
  });
  std::map<std::string, int> slugs;
  std::map<std::string, std::string> article_for_url;
  for (auto& [url, page] : pages) {
    std::string id = UrlSlug(url);
    if (int n = ++slugs[id]; n > 1) id += "-" + std::to_string(n);
    Article a;
    a.id = id;
    a.title = page.focus;
    a.publisher = "National Cancer Institute (PDQ®), via MedQuAD";
    a.url = url;
    a.updated = options.updated;
    a.language = "en";
    for (const auto& q : page.qtypes) {
      const std::string topic = QtypeTopic(q);
      if (std::find(a.topics.begin(), a.topics.end(), topic) == a.topics.end()) {
        a.topics.push_back(topic);
      }
    }
    a.references = {
        "PDQ® cancer information summary (patient version), National Cancer Institute: " + url,
        "MedQuAD, A. Ben Abacha and D. Demner-Fushman, BMC Bioinformatics 20:511 (2019), CC BY 4.0"};
    a.body = std::move(page.body);
    a.source_path = path.string();
    a.body_line = a.id_line = a.front_matter_end_line = page.first_line;
    article_for_url[url] = a.id;
    result.articles.push_back(std::move(a));
  }
  for (MedquadPair& p : result.pairs) p.article_id = article_for_url[p.source_url];
  return result;
}

}  // namespace patientqa::corpus
