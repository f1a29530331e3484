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

  struct Suggestion {
    std::string text;
    std::string article_id;
  };

  // Section headings phrased as questions: for an empty chat, one from each of several
  // articles (spread over the topics); after an answer from `after_article_id`, the article's
  // other questions first, then those of articles sharing its topics.
  absl::StatusOr<std::vector<Suggestion>> Suggest(const std::string& after_article_id,
                                                  const std::string& topic, int max) const;

  // Every article, or those with `topic` (which must be empty or a known topic).
  absl::StatusOr<std::vector<index::ArticleRecord>> ListArticles(const std::string& topic) const;

 private:
  const IndexHolder* index_;
};

}  // namespace patientqa::service
