#include "service/index_holder.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace patientqa::service {

absl::StatusOr<std::shared_ptr<const ServingIndex>> OpenServingIndex(
    const std::filesystem::path& path) {
  absl::StatusOr<std::unique_ptr<index::Searcher>> searcher = index::Searcher::Open(path);
  if (!searcher.ok()) return searcher.status();
  std::vector<corpus::Diagnostic> errors;
  std::unique_ptr<corpus::ClinicalRules> rules =
      corpus::ParseClinicalRules((*searcher)->clinical_files(), &errors);
  if (!rules) {
    std::vector<std::string> lines;
    for (const auto& e : errors) lines.push_back(e.ToString());
    return absl::FailedPreconditionError(absl::StrCat(
        "index ", path.string(), ": invalid clinical rules: ", absl::StrJoin(lines, "; ")));
  }
  absl::StatusOr<std::unique_ptr<triage::Triager>> triager =
      triage::Triager::Create(std::move(rules));
  if (!triager.ok()) return triager.status();
  auto serving = std::make_shared<ServingIndex>();
  serving->searcher = std::move(*searcher);
  serving->triager = std::move(*triager);
  return std::shared_ptr<const ServingIndex>(std::move(serving));
}

absl::StatusOr<std::unique_ptr<IndexHolder>> IndexHolder::Open(const std::filesystem::path& path) {
  absl::StatusOr<std::shared_ptr<const ServingIndex>> serving = OpenServingIndex(path);
  if (!serving.ok()) return serving.status();
  return std::unique_ptr<IndexHolder>(new IndexHolder(path, *std::move(serving)));
}

std::shared_ptr<const ServingIndex> IndexHolder::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

absl::StatusOr<bool> IndexHolder::ReloadIfChanged() {
  absl::StatusOr<std::filesystem::path> generation = index::Searcher::ResolveGeneration(path_);
  if (!generation.ok()) return generation.status();
  if (*generation == Current()->searcher->generation()) return false;
  absl::StatusOr<std::shared_ptr<const ServingIndex>> serving = OpenServingIndex(*generation);
  if (!serving.ok()) return serving.status();
  std::lock_guard<std::mutex> lock(mu_);
  current_ = *std::move(serving);
  return true;
}

}  // namespace patientqa::service
