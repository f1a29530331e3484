// patientqa-index: validates a corpus and builds the search index from it.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "corpus/loader.h"
#include "corpus/synonyms.h"
#include "index/index_builder.h"

ABSL_FLAG(std::string, corpus, "corpus",
          "Corpus directory: its articles/ folder (or the directory itself) holds *.md articles");
ABSL_FLAG(std::string, out, "var/index",
          "Index path to write: a link swapped atomically to each new build");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Builds the patientqa search index.\n"
      "  patientqa-index --corpus DIR --out DIR\n"
      "Exits 1 with file:line: message lines when the corpus is invalid; the old index is kept.");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() > 1) {
    std::fprintf(stderr, "patientqa-index: unexpected argument '%s' (see --help)\n", args[1]);
    return 2;
  }
  const std::string corpus_dir = absl::GetFlag(FLAGS_corpus);
  patientqa::corpus::LoadResult loaded = patientqa::corpus::LoadCorpusDir(corpus_dir);
  if (!loaded.errors.empty()) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
    std::fprintf(stderr, "patientqa-index: %zu error(s) in %s; index not changed\n",
                 loaded.errors.size(), corpus_dir.c_str());
    return 1;
  }
  patientqa::index::BuildOptions options;
  options.out = absl::GetFlag(FLAGS_out);
  const std::filesystem::path synonyms = std::filesystem::path(corpus_dir) / "synonyms.txt";
  if (std::filesystem::exists(synonyms)) {
    std::vector<patientqa::corpus::Diagnostic> errors;
    options.synonyms = patientqa::corpus::LoadSynonyms(synonyms, &errors);
    if (!errors.empty()) {
      for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
      std::fprintf(stderr, "patientqa-index: %zu error(s) in %s; index not changed\n",
                   errors.size(), synonyms.c_str());
      return 1;
    }
  }
  absl::StatusOr<patientqa::index::BuildStats> stats =
      patientqa::index::BuildIndex(loaded.articles, options);
  if (!stats.ok()) {
    std::fprintf(stderr, "patientqa-index: %s; index not changed\n",
                 std::string(stats.status().message()).c_str());
    return 1;
  }
  std::printf(
      "indexed %d articles, %d passages, %zu words in %.2f s (%.0f words/s) -> %s (version %s)\n",
      stats->articles, stats->passages, stats->words, stats->seconds,
      stats->seconds > 0 ? static_cast<double>(stats->words) / stats->seconds : 0.0,
      options.out.c_str(), stats->version.c_str());
  return 0;
}
