#include "service/library_handler.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "corpus/article.h"
#include "corpus/text.h"

namespace patientqa::service {

absl::StatusOr<index::ArticleRecord> LibraryHandler::GetArticle(
    const std::string& article_id) const {
  if (article_id.empty() || article_id.size() > 200) {
    return absl::InvalidArgumentError(
        absl::StrCat("article_id must be 1..200 characters, got ", article_id.size()));
  }
  if (corpus::FindInvalidUtf8(article_id)) {
    return absl::InvalidArgumentError("article_id must be valid UTF-8");
  }
  return index_->Current()->GetArticle(article_id);
}

absl::StatusOr<std::vector<index::ArticleRecord>> LibraryHandler::ListArticles(
    const std::string& topic) const {
  if (!topic.empty() && !corpus::IsKnownTopic(topic)) {
    return absl::InvalidArgumentError(
        absl::StrCat("topic must be empty or a known topic, got '", topic, "'"));
  }
  absl::StatusOr<std::vector<index::ArticleRecord>> all = index_->Current()->ListArticles();
  if (!all.ok() || topic.empty()) return all;
  std::vector<index::ArticleRecord> out;
  for (auto& a : *all) {
    if (std::find(a.topics.begin(), a.topics.end(), topic) != a.topics.end()) {
      out.push_back(std::move(a));
    }
  }
  return out;
}

}  // namespace patientqa::service
