#include "corpus/sources.h"

#include <filesystem>

namespace patientqa::corpus {

LoadedCorpus LoadSources(const CorpusSources& sources) {
  LoadedCorpus out;
  auto take = [&](LoadResult r) {
    for (auto& a : r.articles) out.articles.push_back(std::move(a));
    for (auto& e : r.errors) {
      // Duplicate ids are checked once, across all sources, below.
      if (e.message.rfind("duplicate id", 0) != 0) out.errors.push_back(std::move(e));
    }
  };
  if (!sources.corpus_dir.empty()) {
    take(LoadCorpusDir(sources.corpus_dir));
    const auto synonyms = std::filesystem::path(sources.corpus_dir) / "synonyms.txt";
    if (std::filesystem::exists(synonyms)) out.synonyms = LoadSynonyms(synonyms, &out.errors);
  }
  for (const auto& dir : sources.markdown) take(LoadCorpusDir(dir));
  for (const auto& file : sources.jsonl) take(LoadJsonlArticles(file));
  if (!sources.medquad.empty()) {
    MedquadImport m = ImportMedquad(sources.medquad, sources.medquad_options);
    for (auto& a : m.articles) out.articles.push_back(std::move(a));
    for (auto& e : m.errors) out.errors.push_back(std::move(e));
    out.medquad_pairs = std::move(m.pairs);
  }
  CheckUniqueIds(out.articles, &out.errors);
  if (out.articles.empty() && out.errors.empty()) {
    out.errors.push_back({"(sources)", 0, "no articles: give --corpus, --jsonl, --markdown or --medquad"});
  }
  return out;
}

}  // namespace patientqa::corpus
