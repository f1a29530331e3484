#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "index/searcher.h"
#include "service/index_holder.h"
#include "service/privacy/keyed_hash.h"

namespace patientqa::service {

// A question or one history turn: long messages with their back-story are accepted (one real
// consumer question runs to 1,344 characters); each is searched by its question sentences.
inline constexpr int kMaxQuestionChars = 4000;
inline constexpr int kMaxHistoryTurns = 20;
inline constexpr int kDefaultPassages = 5;
inline constexpr int kMaxPassages = 20;

struct AskQuery {
  std::string question;
  std::vector<std::string> history;  // oldest first
  int max_passages = 0;              // 0: kDefaultPassages
  std::string topic;                 // empty: all topics
  // When the caller stops waiting (a gRPC deadline, an HTTP timeout): past it, Ask stops its work
  // at the next stage and returns DEADLINE_EXCEEDED. max(): no deadline.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

// The triage level shown first (service/triage/): urgent (call the emergency number or the
// 24-hour line now), contact the team today, or information only.
enum class SafetyLevel { kInfo, kContactTeam, kUrgent };

struct SafetyInfo {
  SafetyLevel level = SafetyLevel::kInfo;
  std::string message;
  // Why: the triage category ("neutropenic-sepsis", "self-harm", "jaundice", ...), or
  // "other-language" for a message not in English; empty for information only.
  std::string category;
  std::string rule;  // the triage rule that fired (for evaluation; not in the API)
};

struct TopicRef {
  std::string id;
  std::string label;
};

struct AskResult {
  bool answered = false;
  std::string answer;
  std::vector<index::Hit> passages;  // best first
  SafetyInfo safety;
  std::string did_you_mean;
  std::vector<TopicRef> topics;
  std::string index_version;
  // How well the best passage matched, before any refusal (for evaluation and logs; not in API).
  struct MatchQuality {
    int concepts = 0;
    int matched = 0;
    double weighted_coverage = 0;
    double score = 0;
  } best_match;
  // How the question was read (for `patientqa-eval --explain`; not in the API): its question
  // types, its focus concept and its search concepts (vocabulary ids).
  // The pinned answer (corpus/clinical/pinned-answers.txt) whose passages come first, and the
  // question's similarity to its closest example question; "" when none applied (for
  // `patientqa-eval --explain` and logs; the API marks the passages `pinned`).
  std::string pinned_answer;
  double pin_similarity = 0;
  bool cache_hit = false;  // taken from the answer cache (for logs and metrics; not in the API)
  // `answer` repeats words of the question: a refusal naming the disease or subject it asked
  // about ("... not about rectal carcinoid"). Such a result is never cached (not in the API).
  bool quotes_question = false;
  struct Understanding {
    std::vector<std::string> types;
    std::string focus;
    std::vector<std::string> concepts;
  } understanding;
};

// Which parts of question understanding and ranking to use. The server uses them all; the
// evaluation switches them off one by one to measure each one's effect against plain BM25.
struct AskFeatures {
  bool synonyms = true;  // lay <-> clinical vocabulary from the index
  bool spelling = true;  // correct words the index does not know
  bool history = true;   // read a follow-up in the context of earlier turns
  bool tuning = true;    // tuned BM25, phrase bonus, per-article diversity, weak-match refusal
  bool safety = true;    // triage (emergencies, contact-the-team) and other-language notes
  bool refusal = true;   // answered=false when the best match is too weak (needs `tuning`)
  // Each of the following needs `tuning`.
  // The questions each section answers (corpus/questions/): as a field, and matched whole
  // against the question (question entailment).
  bool variants = true;
  bool concepts = true;  // concept terms: the question's vocabulary concepts and its focus
  bool types = true;     // question type: a bonus for sections that answer the type asked
  bool feedback = true;  // pseudo-relevance feedback (used when RankingParams::feedback_weight > 0)
  // Pinned answers: a question matching a pinned intent gets the clinician's chosen passages
  // first (only when it is answered: a refused question is never pinned).
  bool pins = true;

  static AskFeatures Plain() {
    AskFeatures f;
    f.synonyms = f.spelling = f.history = f.tuning = f.safety = f.refusal = false;
    f.variants = f.concepts = f.types = f.feedback = f.pins = false;
    return f;
  }
};

// Ranking parameters tuned on the gold set (tests/eval/); see the README's eval report.
struct RankingParams {
  double bm25_k1 = 1.2;
  double bm25_b = 0.45;
  double synonym_weight = 0.3;
  double phrase_weight = 0.25;
  double heading_weight = 0.3;
  double title_weight = 0.0;
  // Question words found among the questions a passage's section answers (corpus/questions/).
  double question_weight = 0.3;
  double context_weight = 0.3;
  // For a short, vague question ("can they operate?": at most two content words) the earlier
  // turns carry more of the meaning.
  double vague_context_weight = 0.6;
  // A long message is searched by its question sentences; its other sentences (the back-story)
  // count like an earlier turn.
  int long_message_words = 40;
  double background_weight = 0.3;
  double same_article_penalty = 0.85;
  double same_publisher_penalty = 0.6;
  int max_per_article = 2;  // passages of one article among the first five (0: no limit)
  // "What is FOLFOX?": a passage that defines the thing asked about scores this much more.
  double definition_weight = 0.5;
  // Passages this similar in wording to a better one are left out (as the corpus lint judges).
  double near_duplicate_similarity = 0.6;
  // Concept terms: weight of a concept the question names, relative to a question word; its
  // broader concepts count this much of that; the focus concept this many times. Cross-
  // validation on the gold set chooses 0.3 (patientqa-eval --cv 5), but at 0.3 the seed article's
  // blood-borne spread passage drops to third for "Where does colon cancer spread first?".
  double concept_weight = 0.15;
  double broader_concept_weight = 0.5;
  double focus_weight = 1.5;
  // A passage without the question's focus concept keeps this much of its score (1: off; 0.85
  // was never chosen by cross-validation on the gold set).
  double focus_miss_factor = 1.0;
  // Words of the library's whole subject ("stage 4", "bowel cancer") in a question about
  // something else weigh this much (1: off); see index::SearchRequest::qualifier_words. Cross-
  // validation is split between 0.5 and 1 (a question or two either way); 0.5 puts the chemo
  // drugs second, from outside the top three, for "which chemo drugs are used for stage 4 colon
  // cancer" (issue 12 asks for first or second).
  double qualifier_weight = 0.5;
  // The words around the subject of a "what is X?" question weigh this much (see
  // index::SearchRequest::lead_in_weight).
  double lead_in_weight = 0.5;
  // Question entailment reads a follow-up together with the turn before it (see
  // index::SearchRequest::entailment_context).
  bool entailment_history = true;
  // Question entailment: a passage whose section lists a question variant like the question
  // scores up to 1 + this times more (see index::SearchRequest::entailment_weight).
  double entailment_weight = 1.0;
  // Question type: the bonus for a section answering the type asked (see index::SearchRequest).
  double type_weight = 1.0;
  // Pseudo-relevance feedback from the best passages (0: off; 0.2 never helped in
  // cross-validation on the gold set, so it stays off).
  double feedback_weight = 0;
  int feedback_passages = 3;
  int feedback_terms = 10;
};

class AnswerCache;

// Checks a query against the API's limits. INVALID_ARGUMENT names the field and the limit.
absl::Status ValidateAskQuery(const AskQuery& query);

// Answers questions from the current index. Plain C++: the gRPC and HTTP front ends call it, and
// unit tests call it without a network. Thread-safe.
class AskHandler {
 public:
  // `cache` (may be null: no caching) keeps answers to repeated questions; it must outlive the
  // handler.
  explicit AskHandler(const IndexHolder* index, RankingParams params = {},
                      AnswerCache* cache = nullptr)
      : index_(index), params_(params), cache_(cache) {}

  // INVALID_ARGUMENT (ValidateAskQuery) for a bad query; DEADLINE_EXCEEDED when `query.deadline`
  // passes before the answer is ready (checked before triage, before the search and before the
  // answer is assembled; the search itself is given the time left).
  absl::StatusOr<AskResult> Ask(const AskQuery& query, const AskFeatures& features = {}) const;

  // Whether the answer cache holds the answer to `query` now, so that Ask() would search
  // nothing (it still triages). A front end answers such a call at once instead of queueing it
  // for a worker. False for a query Ask() would refuse as invalid, and without a cache.
  bool HasCachedAnswer(const AskQuery& query, const AskFeatures& features = {}) const;

 private:
  const IndexHolder* index_;
  const RankingParams params_;
  // The answer cache's key for `query` (typography already normalised) against index version
  // `version`.
  KeyedDigest CacheKey(const AskQuery& query, const AskFeatures& features,
                       std::string_view version) const;

  AnswerCache* const cache_;
};

}  // namespace patientqa::service
