// patientqa-index: validates a corpus, checks its quality (lint) and builds the search index.
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "corpus/lint.h"
#include "corpus/sources.h"
#include "index/index_builder.h"
#include "index/scriptindex_export.h"

ABSL_FLAG(std::string, corpus, "corpus",
          "Corpus directory: articles/ (or *.md) and clinical/; empty for none");
ABSL_FLAG(std::string, clinical, "",
          "Clinical rule files (vocabulary.txt, context.txt, triage.txt, languages.txt); "
          "default <corpus>/clinical. Required: they are stored with the index");
ABSL_FLAG(std::vector<std::string>, jsonl, {},
          "Comma-separated JSON Lines files of articles (one article per line) to add");
ABSL_FLAG(std::vector<std::string>, markdown, {},
          "Comma-separated folders of Markdown articles (with front matter) to add");
ABSL_FLAG(std::string, medquad, "",
          "MedQuAD CancerGov JSONL to import (one article per answer; questions not indexed)");
ABSL_FLAG(bool, medquad_questions, true,
          "Index each MedQuAD pair's question as its answer's question variant");
ABSL_FLAG(std::string, medquad_updated, "2017-01-01",
          "'updated' date given to MedQuAD articles (the data has no page dates)");
ABSL_FLAG(std::string, out, "var/index",
          "Index path to write: a link swapped atomically to each new build");
ABSL_FLAG(double, max_grade, 9.0, "lint: highest Flesch-Kincaid grade an article may have");
ABSL_FLAG(std::string, coverage, "",
          "lint: coverage table (default: <corpus>/coverage.txt when it exists)");
ABSL_FLAG(std::string, publishers, "",
          "lint: publishers table, one spelling per publisher (default: <corpus>/publishers.txt "
          "when it exists)");
ABSL_FLAG(std::string, today, "",
          "lint: the date reviews are checked against, YYYY-MM-DD (default: today, UTC)");

namespace {

using patientqa::corpus::Diagnostic;

int Fail(const std::vector<Diagnostic>& errors, const char* what) {
  for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
  std::fprintf(stderr, "patientqa-index: %zu error(s); %s\n", errors.size(), what);
  return 1;
}

// The table at `flag`, or `<corpus_dir>/<name>` when the flag is empty and that file exists;
// "" when there is none. Sets `*content`; false (with an error) when the file cannot be read.
bool ReadTable(const std::string& flag, const std::string& corpus_dir, const char* name,
               std::string* path, std::string* content, std::vector<Diagnostic>* errors) {
  *path = flag;
  if (path->empty() && !corpus_dir.empty() &&
      std::filesystem::exists(std::filesystem::path(corpus_dir) / name)) {
    *path = (std::filesystem::path(corpus_dir) / name).string();
  }
  if (path->empty()) return true;
  std::FILE* f = std::fopen(path->c_str(), "rb");
  if (f == nullptr) {
    errors->push_back({*path, 0, "cannot read the table"});
    return false;
  }
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) content->append(buf, n);
  std::fclose(f);
  return true;
}

std::string TodayUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char date[16];
  std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
  return date;
}

int Lint(const patientqa::corpus::LoadedCorpus& loaded, const std::string& corpus_dir) {
  patientqa::corpus::LintOptions options;
  options.max_grade = absl::GetFlag(FLAGS_max_grade);
  options.today = absl::GetFlag(FLAGS_today).empty() ? TodayUtc() : absl::GetFlag(FLAGS_today);
  std::vector<Diagnostic> errors;
  std::string path, content;
  if (!ReadTable(absl::GetFlag(FLAGS_coverage), corpus_dir, "coverage.txt", &path, &content,
                 &errors)) {
    return Fail(errors, "lint failed");
  }
  if (!path.empty()) options.coverage = patientqa::corpus::ParseCoverage(path, content, &errors);
  content.clear();
  if (!ReadTable(absl::GetFlag(FLAGS_publishers), corpus_dir, "publishers.txt", &path, &content,
                 &errors)) {
    return Fail(errors, "lint failed");
  }
  if (!path.empty()) {
    options.publishers = patientqa::corpus::ParsePublishers(path, content, &errors);
  }
  if (!errors.empty()) return Fail(errors, "lint failed");
  options.pinned = loaded.pinned;
  const patientqa::corpus::LintReport report = patientqa::corpus::Lint(loaded.articles, options);
  std::fputs(patientqa::corpus::FormatLintReport(report, options).c_str(), stdout);
  return report.errors.empty() ? 0 : 1;
}

// Writes `dir`/passages.txt and `dir`/index.def for scriptindex; 1 with a message naming the
// file when either cannot be written.
int ExportScriptindex(const patientqa::corpus::LoadedCorpus& loaded, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  for (const auto& [name, content] :
       {std::pair<const char*, std::string>{"passages.txt",
                                            patientqa::index::ScriptindexRecords(loaded.articles)},
        {"index.def", patientqa::index::ScriptindexDefinition()}}) {
    const std::string path = (std::filesystem::path(dir) / name).string();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    bool ok = f != nullptr && std::fwrite(content.data(), 1, content.size(), f) == content.size();
    if (f != nullptr && std::fclose(f) != 0) ok = false;
    if (!ok) {
      std::fprintf(stderr, "patientqa-index: cannot write %s\n", path.c_str());
      return 1;
    }
  }
  std::printf("exported %zu articles to %s/passages.txt (index script %s/index.def)\n",
              loaded.articles.size(), dir.c_str(), dir.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Builds the patientqa search index, or checks a corpus.\n"
      "  patientqa-index [build] --corpus DIR [--jsonl F,...] [--markdown DIR,...] "
      "[--medquad F] --out PATH\n"
      "  patientqa-index lint --corpus DIR [--max_grade N] [--coverage FILE]\n"
      "  patientqa-index export-scriptindex --corpus DIR [--medquad F] --out DIR\n"
      "    (the same passages as input for Xapian's scriptindex: DIR/passages.txt, DIR/index.def)\n"
      "Invalid input is reported as file:line: message with exit code 1; the old index is kept.");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string command = args.size() > 1 ? args[1] : "build";
  if (args.size() > 2 ||
      (command != "build" && command != "lint" && command != "export-scriptindex")) {
    std::fprintf(stderr, "patientqa-index: unexpected argument '%s' (see --help)\n",
                 args[args.size() > 2 ? 2 : 1]);
    return 2;
  }
  patientqa::corpus::CorpusSources sources;
  sources.corpus_dir = absl::GetFlag(FLAGS_corpus);
  sources.clinical_dir = absl::GetFlag(FLAGS_clinical);
  sources.jsonl = absl::GetFlag(FLAGS_jsonl);
  sources.markdown = absl::GetFlag(FLAGS_markdown);
  sources.medquad = absl::GetFlag(FLAGS_medquad);
  sources.medquad_options.updated = absl::GetFlag(FLAGS_medquad_updated);
  sources.medquad_options.question_variants = absl::GetFlag(FLAGS_medquad_questions);
  if (command == "lint") {
    const patientqa::corpus::LoadedCorpus loaded = patientqa::corpus::LoadSources(sources);
    if (!loaded.errors.empty()) return Fail(loaded.errors, "index not changed");
    return Lint(loaded, sources.corpus_dir);
  }
  if (command == "export-scriptindex") {
    const patientqa::corpus::LoadedCorpus loaded = patientqa::corpus::LoadSources(sources);
    if (!loaded.errors.empty()) return Fail(loaded.errors, "nothing exported");
    return ExportScriptindex(loaded, absl::GetFlag(FLAGS_out));
  }
  const std::string out = absl::GetFlag(FLAGS_out);
  absl::StatusOr<patientqa::index::BuildStats> stats =
      patientqa::index::BuildFromSources(sources, out);
  if (!stats.ok()) {
    std::fprintf(stderr, "%s\npatientqa-index: index not changed\n",
                 std::string(stats.status().message()).c_str());
    return 1;
  }
  std::printf(
      "indexed %d articles, %d passages, %zu words in %.2f s (%.0f words/s) -> %s (version %s)\n",
      stats->articles, stats->passages, stats->words, stats->seconds,
      stats->seconds > 0 ? static_cast<double>(stats->words) / stats->seconds : 0.0, out.c_str(),
      stats->version.c_str());
  for (const std::string& id : stats->pins_left_out) {
    std::printf("pinned answer '%s' left out: an article it names is not in this index\n",
                id.c_str());
  }
  return 0;
}
