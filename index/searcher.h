#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/language/clinical_rules.h"

namespace patientqa::index {

struct SearchRequest {
  std::string query;
  // Earlier turns of the conversation: their words count, with `context_weight`, so that a
  // follow-up is read in context without old topics outweighing the new question.
  std::vector<std::string> context;
  double context_weight = 0.3;
  // The back-story of a long message (its sentences other than the question), and its weight.
  std::string background;
  double background_weight = 0.3;
  std::string topic;  // boolean filter on article topic; empty for all
  int max_results = 5;
  // At most this many passages from one article in the results (0: no limit).
  int max_per_article = 2;
  // Expand question words with the index's synonym table (off: plain BM25 baseline).
  bool expand_synonyms = true;
  double synonym_weight = 0.5;  // relative to the question's own words
  double phrase_weight = 0.25;  // bonus for adjacent question words found together (0: off)
  double heading_weight = 0;    // bonus for question words in the passage's section heading
  double title_weight = 0;      // bonus for question words in the article title
  // Bonus for question words in the questions the passage's section answers (corpus/questions/).
  double question_weight = 0;
  // Concept terms (corpus/language/search_concepts.h): the search concepts the question names
  // and their broader concepts, each with its weight relative to the others (the caller gives
  // broader concepts less). A passage naming one scores as for a question word of that rarity,
  // times `concept_weight` (0: off), so "mets" meets "secondaries" and "colon" meets "bowel".
  struct ConceptTerm {
    std::string id;  // concept id in the vocabulary
    double weight = 1;
    bool broader = false;  // a broader concept of one the question names
    bool focus = false;    // the concept the question is mainly about
  };
  std::vector<ConceptTerm> concepts;
  double concept_weight = 0;
  // Question types (corpus/language/question_type.h ids: "schedule", "treatment", ...) the
  // question asks. A passage whose section answers one (by its heading or at least two of its
  // question variants) gets a bonus: the type's BM25 weight times `type_weight` (0: off).
  std::vector<std::string> question_types;
  double type_weight = 0;
  // A passage that does not name the question's focus concept (ConceptTerm::focus), nor a
  // narrower one, scores this much of its weight (1: off): "which chemo drugs are used for
  // stage 4 colon cancer?" is about chemotherapy, whatever else a passage on stage 4 matches.
  double focus_miss_factor = 1;
  // Words of the library's whole subject in a question about something else (service::
  // QuestionAnalysis::qualifier_words: "stage", "4", "colon", "cancer" in "which chemo drugs
  // are used for stage 4 colon cancer?"): their terms, synonyms, field and phrase terms weigh
  // `qualifier_weight` times as much (1: off). Coverage, and so scope, still counts them fully.
  std::vector<std::string> qualifier_words;
  double qualifier_weight = 1;
  // In a question asking what something is (`definition_subject` set), the words around the
  // subject ("my oncologist keeps saying" in "My oncologist keeps saying 'mets' - what are
  // mets?") weigh this much (1: off).
  double lead_in_weight = 1;
  // Question entailment (as CHiQA matches a consumer question to known questions): a passage's
  // score is multiplied by 1 + `entailment_weight` x the similarity of the question to the
  // closest of its section's question variants (weighted Jaccard over content-word stems,
  // concepts and question types, each weighted by its rarity; halved for a variant without the
  // question's focus concept: 0..1). 0: off.
  double entailment_weight = 0;
  // A follow-up's earlier turn, for question entailment only: "how should he take it?" after
  // "Dad has been started on capecitabine" is compared with the known questions as one question
  // with it ("How do you take capecitabine tablets?"). Its content words and these concept ids
  // join the question's features. Empty: the question alone.
  std::string entailment_context;
  std::vector<std::string> entailment_context_concepts;
  // Pseudo-relevance feedback (Rocchio-style, Xapian's RSet/ESet): the best `feedback_passages`
  // of a first match are taken as relevant, their `feedback_terms` most telling word stems are
  // added to the query at `feedback_weight`, and the match runs again (0 weight: off).
  int feedback_passages = 3;
  int feedback_terms = 10;
  double feedback_weight = 0;
  // Replace words the index does not know by the closest word it does (edit distance <= 2).
  bool correct_spelling = true;
  // BM25 parameters (Xapian's defaults are k1=1, b=0.5): a low k1 saturates repeated words
  // quickly, so passages covering more of the question's ideas rank above ones repeating one word.
  double bm25_k1 = 1.2;
  double bm25_b = 0.75;
  // Diversity: each passage's score is multiplied by this for every better-ranked passage from
  // the same article, so that one article does not fill the top of the list (1: off).
  double same_article_penalty = 0.7;
  // The same per better-ranked passage from the same publisher: answers that quote more than
  // one source let a reader compare them (1: off).
  double same_publisher_penalty = 1.0;
  // For a question asking what something is ("What is FOLFOX?"): that thing, and the bonus for
  // a passage with a sentence that defines it or one of its synonyms ("FOLFOX is ...",
  // "Capecitabine is ..." for "Xeloda", "An MDT, or multidisciplinary team, is ..."). The
  // passage's score is multiplied by 1 + `definition_weight`.
  std::string definition_subject;
  double definition_weight = 0;
  // A passage whose wording is this similar (5-word shingles, Jaccard) to a better-ranked one is
  // left out: the same paragraph published twice says nothing new (0: keep all).
  double near_duplicate_similarity = 0;
  // Pinned answers (corpus/clinical/pinned-answers.txt, stored with the index): match the
  // question against their intents and return the chosen passages in SearchResult::pinned. The
  // caller turns this on only for a question it will answer (never for a refused one).
  bool match_pins = false;
  // How long the match may run (Xapian's Enquire::set_time_limit): past it, the MSet holds the
  // best passages found so far. 0 or less: no limit.
  std::chrono::milliseconds time_limit{0};
};

struct Hit {
  std::string passage_id;  // "<article id>#<ordinal>"
  std::string article_id;
  std::string title;
  std::string publisher;
  std::string url;
  std::string updated;
  std::string reviewed;  // the article's last clinical review, YYYY-MM-DD; "" when unknown
  std::string section;
  std::string text;  // verbatim passage text
  // HTML-escaped text with matched words wrapped in <mark>...</mark>: the whole passage when it
  // is at most 1,024 bytes long, else its best 400 bytes with "…" where text is left out.
  std::string snippet;
  std::vector<std::string> topics;
  double score = 0;
  int percent = 0;  // Xapian's relevance percentage, 0..100
  // How many of the question's content words (SearchResult::concepts) this passage matches,
  // directly or through a synonym.
  int matched_concepts = 0;
  int section_position = 0;  // 0: the first passage under its heading
  // Similarity of the question to the closest question variant of its section (0..1).
  double entailment = 0;
  // The same, each word weighted by its rarity in the index (words it lacks weigh most): 0..1.
  double weighted_coverage = 0;
  // Chosen for this question by a pinned answer (a clinician's choice), not by the ranking.
  bool pinned = false;
};

struct SearchResult {
  std::vector<Hit> hits;  // best first
  // Stemmed content terms of the query (after stop words), for answer assembly.
  std::vector<std::string> query_terms;
  int concepts = 0;             // content words in the question (stop words left out)
  int known_concepts = 0;       // of those, words the index has (directly or by a synonym)
  std::string corrected_query;  // the question with misspellings corrected; empty if none
  // When SearchRequest::match_pins is on and the question matches a pinned answer's intent: its
  // passages in the pin's order (those on the request's topic), each marked `pinned`, with
  // snippets and coverage as for `hits`; the pin's id and the question's similarity to its
  // closest example question (1 for a pin with concepts only). `hits` stays the ranking and may
  // hold the same passages: the caller puts these first and leaves those out.
  std::vector<Hit> pinned;
  std::string pin_id;
  double pin_similarity = 0;
};

struct ArticleRecord {
  std::string id, title, publisher, url, updated, language;
  std::vector<std::string> topics, references;
  std::string body;
  // Governance: last review and next review (YYYY-MM-DD) and the reviewer's role; "" when the
  // source does not say.
  std::string reviewed, review_due, reviewer;
};

// One sentence of a passage (corpus::SplitSentences), as answer assembly reads it.
struct PassageSentence {
  std::string text;
  size_t words = 0;                // corpus::CountWords(text)
  std::vector<std::string> terms;  // Searcher::ContentTerms(text)
};

// Read-only access to one index generation. Thread-safe: each search takes its own Xapian
// database handle from a small pool, so searches run concurrently without a shared lock.
class Searcher {
 public:
  // Opens the index at `path` (the link written by BuildIndex, or a generation directory). The
  // link is resolved once: a later rebuild does not change what this Searcher reads.
  static absl::StatusOr<std::unique_ptr<Searcher>> Open(const std::filesystem::path& path);

  // The generation directory `path` currently points at (to notice rebuilds).
  static absl::StatusOr<std::filesystem::path> ResolveGeneration(const std::filesystem::path& path);

  ~Searcher();

  absl::StatusOr<SearchResult> Search(const SearchRequest& request) const;

  // The stemmed content terms of `text`, with the index's stemmer and stop words.
  std::vector<std::string> ContentTerms(std::string_view text) const;

  // `hit`'s text cut into sentences, each with its word count and content terms. Worked out once
  // per passage of this generation and kept (up to a bound), so that every answer quoting a
  // passage does not split and stem it again; never null.
  std::shared_ptr<const std::vector<PassageSentence>> Sentences(const Hit& hit) const;

  // For each of `sentences`, whether it defines `subject` or one of its synonyms in the index's
  // table ("FOLFOX is ...", "Capecitabine is ..." for "xeloda"), as SearchRequest's
  // definition_subject judges passages. All false when the index cannot be read.
  std::vector<bool> Defines(const std::vector<std::string>& sentences,
                            std::string_view subject) const;

  absl::StatusOr<ArticleRecord> GetArticle(std::string_view id) const;
  // Every article in the index, sorted by title.
  absl::StatusOr<std::vector<ArticleRecord>> ListArticles() const;

  // The clinical rule files this generation was built with (see BuildOptions::clinical).
  const corpus::ClinicalFiles& clinical_files() const;

  const std::string& version() const;
  const std::filesystem::path& generation() const;
  int passage_count() const;
  int article_count() const;

 private:
  struct Impl;
  explicit Searcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace patientqa::index
