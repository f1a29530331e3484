#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/loader.h"

namespace patientqa::corpus {

// Loads articles from a JSON Lines file, one article per line with the front-matter fields as
// JSON values ("topics" and "references" may be arrays or comma-separated strings) and "body"
// (Markdown: '#' lines are headings). Validated like article files; errors name the file and the
// JSON line.
LoadResult LoadJsonlArticles(const std::filesystem::path& path);

// The same for JSON Lines text already in memory; `path_label` names it in errors and in each
// article's source_path. Never fails on any input: every problem becomes a diagnostic.
LoadResult ParseJsonlArticles(std::string_view path_label, std::string_view content);

// One MedQuAD question-answer pair (see ../shared/corpus-medquad/README.md).
struct MedquadPair {
  std::string id;
  std::string source_url;
  std::string focus;
  std::string qtype;
  std::string question;  // kept for benchmarks; never indexed
  std::string answer;
  std::string article_id;  // the article its answer was imported into
};

struct MedquadImport {
  std::vector<Article> articles;
  std::vector<MedquadPair> pairs;
  std::vector<Diagnostic> errors;
};

struct MedquadOptions {
  // The data carries no page dates; its PDQ texts are snapshots from about 2017.
  std::string updated = "2017-01-01";
  // Use each pair's `question` as the question variant of its article's one section (the data
  // comes with the question each answer answers, as corpus/questions/ gives bundled articles).
  // For serving; a benchmark that asks these very questions must leave it off.
  bool question_variants = false;
};

// Imports MedQuAD's CancerGov JSONL: one article per answer, the unit MedQuAD judges answers by
// (its files CancerGov_<doc>_Sec<n>.txt). Its id is "pdq-<page>-<qtype>", its title
// "<focus>: <heading>", with a heading a reader understands for each `qtype` ("Risk factors" for
// "susceptibility"), its address the PDQ page's, and its body one section under that heading.
// An answer is the size of one of the bundled articles; a whole PDQ page is ten times that, and
// would fill an answer's quota of passages from one article with its other sections. The
// `question` text is never put into an article's text; with `question_variants` it becomes the
// section's question variant.
MedquadImport ImportMedquad(const std::filesystem::path& path, const MedquadOptions& options = {});

// The same for MedQuAD JSONL text already in memory; `path_label` names it in errors and in each
// article's source_path. Never fails on any input: every problem becomes a diagnostic.
MedquadImport ParseMedquad(std::string_view path_label, std::string_view content,
                           const MedquadOptions& options = {});

}  // namespace patientqa::corpus
