#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "index/searcher.h"
#include "service/index_holder.h"

namespace patientqa::service {

// The library itself: whole articles behind citations, and the list of sources. Thread-safe.
class LibraryHandler {
 public:
  explicit LibraryHandler(const IndexHolder* index) : index_(index) {}

  // INVALID_ARGUMENT for an empty or malformed id, NOT_FOUND for an unknown one.
  absl::StatusOr<index::ArticleRecord> GetArticle(const std::string& article_id) const;

  // Every article, or those with `topic` (which must be empty or a known topic).
  absl::StatusOr<std::vector<index::ArticleRecord>> ListArticles(const std::string& topic) const;

 private:
  const IndexHolder* index_;
};

}  // namespace patientqa::service
