#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/article.h"
#include "corpus/language/clinical_rules.h"
#include "corpus/language/vocabulary.h"
#include "corpus/sources.h"

namespace patientqa::index {

struct BuildOptions {
  // Where the index is served from. It is a symbolic link to an immutable generation directory
  // beside it; a build writes a new generation and then swaps the link atomically.
  std::filesystem::path out;
  // Generations kept besides the new one, so servers still reading an older one keep working.
  int keep_old_generations = 2;
  // Lay <-> clinical vocabulary stored in the index for query expansion.
  std::vector<corpus::SynonymGroup> synonyms;
  // The clinical rule files, stored in the index so that triage, the vocabulary and the passages
  // it serves always come from one build. Required; validated before anything is written.
  corpus::ClinicalFiles clinical;
};

struct BuildStats {
  int articles = 0;
  int passages = 0;
  size_t words = 0;
  int synonyms = 0;  // synonym pairs stored
  double seconds = 0;
  std::string version;                   // identifies this build; served as `index_version`
  std::filesystem::path generation_dir;  // the directory the link now points at
};

// Indexes `articles` (already validated, see corpus::LoadCorpusDir) into a new generation and
// points `options.out` at it. On any error the link is left as it was, so a working index keeps
// serving. Xapian errors are returned as INTERNAL, file-system errors as UNAVAILABLE, missing or
// invalid clinical rule files as INVALID_ARGUMENT (file:line).
absl::StatusOr<BuildStats> BuildIndex(const std::vector<corpus::Article>& articles,
                                      const BuildOptions& options);

// Loads `sources` (corpus::LoadSources) and builds them into `out` as BuildIndex does, keeping
// `keep_old_generations`. INVALID_ARGUMENT listing every corpus error (file:line) when the
// sources do not load or have no clinical rule files; otherwise BuildIndex's errors. On any error
// the index at `out` is left as it was.
absl::StatusOr<BuildStats> BuildFromSources(const corpus::CorpusSources& sources,
                                            const std::filesystem::path& out,
                                            int keep_old_generations = 2);

}  // namespace patientqa::index
