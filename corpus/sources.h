#pragma once

#include <string>
#include <vector>

#include "corpus/importers.h"
#include "corpus/language/clinical_rules.h"
#include "corpus/loader.h"

namespace patientqa::corpus {

// Where a corpus comes from: the bundled folder and any hospital sources, combined.
struct CorpusSources {
  std::string corpus_dir;  // articles/ (or *.md); may be empty
  // The clinical rule files (vocabulary, context, triage, languages); empty: <corpus_dir>/clinical.
  // Required: an index without triage rules is never built.
  std::string clinical_dir;
  std::vector<std::string> jsonl;     // JSON Lines files, one article per line
  std::vector<std::string> markdown;  // folders of Markdown articles with front matter
  std::string medquad;                // MedQuAD CancerGov JSONL; may be empty
  MedquadOptions medquad_options;
};

struct LoadedCorpus {
  std::vector<Article> articles;
  ClinicalFiles clinical;              // the rule files, validated
  std::vector<SynonymGroup> synonyms;  // search groups: a view of the clinical vocabulary
  std::vector<PinnedAnswer> pinned;    // the clinical folder's pinned answers, parsed
  std::vector<MedquadPair> medquad_pairs;
  std::vector<Diagnostic> errors;  // from every source; ids must be unique across all of them
};

LoadedCorpus LoadSources(const CorpusSources& sources);

}  // namespace patientqa::corpus
