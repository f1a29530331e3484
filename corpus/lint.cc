#include "corpus/lint.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "corpus/readability.h"
#include "corpus/splitter.h"
#include "corpus/text.h"

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

}  // namespace

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
    try {
      std::regex check(parts[2], std::regex::icase);
    } catch (const std::regex_error& e) {
      errors->push_back(
          {std::string(path), line_no, absl::StrCat("bad regular expression: ", e.what())});
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
    std::set<size_t> shingles;
  };
  std::vector<PassageRef> all;
  std::vector<std::vector<std::string>> passage_texts(articles.size());
  for (size_t ai = 0; ai < articles.size(); ++ai) {
    const Article& a = articles[ai];
    const std::vector<Passage> passages = SplitIntoPassages(a);
    const Readability r = MeasureBodyReadability(a.body);
    report.articles.push_back(
        {a.id, a.source_path, r.words, static_cast<int>(passages.size()), r.grade});
    if (options.require_references && a.references.empty()) {
      report.errors.push_back({a.source_path, a.front_matter_end_line,
                               "no references: list the public sources the facts come from"});
    }
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
    const std::regex re(rule.pattern, std::regex::icase);
    CoverageRow row{&rule, {}};
    for (size_t ai = 0; ai < articles.size(); ++ai) {
      const Article& a = articles[ai];
      bool covers = std::regex_search(a.title, re);
      for (const std::string& h : Headings(a)) covers = covers || std::regex_search(h, re);
      if (!covers) {
        const auto n =
            std::count_if(passage_texts[ai].begin(), passage_texts[ai].end(),
                          [&](const std::string& t) { return std::regex_search(t, re); });
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
  return report;
}

std::string FormatLintReport(const LintReport& report, const LintOptions& options) {
  std::string out = absl::StrFormat("%-48s %6s %6s %9s\n", "article", "words", "grade", "passages");
  int words = 0, passages = 0;
  for (const ArticleStats& a : report.articles) {
    absl::StrAppend(&out,
                    absl::StrFormat("%-48s %6d %6.1f %9d%s\n", a.id, a.words, a.grade, a.passages,
                                    a.grade > options.max_grade ? "  (over limit)" : ""));
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
