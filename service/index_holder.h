#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "absl/status/statusor.h"
#include "index/searcher.h"
#include "service/triage/triager.h"

namespace patientqa::service {

// One index generation as served: its searcher and the triage compiled from the clinical rules
// stored with it, so that a rebuild changes passages and rules together.
struct ServingIndex {
  std::shared_ptr<const index::Searcher> searcher;
  std::shared_ptr<const triage::Triager> triager;
};

// Holds the index generation being served and swaps in a new one when the index link changes.
// Requests keep the generation they started with until they finish.
class IndexHolder {
 public:
  // Opens the index at `path` and compiles its clinical rules; fails when either fails.
  static absl::StatusOr<std::unique_ptr<IndexHolder>> Open(const std::filesystem::path& path);

  // The generation to use for one request.
  std::shared_ptr<const ServingIndex> Current() const;

  // Reopens when `path` now points at another generation. Returns true when it switched; on
  // error the current generation keeps serving and the error is returned.
  absl::StatusOr<bool> ReloadIfChanged();

 private:
  IndexHolder(std::filesystem::path path, std::shared_ptr<const ServingIndex> s)
      : path_(std::move(path)), current_(std::move(s)) {}

  const std::filesystem::path path_;
  mutable std::mutex mu_;  // guards the pointer only; never held during a search
  std::shared_ptr<const ServingIndex> current_;
};

// Opens one generation (or the link to one) for serving.
absl::StatusOr<std::shared_ptr<const ServingIndex>> OpenServingIndex(
    const std::filesystem::path& path);

}  // namespace patientqa::service
