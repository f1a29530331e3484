#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "corpus/article.h"
#include "corpus/pinned_answers.h"

namespace patientqa::corpus {

// A subject the bundled corpus must cover, from a coverage table (see ParseCoverage).
struct CoverageRule {
  std::string group;     // "Spread"
  std::string subtopic;  // "liver"
  std::string pattern;   // ECMAScript regex, matched case-insensitively
  std::string file;
  int line = 0;
};

// Parses `group | subtopic | regex` lines ('#' comments); bad lines and bad regexes (RE2
// syntax) are errors.
std::vector<CoverageRule> ParseCoverage(std::string_view path, std::string_view content,
                                        std::vector<Diagnostic>* errors);

// A publisher's one accepted spelling, and other spellings lint refuses for it.
struct PublisherRule {
  std::string name;                   // "Cancer Research UK"
  std::vector<std::string> variants;  // "CRUK", "Cancer Research U.K."
  std::string file;
  int line = 0;
};

// Parses `Name | variant, variant` lines ('#' comments; the variants part is optional). A name
// or variant listed twice is an error.
std::vector<PublisherRule> ParsePublishers(std::string_view path, std::string_view content,
                                           std::vector<Diagnostic>* errors);

struct LintOptions {
  double max_grade = 9.0;  // Flesch-Kincaid grade above which an article fails
  int min_words = 300;     // outside [min_words, max_words]: a warning
  int max_words = 1000;
  double near_duplicate = 0.6;  // passage similarity (5-word shingles, Jaccard) that fails
  bool require_references = true;
  std::vector<CoverageRule> coverage;
  // The publishers table (corpus/publishers.txt): every article's publisher and every
  // reference's publisher (the text before its first comma) must be a listed name, spelt that
  // way. Empty: spellings are not checked.
  std::vector<PublisherRule> publishers;
  // Governance, as a hospital's information standard expects (for example the NHS PIF TICK):
  // every article needs `reviewed`, `review_due` (after `reviewed`) and `reviewer`. A review due
  // before `today` (YYYY-MM-DD) is a warning; empty `today`: not checked.
  std::string today;
  // The pinned answers (corpus/clinical/pinned-answers.txt): every passage a pin names must
  // exist and start with the words the pin quotes (CheckPinnedPassages).
  std::vector<PinnedAnswer> pinned;
};

struct ArticleStats {
  std::string id;
  std::string file;
  int words = 0;
  int passages = 0;
  double grade = 0;
  int references = 0;
  std::string reviewed;
  std::string review_due;
};

struct CoverageRow {
  const CoverageRule* rule = nullptr;
  std::vector<std::string> article_ids;
};

struct LintReport {
  std::vector<ArticleStats> articles;
  std::vector<CoverageRow> coverage;
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;
};

// Checks loaded articles beyond what the loader enforces: references (each one a web page, not a
// site's home page, for articles not quoted word for word), publisher spellings, governance
// fields and review dates, readability, length, question variants per section (3 to 8; a
// warning otherwise), duplicate and near-duplicate passages, pinned passages, and
// coverage of the required subjects. An article covers a subject when the pattern matches its
// title or a section heading, or two or more of its passages.
LintReport Lint(const std::vector<Article>& articles, const LintOptions& options);

// The per-article table (words, grade, passages, references, reviewed, review due), the coverage
// table, then warnings and errors, as printed by `patientqa-index lint`.
std::string FormatLintReport(const LintReport& report, const LintOptions& options);

}  // namespace patientqa::corpus
