#include "corpus/loader.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "corpus/files.h"
#include "corpus/text.h"
#include "re2/re2.h"

namespace patientqa::corpus {

std::string Diagnostic::ToString() const { return absl::StrCat(file, ":", line, ": ", message); }

const std::vector<TopicInfo>& KnownTopics() {
  static const std::vector<TopicInfo> kTopics = {
      {"spread", "How cancer spreads"}, {"diagnosis", "Tests and scans"},
      {"treatment", "Treatment"},       {"mdt", "The multidisciplinary team (MDT)"},
      {"side-effects", "Side effects"}, {"living", "Living with cancer"},
  };
  return kTopics;
}

bool IsKnownTopic(std::string_view id) {
  const auto& topics = KnownTopics();
  return std::any_of(topics.begin(), topics.end(), [&](const TopicInfo& t) { return t.id == id; });
}

namespace {

constexpr std::string_view kRequiredFields[] = {"id",      "title",    "publisher", "url",
                                                "updated", "language", "topics"};
constexpr std::string_view kOptionalFields[] = {"verbatim", "reviewed", "review_due", "reviewer"};

bool IsValidId(std::string_view s) {
  static const RE2 kId(R"([a-z0-9][a-z0-9._-]*)");
  return RE2::FullMatch(s, kId);
}

bool IsValidLanguage(std::string_view s) {
  static const RE2 kLang(R"([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)");
  return RE2::FullMatch(s, kLang);
}

std::string CleanTitle(std::string_view raw) {
  static const RE2 kStrayAbove(R"(\s+above\s*\.\s*$)");
  std::string title(Trim(raw));
  RE2::Replace(&title, kStrayAbove, "");
  return title;
}

std::string ShowGaps(std::string_view line) {
  static const RE2 kGap(R"(\s*\*\*)");
  std::string out(line);
  RE2::GlobalReplace(&out, kGap, " […]");
  return out;
}

struct Field {
  std::string value;
  int line = 0;
};

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

bool IsValidDate(std::string_view s) {
  static const RE2 kDate(R"((\d{4})-(\d{2})-(\d{2}))");
  int y = 0, mo = 0, d = 0;
  if (!RE2::FullMatch(s, kDate, &y, &mo, &d)) return false;
  if (mo < 1 || mo > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int max_day = kDays[mo - 1] + (mo == 2 && IsLeapYear(y) ? 1 : 0);
  return d <= max_day;
}

bool HasMarkup(std::string_view text) {
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != '<') continue;
    const char next = text[i + 1];
    if (std::isalpha(static_cast<unsigned char>(next)) || next == '/' || next == '!' ||
        next == '?') {
      return true;
    }
  }
  return false;
}

std::optional<std::string> UrlProblem(std::string_view url) {
  auto starts = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != prefix[i]) return false;
    }
    return true;
  };
  const bool web = (starts("https://") && url.size() > 8) || (starts("http://") && url.size() > 7);
  const bool own = url.rfind("/v1/articles/", 0) == 0 && url.size() > 13;
  const bool clean = std::none_of(url.begin(), url.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || u == 0x7F;
  });
  if ((web || own) && clean) return std::nullopt;
  return absl::StrCat("field 'url' must be an http(s) address or /v1/articles/<id>, got '",
                      std::string(url), "'");
}

std::optional<Article> ParseArticle(std::string_view path, std::string_view content,
                                    std::vector<Diagnostic>* errors) {
  const std::string file(path);
  auto fail = [&](int line, std::string message) {
    errors->push_back({file, line, std::move(message)});
  };
  if (auto bad = FindInvalidUtf8(content)) {
    const int line =
        1 + static_cast<int>(std::count(content.begin(), content.begin() + *bad, '\n'));
    fail(line, absl::StrCat("invalid UTF-8 at byte ", *bad));
    return std::nullopt;
  }
  const std::vector<std::string_view> lines = SplitLines(content);
  if (lines.empty() || Trim(lines[0]) != "---") {
    fail(1, "missing front matter: the first line must be '---'");
    return std::nullopt;
  }

  const size_t errors_before = errors->size();
  std::map<std::string, Field, std::less<>> fields;
  std::vector<Field> references;
  size_t close = 0;
  bool in_references = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    const int line_no = static_cast<int>(i) + 1;
    const std::string_view line = Trim(lines[i]);
    if (line == "---") {
      close = i;
      break;
    }
    if (line.empty()) continue;
    if (line.front() == '-') {
      if (!in_references) {
        fail(line_no, "list item outside 'references:'");
        continue;
      }
      const std::string_view item = Trim(line.substr(1));
      if (item.empty()) {
        fail(line_no, "empty reference");
      } else {
        references.push_back({std::string(item), line_no});
      }
      continue;
    }
    in_references = false;
    const absl::StatusOr<Attribute> attribute =
        SplitAttribute(line, /*value_required=*/false, "field: value");
    if (!attribute.ok()) {
      fail(line_no, std::string(attribute.status().message()));
      continue;
    }
    const std::string key(attribute->key);
    const std::string value(attribute->value);
    if (key == "references") {
      in_references = true;
      if (!value.empty()) fail(line_no, "'references:' takes a list of '- source' lines below it");
      continue;
    }
    const bool known = std::find(std::begin(kRequiredFields), std::end(kRequiredFields), key) !=
                           std::end(kRequiredFields) ||
                       std::find(std::begin(kOptionalFields), std::end(kOptionalFields), key) !=
                           std::end(kOptionalFields);
    if (!known) {
      fail(line_no, absl::StrCat("unknown field '", key, "'"));
      continue;
    }
    if (fields.count(key)) {
      fail(line_no, absl::StrCat("duplicate field '", key, "'"));
      continue;
    }
    if (value.empty()) {
      fail(line_no, absl::StrCat("field '", key, "' is empty"));
    }
    fields[key] = {value, line_no};
  }
  if (close == 0) {
    fail(static_cast<int>(lines.size()), "front matter is not closed by a '---' line");
    return std::nullopt;
  }
  const int close_line = static_cast<int>(close) + 1;
  for (std::string_view required : kRequiredFields) {
    if (!fields.count(required)) {
      fail(close_line, absl::StrCat("missing required field '", std::string(required), "'"));
    }
  }
  if (auto it = fields.find("id");
      it != fields.end() && !it->second.value.empty() && !IsValidId(it->second.value)) {
    fail(it->second.line,
         absl::StrCat("id must be lower-case letters, digits, '.', '_' or '-', got '",
                      it->second.value, "'"));
  }
  if (auto it = fields.find("updated");
      it != fields.end() && !it->second.value.empty() && !IsValidDate(it->second.value)) {
    fail(it->second.line,
         absl::StrCat("field 'updated' must be a date YYYY-MM-DD, got '", it->second.value, "'"));
  }
  for (const char* date_field : {"reviewed", "review_due"}) {
    if (auto it = fields.find(date_field);
        it != fields.end() && !it->second.value.empty() && !IsValidDate(it->second.value)) {
      fail(it->second.line,
           absl::StrCat("field '", date_field, "' must be a date YYYY-MM-DD, got '",
                        it->second.value, "'"));
    }
  }
  if (auto it = fields.find("language");
      it != fields.end() && !it->second.value.empty() && !IsValidLanguage(it->second.value)) {
    fail(it->second.line, absl::StrCat("field 'language' must be a language tag like 'en', got '",
                                       it->second.value, "'"));
  }
  if (auto it = fields.find("verbatim");
      it != fields.end() && it->second.value != "true" && it->second.value != "false") {
    fail(it->second.line,
         absl::StrCat("field 'verbatim' must be true or false, got '", it->second.value, "'"));
  }
  if (auto it = fields.find("url"); it != fields.end() && !it->second.value.empty()) {
    if (auto problem = UrlProblem(it->second.value)) fail(it->second.line, *problem);
  }
  for (const char* field : {"title", "publisher"}) {
    if (auto it = fields.find(field); it != fields.end() && HasMarkup(it->second.value)) {
      fail(it->second.line, absl::StrCat("field '", field, "' must be plain text, not markup: '",
                                         it->second.value, "'"));
    }
  }
  std::vector<std::string> topics;
  if (auto it = fields.find("topics"); it != fields.end() && !it->second.value.empty()) {
    for (absl::string_view piece : absl::StrSplit(it->second.value, ',')) {
      const std::string_view topic = Trim(std::string_view(piece.data(), piece.size()));
      if (!IsKnownTopic(topic)) {
        std::vector<std::string> known;
        for (const auto& t : KnownTopics()) known.emplace_back(t.id);
        fail(it->second.line, absl::StrCat("unknown topic '", std::string(topic),
                                           "' (known: ", absl::StrJoin(known, ", "), ")"));
      } else if (std::find(topics.begin(), topics.end(), topic) == topics.end()) {
        topics.emplace_back(topic);
      }
    }
  }

  // Body, with the presentation rules described in the header.
  const std::string raw_title = fields.count("title") ? fields["title"].value : "";
  const std::string title = CleanTitle(raw_title);
  const std::string publisher = fields.count("publisher") ? fields["publisher"].value : "";
  size_t first = close + 1;
  size_t last = lines.size();  // exclusive
  auto skip_blank = [&] {
    while (first < last && Trim(lines[first]).empty()) ++first;
    while (last > first && Trim(lines[last - 1]).empty()) --last;
  };
  skip_blank();
  if (first < last && !raw_title.empty() &&
      (Trim(lines[first]) == raw_title || Trim(lines[first]) == title)) {
    ++first;
    skip_blank();
  }
  if (first < last && !publisher.empty()) {
    const RE2 dateline(RE2::QuoteMeta(publisher) + R"(\s+Updated on \d{4}-\d{2}-\d{2})");
    const std::string line(Trim(lines[first]));
    if (RE2::FullMatch(line, dateline)) {
      ++first;
      skip_blank();
    }
  }
  if (last > first && Trim(lines[last - 1]) == "Related Pages") {
    --last;
    skip_blank();
  }
  if (first >= last) {
    fail(close_line + 1, "empty body");
  }
  if (errors->size() != errors_before) return std::nullopt;

  Article article;
  article.id = fields["id"].value;
  article.title = title;
  article.publisher = publisher;
  article.url = fields["url"].value;
  article.updated = fields["updated"].value;
  article.language = fields["language"].value;
  article.topics = std::move(topics);
  for (auto& ref : references) {
    article.references.push_back(std::move(ref.value));
    article.reference_lines.push_back(ref.line);
  }
  article.verbatim = fields.count("verbatim") && fields["verbatim"].value == "true";
  if (fields.count("reviewed")) article.reviewed = fields["reviewed"].value;
  if (fields.count("review_due")) article.review_due = fields["review_due"].value;
  if (fields.count("reviewer")) article.reviewer = fields["reviewer"].value;
  article.source_path = file;
  article.body_line = static_cast<int>(first) + 1;
  article.id_line = fields["id"].line;
  article.publisher_line = fields["publisher"].line;
  article.front_matter_end_line = close_line;
  std::string body;
  for (size_t i = first; i < last; ++i) {
    absl::StrAppend(&body, ShowGaps(lines[i]), "\n");
  }
  article.body = std::move(body);
  return article;
}

void CheckUniqueIds(const std::vector<Article>& articles, std::vector<Diagnostic>* errors) {
  std::map<std::string_view, const Article*> seen;
  for (const Article& a : articles) {
    auto [it, inserted] = seen.emplace(a.id, &a);
    if (!inserted) {
      errors->push_back(
          {a.source_path, a.id_line,
           absl::StrCat("duplicate id '", a.id, "' (also in ", it->second->source_path, ")")});
    }
  }
}

LoadResult LoadCorpusDir(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  LoadResult result;
  std::error_code ec;
  fs::path articles_dir = fs::is_directory(dir / "articles", ec) ? dir / "articles" : dir;
  if (!fs::is_directory(articles_dir, ec)) {
    result.errors.push_back({dir.string(), 0, "not a directory"});
    return result;
  }
  const size_t errors_before = result.errors.size();
  std::vector<fs::path> files = ListCorpusFiles(articles_dir, ".md", &result.errors, {"README.md"});
  if (files.empty() && result.errors.size() == errors_before) {
    result.errors.push_back({articles_dir.string(), 0, "no article files (*.md) found"});
  }
  for (const fs::path& path : files) {
    absl::StatusOr<std::string> content = ReadCorpusFile(path);
    if (!content.ok()) {
      result.errors.push_back({path.string(), 0, std::string(content.status().message())});
      continue;
    }
    if (auto article = ParseArticle(path.string(), *content, &result.errors)) {
      result.articles.push_back(std::move(*article));
    }
  }
  CheckUniqueIds(result.articles, &result.errors);
  return result;
}

absl::Status DiagnosticsToStatus(const std::vector<Diagnostic>& errors) {
  if (errors.empty()) return absl::OkStatus();
  std::vector<std::string> lines;
  lines.reserve(errors.size());
  for (const auto& e : errors) lines.push_back(e.ToString());
  return absl::InvalidArgumentError(absl::StrJoin(lines, "\n"));
}

}  // namespace patientqa::corpus
