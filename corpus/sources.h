#pragma once

#include <string>
#include <vector>

#include "corpus/importers.h"
#include "corpus/loader.h"
#include "corpus/synonyms.h"

namespace patientqa::corpus {

// Where a corpus comes from: the bundled folder and any hospital sources, combined.
struct CorpusSources {
  std::string corpus_dir;              // articles/ (or *.md) and synonyms.txt; may be empty
  std::vector<std::string> jsonl;      // JSON Lines files, one article per line
  std::vector<std::string> markdown;   // folders of Markdown articles with front matter
  std::string medquad;                 // MedQuAD CancerGov JSONL; may be empty
  MedquadOptions medquad_options;
};

struct LoadedCorpus {
  std::vector<Article> articles;
  std::vector<SynonymGroup> synonyms;
  std::vector<MedquadPair> medquad_pairs;
  std::vector<Diagnostic> errors;  // from every source; ids must be unique across all of them
};

LoadedCorpus LoadSources(const CorpusSources& sources);

}  // namespace patientqa::corpus
