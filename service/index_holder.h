#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "absl/status/statusor.h"
#include "index/searcher.h"

namespace patientqa::service {

// Holds the index generation being served and swaps in a new one when the index link changes.
// Searches keep the generation they started with until they finish.
class IndexHolder {
 public:
  // Opens the index at `path`; fails when it cannot be opened.
  static absl::StatusOr<std::unique_ptr<IndexHolder>> Open(const std::filesystem::path& path);

  // The generation to use for one request.
  std::shared_ptr<const index::Searcher> Current() const;

  // Reopens when `path` now points at another generation. Returns true when it switched; on
  // error the current generation keeps serving and the error is returned.
  absl::StatusOr<bool> ReloadIfChanged();

 private:
  explicit IndexHolder(std::filesystem::path path, std::shared_ptr<const index::Searcher> s)
      : path_(std::move(path)), current_(std::move(s)) {}

  const std::filesystem::path path_;
  mutable std::mutex mu_;  // guards the pointer only; never held during a search
  std::shared_ptr<const index::Searcher> current_;
};

}  // namespace patientqa::service
