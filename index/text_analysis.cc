#include "index/text_analysis.h"

#include <algorithm>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "index/schema.h"

namespace patientqa::index {
namespace {

// Snowball's English stemmer behind a memo of the words it has stemmed. Every request stems the
// same few thousand words again (the query parser, and MSet::snippet for every word of every
// passage it highlights); a hash lookup is several times cheaper than the Snowball algorithm.
// One per thread, like the Stem it wraps, so the memo needs no lock. Bounded: at
// kMaxMemoEntries words the memo is emptied and starts again, and words longer than
// kMaxMemoWordBytes (never a real English word) are stemmed without being kept.
class MemoizedStem final : public Xapian::StemImplementation {
 public:
  std::string operator()(const std::string& word) override {
    if (word.size() > kMaxMemoWordBytes) return snowball_(word);
    if (auto it = memo_.find(word); it != memo_.end()) return it->second;
    if (memo_.size() >= kMaxMemoEntries) memo_.clear();
    return memo_.emplace(word, snowball_(word)).first->second;
  }
  std::string get_description() const override { return snowball_.get_description(); }

 private:
  static constexpr size_t kMaxMemoEntries = 1 << 16;
  static constexpr size_t kMaxMemoWordBytes = 40;
  Xapian::Stem snowball_{std::string(schema::kStemLanguage)};
  absl::flat_hash_map<std::string, std::string> memo_;
};

}  // namespace

const Xapian::Stem& Stemmer() {
  // Xapian objects are not thread-safe, and copies of a Stem share its state: one per thread.
  // Xapian reference-counts the implementation and deletes it with the last Stem using it.
  thread_local const Xapian::Stem kStem{new MemoizedStem()};
  return kStem;
}

const Xapian::Stopper& Stopper() {
  static const Xapian::SimpleStopper* const kStopper = [] {
    static const char* const kWords[] = {
        "a",       "about",    "after",    "again",   "all",    "am",        "an",     "and",
        "any",     "are",      "as",       "at",      "be",     "been",      "before", "being",
        "but",     "by",       "can",      "could",   "did",    "do",        "does",   "doing",
        "for",     "from",     "had",      "has",     "have",   "having",    "he",     "her",
        "here",    "hers",     "him",      "his",     "how",    "i",         "if",     "in",
        "into",    "is",       "it",       "its",     "itself", "just",      "me",     "might",
        "more",    "most",     "must",     "my",      "myself", "of",        "on",     "or",
        "our",     "ours",     "she",      "should",  "so",     "some",      "such",   "than",
        "that",    "the",      "their",    "them",    "then",   "there",     "these",  "they",
        "this",    "those",    "to",       "too",     "us",     "very",      "was",    "we",
        "were",    "what",     "when",     "where",   "which",  "while",     "who",    "whom",
        "why",     "will",     "with",     "would",   "you",    "your",      "yours",  "im",
        "i'm",     "ive",      "i've",     "dont",    "don't",  "whats",     "what's", "hi",
        "hello",   "please",   "thanks",   "thank",   "tell",   "wondering", "wonder", "know",
        "explain", "anyone",   "somebody", "someone", "really", "also",      "get",    "got",
        "bit",     "ok",       "okay",     "dear",    "doctor", "mean",      "means",  "want",
        "need",    "like",     "yes",      "no",      "not",    "now",       "still",  "say",
        "said",    "one",      "thing",    "things",  "way",    "much",      "many",   "out",
        "up",      "actually", "maybe",    "sure",    "quite",  "lot",       "lots",   "even",
    };
    auto* stopper = new Xapian::SimpleStopper(std::begin(kWords), std::end(kWords));
    return stopper;
  }();
  return *kStopper;
}

std::vector<std::string> ContentTerms(std::string_view text, bool z_prefix) {
  Xapian::TermGenerator tg;
  tg.set_stemmer(Stemmer());
  tg.set_stemming_strategy(z_prefix ? Xapian::TermGenerator::STEM_ALL_Z
                                    : Xapian::TermGenerator::STEM_ALL);
  tg.set_stopper(&Stopper());
  tg.set_stopper_strategy(Xapian::TermGenerator::STOP_ALL);
  Xapian::Document doc;
  tg.set_document(doc);
  tg.index_text_without_positions(std::string(text));
  std::vector<std::string> out;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) out.push_back(*it);
  return out;
}

std::vector<std::string> QuestionFeatures(std::string_view text,
                                          const std::vector<std::string>& concept_ids,
                                          const std::vector<std::string>& type_ids) {
  std::vector<std::string> out = ContentTerms(text, /*z_prefix=*/true);
  for (const std::string& id : concept_ids) {
    out.push_back(absl::StrCat(std::string(schema::kConceptPrefix), id));
  }
  for (const std::string& id : type_ids) {
    out.push_back(absl::StrCat(std::string(schema::kQuestionTypePrefix), id));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace patientqa::index
