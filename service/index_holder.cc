#include "service/index_holder.h"

namespace patientqa::service {

absl::StatusOr<std::unique_ptr<IndexHolder>> IndexHolder::Open(const std::filesystem::path& path) {
  absl::StatusOr<std::unique_ptr<index::Searcher>> searcher = index::Searcher::Open(path);
  if (!searcher.ok()) return searcher.status();
  return std::unique_ptr<IndexHolder>(
      new IndexHolder(path, std::shared_ptr<const index::Searcher>(std::move(*searcher))));
}

std::shared_ptr<const index::Searcher> IndexHolder::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

absl::StatusOr<bool> IndexHolder::ReloadIfChanged() {
  absl::StatusOr<std::filesystem::path> generation = index::Searcher::ResolveGeneration(path_);
  if (!generation.ok()) return generation.status();
  if (*generation == Current()->generation()) return false;
  absl::StatusOr<std::unique_ptr<index::Searcher>> searcher = index::Searcher::Open(*generation);
  if (!searcher.ok()) return searcher.status();
  std::lock_guard<std::mutex> lock(mu_);
  current_ = std::move(*searcher);
  return true;
}

}  // namespace patientqa::service
