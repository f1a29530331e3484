#include "service/ask_handler.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "corpus/article.h"
#include "corpus/text.h"
#include "service/answer_builder.h"

namespace patientqa::service {
namespace {

constexpr char kNotMedicalAdvice[] =
    "These passages are quoted from patient-education articles. They are general information, "
    "not medical advice: your care team knows your situation.";

absl::Status CheckText(std::string_view field, std::string_view text, int min_chars) {
  if (auto bad = corpus::FindInvalidUtf8(text)) {
    return absl::InvalidArgumentError(absl::StrCat(
        std::string(field), " must be valid UTF-8 (invalid byte at offset ", *bad, ")"));
  }
  const size_t chars = corpus::CountCodePoints(text);
  if (chars < static_cast<size_t>(min_chars) || chars > static_cast<size_t>(kMaxQuestionChars)) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(field), " must be ", min_chars, "..",
                                                   kMaxQuestionChars, " characters, got ", chars));
  }
  return absl::OkStatus();
}

std::string NoAnswerText() {
  std::vector<std::string> labels;
  for (const auto& t : corpus::KnownTopics()) labels.emplace_back(t.label);
  return absl::StrCat(
      "The library has no article that answers this question. It covers colorectal cancer that "
      "has spread: ",
      absl::StrJoin(labels, "; "), ". Please ask your care team about anything else.");
}

}  // namespace

absl::Status ValidateAskQuery(const AskQuery& query) {
  if (absl::Status s = CheckText("question", query.question, 1); !s.ok()) return s;
  if (corpus::Trim(query.question).empty()) {
    return absl::InvalidArgumentError("question must contain more than white space");
  }
  if (query.history.size() > static_cast<size_t>(kMaxHistoryTurns)) {
    return absl::InvalidArgumentError(absl::StrCat("history must have at most ", kMaxHistoryTurns,
                                                   " turns, got ", query.history.size()));
  }
  for (size_t i = 0; i < query.history.size(); ++i) {
    if (absl::Status s = CheckText(absl::StrCat("history[", i, "]"), query.history[i], 0);
        !s.ok()) {
      return s;
    }
  }
  if (query.max_passages < 0 || query.max_passages > kMaxPassages) {
    return absl::InvalidArgumentError(absl::StrCat("max_passages must be 0..", kMaxPassages,
                                                   " (0 means ", kDefaultPassages, "), got ",
                                                   query.max_passages));
  }
  if (!query.topic.empty() && !corpus::IsKnownTopic(query.topic)) {
    std::vector<std::string> known;
    for (const auto& t : corpus::KnownTopics()) known.emplace_back(t.id);
    return absl::InvalidArgumentError(absl::StrCat(
        "topic must be empty or one of ", absl::StrJoin(known, ", "), ", got '", query.topic, "'"));
  }
  return absl::OkStatus();
}

absl::StatusOr<AskResult> AskHandler::Ask(const AskQuery& query) const {
  if (absl::Status s = ValidateAskQuery(query); !s.ok()) return s;
  const std::shared_ptr<const index::Searcher> searcher = index_->Current();

  index::SearchRequest request;
  request.query = query.question;
  request.context = query.history;
  request.topic = query.topic;
  if (const char* k1 = std::getenv("PQA_K1")) request.bm25_k1 = std::atof(k1);
  if (const char* b = std::getenv("PQA_B")) request.bm25_b = std::atof(b);
  if (const char* w = std::getenv("PQA_SYNW")) request.synonym_weight = std::atof(w);
  if (const char* w = std::getenv("PQA_PHRASEW")) request.phrase_weight = std::atof(w);
  request.max_results = query.max_passages == 0 ? kDefaultPassages : query.max_passages;
  absl::StatusOr<index::SearchResult> found = searcher->Search(request);
  if (!found.ok()) return found.status();

  AskResult result;
  result.index_version = searcher->version();
  result.safety = {SafetyLevel::kInfo, kNotMedicalAdvice};
  result.passages = std::move(found->hits);
  result.answered = !result.passages.empty();
  result.answer = result.answered
                      ? BuildExtractiveAnswer(result.passages, found->query_terms, *searcher)
                      : NoAnswerText();
  return result;
}

}  // namespace patientqa::service
