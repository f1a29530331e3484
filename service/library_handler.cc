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
  return index_->Current()->searcher->GetArticle(article_id);
}

absl::StatusOr<std::vector<index::ArticleRecord>> LibraryHandler::ListArticles(
    const std::string& topic) const {
  if (!topic.empty() && !corpus::IsKnownTopic(topic)) {
    return absl::InvalidArgumentError(
        absl::StrCat("topic must be empty or a known topic, got '", topic, "'"));
  }
  absl::StatusOr<std::vector<index::ArticleRecord>> all =
      index_->Current()->searcher->ListArticles();
  if (!all.ok() || topic.empty()) return all;
  std::vector<index::ArticleRecord> out;
  for (auto& a : *all) {
    if (std::find(a.topics.begin(), a.topics.end(), topic) != a.topics.end()) {
      out.push_back(std::move(a));
    }
  }
  return out;
}

namespace {

std::vector<std::string> QuestionHeadings(const std::string& body) {
  std::vector<std::string> out;
  for (std::string_view line : corpus::SplitLines(body)) {
    if (line.empty() || line.front() != '#') continue;
    std::string_view heading = corpus::Trim(line.substr(line.find_first_not_of('#')));
    if (!heading.empty() && heading.back() == '?') out.emplace_back(heading);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<LibraryHandler::Suggestion>> LibraryHandler::Suggest(
    const std::string& after_article_id, const std::string& topic, int max) const {
  if (max < 0 || max > 20) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_suggestions must be 0..20 (0 means 5), got ", max));
  }
  if (max == 0) max = 5;
  absl::StatusOr<std::vector<index::ArticleRecord>> articles = ListArticles(topic);
  if (!articles.ok()) return articles.status();
  std::vector<Suggestion> out;
  auto add = [&](const index::ArticleRecord& a, size_t skip_first) {
    const std::vector<std::string> questions = QuestionHeadings(a.body);
    for (size_t i = skip_first; i < questions.size() && static_cast<int>(out.size()) < max; ++i) {
      out.push_back({questions[i], a.id});
    }
  };
  if (!after_article_id.empty()) {
    absl::StatusOr<index::ArticleRecord> current = GetArticle(after_article_id);
    if (!current.ok()) return current.status();
    add(*current, 1);
    for (const auto& a : *articles) {
      if (static_cast<int>(out.size()) >= max) break;
      const bool related = a.id != current->id &&
                           std::any_of(a.topics.begin(), a.topics.end(), [&](const std::string& t) {
                             return std::find(current->topics.begin(), current->topics.end(), t) !=
                                    current->topics.end();
                           });
      if (!related) continue;
      const std::vector<std::string> questions = QuestionHeadings(a.body);
      if (!questions.empty()) out.push_back({questions.front(), a.id});
    }
    return out;
  }
  // Starters: each topic's articles in turn, the first question of each, round robin.
  std::vector<std::vector<const index::ArticleRecord*>> by_topic;
  for (const corpus::TopicInfo& t : corpus::KnownTopics()) {
    by_topic.emplace_back();
    for (const auto& a : *articles) {
      if (!a.topics.empty() && a.topics.front() == t.id) by_topic.back().push_back(&a);
    }
  }
  for (size_t round = 0; static_cast<int>(out.size()) < max; ++round) {
    bool any = false;
    for (const auto& list : by_topic) {
      if (round >= list.size() || static_cast<int>(out.size()) >= max) continue;
      any = true;
      const std::vector<std::string> questions = QuestionHeadings(list[round]->body);
      if (!questions.empty()) out.push_back({questions.front(), list[round]->id});
    }
    if (!any) break;
  }
  return out;
}

}  // namespace patientqa::service
