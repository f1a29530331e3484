#include "corpus/sources.h"

#include <filesystem>

#include "absl/status/statusor.h"
#include "corpus/questions.h"

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
  // Question variants sit beside the articles: <dir>/questions/<id>.md.
  auto take_dir = [&](const std::string& dir) {
    LoadResult r = LoadCorpusDir(dir);
    AttachQuestions(std::filesystem::path(dir) / "questions", &r.articles, &r.errors);
    take(std::move(r));
  };
  if (!sources.corpus_dir.empty()) take_dir(sources.corpus_dir);
  std::string clinical_dir = sources.clinical_dir;
  if (clinical_dir.empty() && !sources.corpus_dir.empty()) {
    clinical_dir = (std::filesystem::path(sources.corpus_dir) / "clinical").string();
  }
  if (clinical_dir.empty()) {
    // No corpus folder and no --clinical: lint can still run; BuildIndex refuses to build.
  } else if (absl::StatusOr<ClinicalFiles> files = ReadClinicalDir(clinical_dir); !files.ok()) {
    out.errors.push_back({clinical_dir, 0, std::string(files.status().message())});
  } else if (auto rules = ParseClinicalRules(*files, &out.errors)) {
    out.clinical = *std::move(files);
    out.synonyms = rules->vocabulary.SearchGroups();
    out.pinned = std::move(rules->pinned);
  }
  for (const auto& dir : sources.markdown) take_dir(dir);
  for (const auto& file : sources.jsonl) take(LoadJsonlArticles(file));
  if (!sources.medquad.empty()) {
    MedquadImport m = ImportMedquad(sources.medquad, sources.medquad_options);
    for (auto& a : m.articles) out.articles.push_back(std::move(a));
    for (auto& e : m.errors) out.errors.push_back(std::move(e));
    out.medquad_pairs = std::move(m.pairs);
  }
  CheckUniqueIds(out.articles, &out.errors);
  if (out.articles.empty() && out.errors.empty()) {
    out.errors.push_back(
        {"(sources)", 0, "no articles: give --corpus, --jsonl, --markdown or --medquad"});
  }
  return out;
}

}  // namespace patientqa::corpus
