#include "corpus/lint.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "corpus/readability.h"
#include "corpus/splitter.h"
#include "corpus/text.h"
#include "re2/re2.h"

namespace patientqa::corpus {
namespace {

std::vector<std::string> Headings(const Article& a) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < a.body.size()) {
    size_t end = a.body.find('\n', start);
    if (end == std::string::npos) end = a.body.size();
    if (a.body[start] == '#') {
      std::string h = a.body.substr(start, end - start);
      out.emplace_back(Trim(h.substr(h.find_first_not_of('#'))));
    }
    start = end + 1;
  }
  return out;
}

RE2::Options CaseInsensitive() {
  RE2::Options o;
  o.set_case_sensitive(false);
  o.set_log_errors(false);
  return o;
}

// The web address a reference ends with, or "" ("Publisher, Page title, https://...").
std::string ReferenceUrl(std::string_view reference) {
  static const RE2 url(R"((https?://[^\s]+)\s*$)");
  std::string out;
  RE2::PartialMatch(reference, url, &out);
  return out;
}

// Whether `url` is a site's home page rather than a page ("https://www.nhs.uk/").
bool IsHomePage(std::string_view url) {
  const size_t scheme = url.find("://");
  const size_t slash = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
  if (slash == std::string_view::npos) return true;
  std::string_view path = url.substr(slash);
  path = path.substr(0, path.find_first_of("?#"));
  return path == "/" || path == "/index.html" || path == "/index.htm" || path == "/en" ||
         path == "/en/";
}

// Checks one publisher name against the table: nullopt when it is a listed name.
std::optional<std::string> PublisherProblem(const std::vector<PublisherRule>& table,
                                            std::string_view name) {
  for (const PublisherRule& rule : table) {
    if (rule.name == name) return std::nullopt;
    for (const std::string& v : rule.variants) {
      if (v == name) {
        return absl::StrCat("publisher '", std::string(name), "' is spelt '", rule.name,
                            "' in this library (one spelling per publisher)");
      }
    }
  }
  return absl::StrCat("unknown publisher '", std::string(name),
                      "': add it to the publishers table (corpus/publishers.txt)");
}

void CheckGovernance(const Article& a, const LintOptions& options, LintReport* report) {
  const int line = a.front_matter_end_line;
  for (auto [field, value, meaning] :
       {std::tuple{"reviewed", &a.reviewed, "the date of the last clinical review, YYYY-MM-DD"},
        std::tuple{"review_due", &a.review_due, "when the next review is due, YYYY-MM-DD"},
        std::tuple{"reviewer", &a.reviewer,
                   "who reviewed it: a role, or 'pending clinical review'"}}) {
    if (value->empty()) {
      report->errors.push_back(
          {a.source_path, line,
           absl::StrCat("missing governance field '", field, "' (", meaning, ")")});
    }
  }
  if (!a.reviewed.empty() && !a.review_due.empty() && a.review_due <= a.reviewed) {
    report->errors.push_back(
        {a.source_path, line,
         absl::StrCat("review_due ", a.review_due, " must come after reviewed ", a.reviewed)});
  }
  if (!options.today.empty() && !a.review_due.empty() && a.review_due < options.today) {
    report->warnings.push_back({a.source_path, line,
                                absl::StrCat("review was due on ", a.review_due,
                                             ": review the article and update "
                                             "reviewed and review_due")});
  }
}

// Every section should list the questions it answers (corpus/questions/<id>.md), 3 to 8 of them:
// the search matches patients' wording against them.
void CheckQuestionVariants(const Article& a, const std::vector<Passage>& passages,
                           LintReport* report) {
  std::set<std::string> reported;
  for (const Passage& p : passages) {
    if (p.section.empty() || !reported.insert(p.section).second) continue;
    size_t count = 0;
    for (const SectionQuestions& sq : a.section_questions) {
      if (sq.section == p.section) count = sq.questions.size();
    }
    if (count == 0) {
      report->warnings.push_back(
          {a.source_path, p.source_line,
           absl::StrCat("section '", p.section, "' has no question variants (corpus/questions/",
                        a.id, ".md)")});
    } else if (count < 3 || count > 8) {
      report->warnings.push_back({a.source_path, p.source_line,
                                  absl::StrCat("section '", p.section, "' has ", count,
                                               " question variants; write 3 to 8")});
    }
  }
}

void CheckReferences(const Article& a, const LintOptions& options, LintReport* report) {
  if (options.require_references && a.references.empty()) {
    report->errors.push_back({a.source_path, a.front_matter_end_line,
                              "no references: list the public sources the facts come from"});
  }
  if (!options.publishers.empty()) {
    if (auto problem = PublisherProblem(options.publishers, a.publisher)) {
      report->errors.push_back({a.source_path, a.publisher_line, *problem});
    }
  }
  if (a.verbatim) return;  // quoted word for word: its sources are what they are
  for (size_t i = 0; i < a.references.size(); ++i) {
    const std::string& ref = a.references[i];
    const int line = i < a.reference_lines.size() ? a.reference_lines[i] : a.front_matter_end_line;
    const std::string url = ReferenceUrl(ref);
    if (url.empty()) {
      report->errors.push_back(
          {a.source_path, line,
           "a reference must be 'Publisher, Page title, https://address-of-the-page'"});
    } else if (IsHomePage(url)) {
      report->errors.push_back({a.source_path, line,
                                absl::StrCat("reference cites a site's home page (", url,
                                             "): cite the page that supports the claim")});
    }
    if (!options.publishers.empty()) {
      const std::string publisher(Trim(std::string_view(ref).substr(0, ref.find(','))));
      if (auto problem = PublisherProblem(options.publishers, publisher)) {
        report->errors.push_back({a.source_path, line, *problem});
      }
    }
  }
}

}  // namespace

std::vector<PublisherRule> ParsePublishers(std::string_view path, std::string_view content,
                                           std::vector<Diagnostic>* errors) {
  std::vector<PublisherRule> rules;
  std::map<std::string, int> seen;  // every name and variant, with its line
  int line_no = 0;
  for (std::string_view raw : SplitLines(content)) {
    const std::string_view line = Trim(raw);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    const size_t bar = line.find('|');
    PublisherRule rule;
    rule.name = std::string(Trim(line.substr(0, bar)));
    if (bar != std::string_view::npos) rule.variants = CommaList(line.substr(bar + 1));
    rule.file = std::string(path);
    rule.line = line_no;
    if (rule.name.empty()) {
      errors->push_back({std::string(path), line_no, "expected 'Name | other spellings'"});
      continue;
    }
    bool duplicate = false;
    std::vector<std::string> all = rule.variants;
    all.insert(all.begin(), rule.name);
    for (const std::string& n : all) {
      auto [it, fresh] = seen.emplace(n, line_no);
      if (!fresh) {
        errors->push_back({std::string(path), line_no,
                           absl::StrCat("'", n, "' is already listed on line ", it->second)});
        duplicate = true;
      }
    }
    if (!duplicate) rules.push_back(std::move(rule));
  }
  return rules;
}

std::vector<CoverageRule> ParseCoverage(std::string_view path, std::string_view content,
                                        std::vector<Diagnostic>* errors) {
  std::vector<CoverageRule> rules;
  int line_no = 0;
  for (std::string_view raw : SplitLines(content)) {
    const std::string_view line = Trim(raw);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string> parts;
    size_t pos = 0;
    for (int i = 0; i < 2; ++i) {
      const size_t bar = line.find('|', pos);
      if (bar == std::string_view::npos) break;
      parts.emplace_back(Trim(line.substr(pos, bar - pos)));
      pos = bar + 1;
    }
    parts.emplace_back(Trim(line.substr(pos)));
    if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty()) {
      errors->push_back({std::string(path), line_no, "expected 'group | subtopic | regex'"});
      continue;
    }
    if (const RE2 check(parts[2], CaseInsensitive()); !check.ok()) {
      errors->push_back(
          {std::string(path), line_no, absl::StrCat("bad regular expression: ", check.error())});
      continue;
    }
    rules.push_back({parts[0], parts[1], parts[2], std::string(path), line_no});
  }
  return rules;
}

LintReport Lint(const std::vector<Article>& articles, const LintOptions& options) {
  LintReport report;
  struct PassageRef {
    const Article* article;
    Passage passage;
    std::vector<size_t> shingles;
  };
  std::vector<PassageRef> all;
  std::vector<std::vector<std::string>> passage_texts(articles.size());
  for (size_t ai = 0; ai < articles.size(); ++ai) {
    const Article& a = articles[ai];
    const std::vector<Passage> passages = SplitIntoPassages(a);
    const Readability r = MeasureBodyReadability(a.body);
    report.articles.push_back({a.id, a.source_path, r.words, static_cast<int>(passages.size()),
                               r.grade, static_cast<int>(a.references.size()), a.reviewed,
                               a.review_due});
    CheckReferences(a, options, &report);
    CheckGovernance(a, options, &report);
    if (r.grade > options.max_grade) {
      (a.verbatim ? report.warnings : report.errors)
          .push_back(
              {a.source_path, a.body_line,
               absl::StrFormat("readability grade %.1f is above the limit %.1f%s", r.grade,
                               options.max_grade,
                               a.verbatim ? " (kept: the article is quoted word for word)" : "")});
    }
    if (r.words < options.min_words || r.words > options.max_words) {
      report.warnings.push_back({a.source_path, a.body_line,
                                 absl::StrCat("article has ", r.words, " words; aim for ",
                                              options.min_words, "..", options.max_words)});
    }
    for (const Passage& p : passages) {
      passage_texts[ai].push_back(p.text);
      all.push_back({&a, p, WordShingles(p.text)});
    }
    CheckQuestionVariants(a, passages, &report);
  }

  // Near-duplicate passages: shared 5-word shingles, through an inverted index.
  std::unordered_map<size_t, std::vector<size_t>> postings;
  for (size_t i = 0; i < all.size(); ++i) {
    std::map<size_t, int> shared;
    for (size_t s : all[i].shingles) {
      auto& list = postings[s];
      for (size_t j : list) ++shared[j];
      list.push_back(i);
    }
    for (const auto& [j, n] : shared) {
      const double jaccard =
          static_cast<double>(n) /
          static_cast<double>(all[i].shingles.size() + all[j].shingles.size() - n);
      if (jaccard >= options.near_duplicate) {
        report.errors.push_back(
            {all[i].article->source_path, all[i].passage.source_line,
             absl::StrFormat("passage %s %s:%d (similarity %.2f)",
                             jaccard >= 0.999 ? "duplicates" : "nearly duplicates",
                             all[j].article->source_path, all[j].passage.source_line, jaccard)});
      }
    }
  }

  for (const CoverageRule& rule : options.coverage) {
    const RE2 re(rule.pattern, CaseInsensitive());
    CoverageRow row{&rule, {}};
    for (size_t ai = 0; ai < articles.size(); ++ai) {
      const Article& a = articles[ai];
      bool covers = RE2::PartialMatch(a.title, re);
      for (const std::string& h : Headings(a)) covers = covers || RE2::PartialMatch(h, re);
      if (!covers) {
        const auto n =
            std::count_if(passage_texts[ai].begin(), passage_texts[ai].end(),
                          [&](const std::string& t) { return RE2::PartialMatch(t, re); });
        covers = n >= 2;
      }
      if (covers) row.article_ids.push_back(a.id);
    }
    if (row.article_ids.empty()) {
      report.errors.push_back(
          {rule.file, rule.line,
           absl::StrCat("no article covers '", rule.group, ": ", rule.subtopic, "'")});
    }
    report.coverage.push_back(std::move(row));
  }
  for (const PinnedAnswer& pin : options.pinned) CheckPinnedPassages(pin, articles, &report.errors);
  return report;
}

std::string FormatLintReport(const LintReport& report, const LintOptions& options) {
  std::string out = absl::StrFormat("%-48s %6s %6s %9s %5s %-10s %-10s\n", "article", "words",
                                    "grade", "passages", "refs", "reviewed", "review due");
  int words = 0, passages = 0;
  for (const ArticleStats& a : report.articles) {
    const bool overdue =
        !options.today.empty() && !a.review_due.empty() && a.review_due < options.today;
    absl::StrAppend(
        &out, absl::StrFormat("%-48s %6d %6.1f %9d %5d %-10s %-10s%s%s\n", a.id, a.words, a.grade,
                              a.passages, a.references, a.reviewed.empty() ? "-" : a.reviewed,
                              a.review_due.empty() ? "-" : a.review_due,
                              a.grade > options.max_grade ? "  (grade over limit)" : "",
                              overdue ? "  (review overdue)" : ""));
    words += a.words;
    passages += a.passages;
  }
  if (!report.coverage.empty()) {
    absl::StrAppend(&out, "\ncoverage\n");
    for (const CoverageRow& row : report.coverage) {
      absl::StrAppend(
          &out, absl::StrFormat(
                    "  %-10s %-44s %s\n", row.rule->group, row.rule->subtopic,
                    row.article_ids.empty() ? "MISSING" : absl::StrJoin(row.article_ids, ", ")));
    }
  }
  if (!options.pinned.empty()) {
    absl::StrAppend(&out, "\npinned answers\n");
    for (const PinnedAnswer& pin : options.pinned) {
      std::vector<std::string> ids;
      for (const PinnedPassage& p : pin.passages) ids.push_back(p.passage_id);
      absl::StrAppend(&out, absl::StrFormat("  %-40s %s (reviewed %s by %s)\n", pin.id,
                                            absl::StrJoin(ids, ", "), pin.reviewed, pin.reviewer));
    }
  }
  for (const Diagnostic& d : report.warnings)
    absl::StrAppend(&out, "warning: ", d.ToString(), "\n");
  for (const Diagnostic& d : report.errors) absl::StrAppend(&out, d.ToString(), "\n");
  absl::StrAppend(
      &out, absl::StrFormat("lint: %d articles, %d passages, %d words, %d warnings, %d errors\n",
                            report.articles.size(), passages, words, report.warnings.size(),
                            report.errors.size()));
  return out;
}

}  // namespace patientqa::corpus
