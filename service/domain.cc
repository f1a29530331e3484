#include "service/domain.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

namespace patientqa::service {
namespace {

// The strongest scope among the concepts written with each span of `text`: a span counts once.
std::pair<int, int> CountScope(const corpus::Vocabulary& v, const triage::AnalyzedText& text) {
  std::map<std::pair<size_t, size_t>, int> spans;  // 2 strong, 1 weak, 0 none
  for (const triage::ContextualMention& m : text.mentions) {
    const std::string& scope = v.Scope(m.mention.concept_index);
    const int rank = scope == "strong" ? 2 : scope == "weak" ? 1 : 0;
    int& best = spans[{m.mention.begin, m.mention.end}];
    best = std::max(best, rank);
  }
  int strong = 0, weak = 0;
  for (const auto& [span, rank] : spans) {
    strong += rank == 2;
    weak += rank == 1;
  }
  return {strong, weak};
}

bool Mentions(const corpus::Vocabulary& v, const triage::AnalyzedText& text, int concept_index) {
  return std::any_of(text.mentions.begin(), text.mentions.end(),
                     [&](const auto& m) { return v.IsA(m.mention.concept_index, concept_index); });
}

// A mention of `concept_index` (or a narrower concept) whose scope is strong.
bool MentionsStrong(const corpus::Vocabulary& v, const triage::AnalyzedText& text,
                    int concept_index) {
  return std::any_of(text.mentions.begin(), text.mentions.end(), [&](const auto& m) {
    return v.IsA(m.mention.concept_index, concept_index) &&
           v.Scope(m.mention.concept_index) == "strong";
  });
}

bool MentionsType(const corpus::Vocabulary& v, const triage::AnalyzedText& text,
                  std::string_view type) {
  return std::any_of(text.mentions.begin(), text.mentions.end(), [&](const auto& m) {
    return v.concepts()[m.mention.concept_index].type == type;
  });
}

// The words of the first mention of a concept of `type`, as the text has them (normalised).
std::string FirstOfType(const corpus::Vocabulary& v, const triage::AnalyzedText& text,
                        std::string_view type) {
  for (const triage::ContextualMention& m : text.mentions) {
    if (v.concepts()[m.mention.concept_index].type != type) continue;
    if (m.mention.begin >= m.mention.end || m.mention.end > text.tokens.size()) continue;
    const size_t from = text.tokens[m.mention.begin].begin;
    const size_t to = text.tokens[m.mention.end - 1].end;
    return text.normalized.substr(from, to - from);
  }
  return "";
}

// Whether a message with no content words asks something ("who is in it?", "how?") rather than
// acknowledging ("thanks", "ok"): a question word or a question mark.
bool AsksSomething(const triage::AnalyzedText& text) {
  static const std::set<std::string, std::less<>> kQuestionWords = {
      "who",   "what", "whats", "where", "when", "why",  "how",   "which",  "whose", "can",
      "could", "is",   "are",   "does",  "do",   "will", "would", "should", "shall"};
  if (text.normalized.find('?') != std::string::npos) return true;
  return std::any_of(text.tokens.begin(), text.tokens.end(),
                     [](const corpus::Token& t) { return kQuestionWords.count(t.text) > 0; });
}

}  // namespace

DomainSignal ReadDomain(const DomainInput& input) {
  const corpus::Vocabulary& v = *input.vocabulary;
  DomainSignal s;
  std::tie(s.strong, s.weak) = CountScope(v, *input.message);
  const triage::AnalyzedText& question = input.question ? *input.question : *input.message;
  // Spread in a word only this subject uses ("metastases", "liver mets"), not "spread".
  const bool strong_spread = MentionsStrong(v, *input.message, v.Find("metastasis"));
  const bool stage = Mentions(v, *input.message, v.Find("advanced-stage"));
  const bool bowel_cancer =
      Mentions(v, *input.message, v.Find("colorectal")) &&
      (Mentions(v, *input.message, v.Find("cancer")) || strong_spread || stage);
  s.other_cancer = MentionsType(v, question, "other-disease") && !bowel_cancer;
  s.other_condition = MentionsType(v, question, "other-condition");
  s.animal_patient = MentionsType(v, *input.message, "animal-patient");
  s.names_the_cancer = bowel_cancer || strong_spread || stage ||
                       Mentions(v, *input.message, v.Find("anticancer-treatment"));
  s.outside_subject = MentionsType(v, question, "outside-subject") &&
                      !Mentions(v, *input.message, v.Find("metastasis")) &&
                      !Mentions(v, *input.message, v.Find("advanced-stage"));
  if (s.other_cancer || s.outside_subject) {
    s.named = FirstOfType(v, question, s.other_cancer ? "other-disease" : "outside-subject");
  }
  if (input.history) {
    for (const triage::AnalyzedText& turn : *input.history) {
      s.history_strong |= CountScope(v, turn).first > 0;
    }
  }
  s.triaged = input.triaged;
  s.short_question = input.content_words <= 3;
  s.no_words = input.single_characters_only;
  s.known_words = input.question_words == 0
                      ? AsksSomething(question)
                      : input.known_words > 0 && 2 * input.known_words >= input.question_words;
  return s;
}

bool InScope(const DomainSignal& s, double weighted_coverage) {
  if (s.other_cancer || s.outside_subject || s.animal_patient) return false;
  if (s.triaged) return true;
  if (s.no_words) return false;
  if (s.other_condition && !s.names_the_cancer) return false;
  if (s.strong > 0 || s.weak >= 2) return true;
  if (s.history_strong && s.known_words && (s.short_question || s.weak > 0)) return true;
  // A question the best passage matches for most of its weight, rare words included, is in scope
  // even without a listed word ("What is portal vein embolisation?", "Who can help us with money
  // worries and benefits?"). Off-topic questions in the gold set match at most 0.46.
  return weighted_coverage >= 0.55;
}

std::vector<corpus::TopicInfo> DetectTopics(const corpus::Vocabulary& vocabulary,
                                            const triage::AnalyzedText& text) {
  std::set<std::string> found;
  for (const triage::ContextualMention& m : text.mentions) {
    for (std::string& t : vocabulary.Topics(m.mention.concept_index)) found.insert(std::move(t));
  }
  std::vector<corpus::TopicInfo> out;
  for (const corpus::TopicInfo& topic : corpus::KnownTopics()) {
    if (found.count(std::string(topic.id))) out.push_back(topic);
  }
  return out;
}

}  // namespace patientqa::service
