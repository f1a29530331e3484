#pragma once

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "corpus/article.h"

namespace patientqa::corpus {

// Articles that loaded cleanly, and every problem found. A file with any error contributes no
// article; other files still load, so one run reports every problem.
struct LoadResult {
  std::vector<Article> articles;
  std::vector<Diagnostic> errors;
};

// Parses one article file: a front-matter block between `---` lines
//
//   ---
//   id: liver-metastases            (lower-case letters, digits, '-')
//   title: ...
//   publisher: ...
//   url: ...
//   updated: 2024-02-12             (a real calendar date)
//   language: en
//   topics: spread, treatment       (from KnownTopics())
//   references:                     (optional here; `lint` requires one)
//   - a public source
//   ---
//
// followed by the body, where lines starting with '#' are section headings. The text is kept
// verbatim except for presentation rules applied to every article: a trailing stray " above ." is
// removed from the title; a first body line repeating the title, a "<publisher> Updated on <date>"
// line and a final "Related Pages" line (web-page furniture) are dropped; and each "**" marking
// words missing from the source is shown as "[…]". Returns nullopt and appends to `errors` when
// the file is invalid.
std::optional<Article> ParseArticle(std::string_view path, std::string_view content,
                                    std::vector<Diagnostic>* errors);

// Whether `s` is a real calendar date written YYYY-MM-DD ("2024-02-30" is not).
bool IsValidDate(std::string_view s);

// Whether `text` contains HTML or XML markup ("<b>", "</a>", "<!--", "<?xml"). Titles and
// publishers are passed on to every client as plain text; markup in them is refused.
bool HasMarkup(std::string_view text);

// Why `url` cannot be an article's address, or nullopt when it can: only http(s) addresses and
// the server's own "/v1/articles/<id>" are allowed (never "javascript:", "data:" or a bare path),
// without spaces, quotes, angle brackets or control characters.
std::optional<std::string> UrlProblem(std::string_view url);

// Loads every `*.md` file of a corpus: from `dir/articles/` when that folder exists, else from
// `dir` itself; files are read in name order and ids must be unique across them.
LoadResult LoadCorpusDir(const std::filesystem::path& dir);

// Appends an error for every article whose id was already used by an earlier one.
void CheckUniqueIds(const std::vector<Article>& articles, std::vector<Diagnostic>* errors);

// OK when `errors` is empty; otherwise INVALID_ARGUMENT listing them, one `file:line: message`
// per line.
absl::Status DiagnosticsToStatus(const std::vector<Diagnostic>& errors);

}  // namespace patientqa::corpus
