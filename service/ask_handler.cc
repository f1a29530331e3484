#include "service/ask_handler.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "corpus/article.h"
#include "corpus/language/normalizer.h"
#include "corpus/text.h"
#include "service/answer_builder.h"
#include "service/cache/answer_cache.h"
#include "service/domain.h"
#include "service/privacy/keyed_hash.h"
#include "service/question_analysis.h"
#include "service/question_forms.h"

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

absl::Status CheckDeadline(const AskQuery& query, const char* stage) {
  if (std::chrono::steady_clock::now() < query.deadline) return absl::OkStatus();
  return absl::DeadlineExceededError(
      absl::StrCat("the call's deadline passed before ", stage, "; nothing was answered"));
}

// The reply when the library has no answer. `signal` says why, when it knows: another disease
// ("rectal carcinoid"), or a bowel cancer subject the library does not cover ("screening").
std::string NoAnswerText(const DomainSignal* signal = nullptr) {
  std::vector<std::string> labels;
  for (const auto& t : corpus::KnownTopics()) labels.emplace_back(t.label);
  const std::string covers = absl::StrCat(
      "It covers colorectal (bowel) cancer that has spread: ", absl::StrJoin(labels, "; "), ".");
  if (signal != nullptr && !signal->named.empty() && signal->other_cancer) {
    return absl::StrCat("This library is about bowel cancer that has spread, not about ",
                        signal->named, ". ", covers,
                        " Your care team, or a charity for that condition, can answer this.");
  }
  if (signal != nullptr && !signal->named.empty() && signal->outside_subject) {
    return absl::StrCat("This library does not cover ", signal->named,
                        ": it is about bowel cancer once it has spread. ", covers,
                        " Your doctor, or a bowel cancer charity, can answer this.");
  }
  if (signal != nullptr && signal->animal_patient) {
    return absl::StrCat(
        "This library is for people with bowel cancer that has spread, and their "
        "families; it does not cover illness in animals. A vet can answer this. ",
        covers);
  }
  return absl::StrCat("The library has no article that answers this question. ", covers,
                      " Please ask your care team about anything else.");
}

}  // namespace

absl::Status ValidateAskQuery(const AskQuery& query) {
  if (absl::Status s = CheckText("question", query.question, 1); !s.ok()) return s;
  // Unicode white space and zero-width characters count as white space (NormalizeTypography).
  if (corpus::Trim(corpus::NormalizeTypography(query.question)).empty()) {
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

namespace {

SafetyInfo SafetyFrom(const triage::TriageResult& t) {
  switch (t.level) {
    case corpus::TriageLevel::kUrgent:
      return {SafetyLevel::kUrgent, absl::StrCat(t.message, " ", kNotMedicalAdvice), t.category,
              t.rule};
    case corpus::TriageLevel::kContactTeam:
      return {SafetyLevel::kContactTeam, absl::StrCat(t.message, " ", kNotMedicalAdvice),
              t.category, t.rule};
    case corpus::TriageLevel::kNone:
      break;
  }
  return {SafetyLevel::kInfo, kNotMedicalAdvice, "", ""};
}

// The reply to a message in another language: the English note with the emergency numbers, and
// the same in the message's language when the profile has it.
AskResult OtherLanguageResult(const triage::TriageResult& t, const triage::Triager& triager) {
  std::string note;
  for (const corpus::LanguageProfile& p : triager.rules().languages) {
    if (p.code == "en") note = p.note;
  }
  if (!t.language.note.empty()) absl::StrAppend(&note, "\n\n", t.language.note);
  AskResult result;
  result.answered = false;
  result.answer = note;
  result.safety = {SafetyLevel::kInfo, note, "other-language", ""};
  return result;
}

// A pinned answer's passages first, in the pin's order, then the ranking's other passages, at
// most `max` in all. The pinned ones share the best score of the list, so that scores still fall
// with rank.
void PutPinnedFirst(std::vector<index::Hit> pinned, int max, std::vector<index::Hit>* hits) {
  double top = 0;
  for (const index::Hit& h : pinned) top = std::max(top, h.score);
  if (!hits->empty()) top = std::max(top, hits->front().score);
  for (index::Hit& h : pinned) h.score = top;
  for (index::Hit& h : *hits) {
    if (static_cast<int>(pinned.size()) >= max) break;
    const bool shown = std::any_of(pinned.begin(), pinned.end(), [&](const index::Hit& p) {
      return p.passage_id == h.passage_id;
    });
    if (!shown) pinned.push_back(std::move(h));
  }
  if (static_cast<int>(pinned.size()) > max) pinned.resize(max);
  *hits = std::move(pinned);
}

}  // namespace

KeyedDigest AskHandler::CacheKey(const AskQuery& query, const AskFeatures& features,
                                 std::string_view version) const {
  const std::string shape =
      absl::StrCat(query.max_passages, ":", features.synonyms, features.spelling, features.history,
                   features.tuning, features.safety, features.refusal, features.variants,
                   features.concepts, features.types, features.feedback, features.pins);
  std::vector<std::string_view> parts = {"ask/1", version, shape, query.topic, query.question};
  for (const std::string& turn : query.history) parts.push_back(turn);
  return KeyedHash(parts);
}

namespace {

// The question and history as Ask() reads them: curly quotes, dashes, odd spaces and full-width
// letters as their plain forms, so the question is cut into words as the passages were when
// indexed.
AskQuery NormalizedQuery(const AskQuery& raw_query) {
  AskQuery query = raw_query;
  query.question = corpus::NormalizeTypography(raw_query.question);
  for (std::string& turn : query.history) turn = corpus::NormalizeTypography(turn);
  return query;
}

}  // namespace

bool AskHandler::HasCachedAnswer(const AskQuery& raw_query, const AskFeatures& features) const {
  if (cache_ == nullptr || cache_->capacity() == 0 || !ValidateAskQuery(raw_query).ok()) {
    return false;
  }
  const std::shared_ptr<const ServingIndex> serving = index_->Current();
  return cache_->Contains(
      CacheKey(NormalizedQuery(raw_query), features, serving->searcher->version()));
}

absl::StatusOr<AskResult> AskHandler::Ask(const AskQuery& raw_query,
                                          const AskFeatures& features) const {
  if (absl::Status s = ValidateAskQuery(raw_query); !s.ok()) return s;
  if (absl::Status s = CheckDeadline(raw_query, "triage"); !s.ok()) return s;
  const AskQuery query = NormalizedQuery(raw_query);
  const std::shared_ptr<const ServingIndex> serving = index_->Current();
  const index::Searcher* searcher = serving->searcher.get();
  const triage::Triager& triager = *serving->triager;
  const corpus::Vocabulary& vocabulary = triager.vocabulary();

  // Read the message and its history once: triage, scope and topics share the analysis.
  const triage::AnalyzedText message = triager.Analyze(query.question);
  std::vector<triage::AnalyzedText> history;
  history.reserve(query.history.size());
  for (const std::string& turn : query.history) history.push_back(triager.Analyze(turn));
  triage::TriageResult triage;
  if (features.safety) {
    triage = triager.Assess(message, history);
    if (triage.language.other) {
      AskResult result = OtherLanguageResult(triage, triager);
      result.index_version = searcher->version();
      return result;
    }
  }

  // A repeated question: the same answer, with this request's own triage.
  std::optional<KeyedDigest> cache_key;
  if (cache_ != nullptr && cache_->capacity() > 0) {
    cache_key = CacheKey(query, features, searcher->version());
    if (std::optional<AskResult> hit = cache_->Get(*cache_key)) {
      hit->safety = SafetyFrom(triage);
      hit->cache_hit = true;
      return *std::move(hit);
    }
  }

  index::SearchRequest request;
  request.query = query.question;
  if (features.history) request.context = query.history;
  if (features.tuning) {
    MessageParts parts = SplitMessage(query.question, params_.long_message_words);
    request.query = std::move(parts.focus);
    request.background = std::move(parts.background);
    request.background_weight = params_.background_weight;
  }
  request.topic = query.topic;
  request.max_results = query.max_passages == 0 ? kDefaultPassages : query.max_passages;
  request.expand_synonyms = features.synonyms;
  request.correct_spelling = features.spelling;
  request.synonym_weight = params_.synonym_weight;
  request.context_weight =
      features.tuning &&
              LeansOnConversation(request.query, searcher->ContentTerms(request.query).size())
          ? params_.vague_context_weight
          : params_.context_weight;
  if (features.tuning) {
    request.bm25_k1 = params_.bm25_k1;
    request.bm25_b = params_.bm25_b;
    request.phrase_weight = params_.phrase_weight;
    request.heading_weight = params_.heading_weight;
    request.title_weight = params_.title_weight;
    if (features.variants) {
      request.question_weight = params_.question_weight;
      request.entailment_weight = params_.entailment_weight;
    }
    request.same_article_penalty = params_.same_article_penalty;
    request.same_publisher_penalty = params_.same_publisher_penalty;
    request.max_per_article = params_.max_per_article;
    request.near_duplicate_similarity = params_.near_duplicate_similarity;
    request.definition_subject = DefinitionSubject(request.query);
    request.definition_weight = params_.definition_weight;
    request.lead_in_weight = params_.lead_in_weight;
  } else {
    request.bm25_k1 = 1.0;  // Xapian's defaults
    request.bm25_b = 0.5;
    request.phrase_weight = 0;
    request.same_article_penalty = 1;
    request.max_per_article = 0;
  }
  // The question's concepts, focus and type, read from the part of the message searched by.
  const triage::AnalyzedText focus_text =
      request.query == query.question ? triage::AnalyzedText{} : triager.Analyze(request.query);
  const triage::AnalyzedText& question_text =
      request.query == query.question ? message : focus_text;
  const QuestionAnalysis analysis = AnalyzeQuestion(vocabulary, question_text);
  if (features.tuning && features.concepts) {
    for (const corpus::SearchConcept& c : analysis.concepts) {
      const bool qualifier =
          std::find(analysis.qualifier_concepts.begin(), analysis.qualifier_concepts.end(),
                    c.concept_index) != analysis.qualifier_concepts.end();
      const double weight = (c.depth > 0                         ? params_.broader_concept_weight
                             : c.concept_index == analysis.focus ? params_.focus_weight
                                                                 : 1.0) *
                            (qualifier ? params_.qualifier_weight : 1.0);
      request.concepts.push_back({vocabulary.concepts()[c.concept_index].id, weight, c.depth > 0,
                                  c.concept_index == analysis.focus});
    }
    request.concept_weight = params_.concept_weight;
    request.qualifier_words = analysis.qualifier_words;
    request.qualifier_weight = params_.qualifier_weight;
    request.focus_miss_factor = params_.focus_miss_factor;
  }
  if (features.tuning && features.variants && features.history && params_.entailment_history &&
      !history.empty()) {
    request.entailment_context = query.history.back();
    for (const corpus::SearchConcept& c : AnalyzeQuestion(vocabulary, history.back()).concepts) {
      if (c.depth == 0) {
        request.entailment_context_concepts.push_back(vocabulary.concepts()[c.concept_index].id);
      }
    }
  }
  if (features.tuning && features.types) {
    for (corpus::QuestionType t : analysis.types) {
      request.question_types.emplace_back(corpus::QuestionTypeId(t));
    }
    request.type_weight = params_.type_weight;
  }
  if (features.tuning && features.feedback) {
    request.feedback_weight = params_.feedback_weight;
    request.feedback_passages = params_.feedback_passages;
    request.feedback_terms = params_.feedback_terms;
  }
  request.match_pins = features.pins;
  if (absl::Status s = CheckDeadline(query, "the search"); !s.ok()) return s;
  if (query.deadline != std::chrono::steady_clock::time_point::max()) {
    request.time_limit = std::max(std::chrono::milliseconds(1),
                                  std::chrono::duration_cast<std::chrono::milliseconds>(
                                      query.deadline - std::chrono::steady_clock::now()));
  }
  absl::StatusOr<index::SearchResult> found = searcher->Search(request);
  if (!found.ok()) return found.status();
  if (absl::Status s = CheckDeadline(query, "the answer was assembled"); !s.ok()) return s;

  AskResult result;
  result.index_version = searcher->version();
  result.did_you_mean = found->corrected_query;
  for (corpus::QuestionType t : analysis.types) {
    result.understanding.types.emplace_back(corpus::QuestionTypeId(t));
  }
  if (analysis.focus >= 0) result.understanding.focus = vocabulary.concepts()[analysis.focus].id;
  for (const corpus::SearchConcept& c : analysis.concepts) {
    if (c.depth == 0)
      result.understanding.concepts.push_back(vocabulary.concepts()[c.concept_index].id);
  }
  result.safety = SafetyFrom(triage);
  for (const corpus::TopicInfo& t : DetectTopics(vocabulary, message)) {
    result.topics.push_back({std::string(t.id), std::string(t.label)});
  }

  if (!found->hits.empty()) {
    const index::Hit& best = found->hits.front();
    result.best_match = {found->concepts, best.matched_concepts, best.weighted_coverage,
                         best.score};
  }
  bool answered = !found->hits.empty();
  DomainSignal domain;
  if (answered && features.tuning && features.refusal) {
    // Judge the corrected wording: "oxaliplatn" is as much on topic as "oxaliplatin".
    const std::string& wording = result.did_you_mean.empty() ? query.question : result.did_you_mean;
    const triage::AnalyzedText corrected =
        result.did_you_mean.empty() ? triage::AnalyzedText{} : triager.Analyze(wording);
    const std::vector<std::string> words = searcher->ContentTerms(wording);
    domain = ReadDomain(
        {.vocabulary = &vocabulary,
         .message = result.did_you_mean.empty() ? &message : &corrected,
         .question = &question_text,
         .history = features.history ? &history : nullptr,
         .content_words = static_cast<int>(words.size()),
         .single_characters_only =
             !words.empty() && std::all_of(words.begin(), words.end(),
                                           [](const std::string& w) { return w.size() == 1; }),
         .question_words = found->concepts,
         .known_words = found->known_concepts,
         .triaged = triage.level != corpus::TriageLevel::kNone});
    answered = InScope(domain, result.best_match.weighted_coverage);
  }
  result.answered = answered;
  if (answered) {
    result.passages = std::move(found->hits);
    if (!found->pinned.empty()) {
      PutPinnedFirst(std::move(found->pinned), request.max_results, &result.passages);
      result.pinned_answer = found->pin_id;
      result.pin_similarity = found->pin_similarity;
    }
    AnswerOptions answer_options;
    answer_options.definition_subject = request.definition_subject;
    result.answer =
        BuildExtractiveAnswer(result.passages, found->query_terms, *searcher, answer_options);
    if (result.topics.empty()) {
      for (const std::string& id : result.passages.front().topics) {
        for (const corpus::TopicInfo& t : corpus::KnownTopics()) {
          if (t.id == id) result.topics.push_back({id, std::string(t.label)});
        }
      }
    }
  } else {
    result.answer = NoAnswerText(&domain);
    result.quotes_question = !domain.named.empty();
  }
  if (cache_key) cache_->Put(*cache_key, result);
  return result;
}

}  // namespace patientqa::service
