#include "index/searcher.h"

#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <shared_mutex>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "corpus/language/english_words.h"
#include "corpus/text.h"
#include "index/generations.h"
#include "index/pinned_answers.h"
#include "index/schema.h"
#include "index/text_analysis.h"

namespace patientqa::index {
namespace fs = std::filesystem;

namespace {

// Database handles for one generation, handed out one per search.
class DatabasePool {
 public:
  explicit DatabasePool(std::string path) : path_(std::move(path)) {}

  class Lease {
   public:
    Lease(DatabasePool* pool, std::unique_ptr<Xapian::Database> db)
        : pool_(pool), db_(std::move(db)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (db_) pool_->Return(std::move(db_));
    }
    Xapian::Database& operator*() { return *db_; }

   private:
    DatabasePool* pool_;
    std::unique_ptr<Xapian::Database> db_;
  };

  // Throws Xapian::Error when the database cannot be opened.
  Lease Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        auto db = std::move(free_.back());
        free_.pop_back();
        return Lease(this, std::move(db));
      }
    }
    return Lease(this, std::make_unique<Xapian::Database>(path_));
  }

 private:
  void Return(std::unique_ptr<Xapian::Database> db) {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.size() < kMaxIdle) free_.push_back(std::move(db));
  }

  static constexpr size_t kMaxIdle = 16;
  const std::string path_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Xapian::Database>> free_;
};

// The index's words as the query builder asks about them: term frequencies (cached for the
// generation's lifetime, up to kMaxCachedTerms terms) and the synonym table (read whole at
// open), so that a question costs B-tree lookups only for words not seen before.
struct LexiconCache {
  static constexpr size_t kMaxCachedTerms = 200000;
  std::unordered_map<std::string, std::vector<std::string>> synonyms;
  double doccount = 0;
  mutable std::shared_mutex mu;
  mutable std::unordered_map<std::string, Xapian::doccount> termfreq;

  void Load(const Xapian::Database& db) {
    doccount = db.get_doccount();
    for (auto key = db.synonym_keys_begin(); key != db.synonym_keys_end(); ++key) {
      std::vector<std::string>& list = synonyms[*key];
      for (auto it = db.synonyms_begin(*key); it != db.synonyms_end(*key); ++it) {
        list.push_back(*it);
      }
    }
  }
};

// One search's view of the lexicon: the database and the generation's cache.
class Lexicon {
 public:
  Lexicon(const Xapian::Database& db, const LexiconCache& cache) : db_(db), cache_(cache) {}

  Xapian::doccount get_termfreq(const std::string& term) const {
    {
      std::shared_lock lock(cache_.mu);
      auto it = cache_.termfreq.find(term);
      if (it != cache_.termfreq.end()) return it->second;
    }
    const Xapian::doccount df = db_.get_termfreq(term);
    std::unique_lock lock(cache_.mu);
    if (cache_.termfreq.size() < LexiconCache::kMaxCachedTerms) cache_.termfreq.emplace(term, df);
    return df;
  }
  bool term_exists(const std::string& term) const { return get_termfreq(term) > 0; }
  double get_doccount() const { return cache_.doccount; }
  const std::vector<std::string>& synonyms(const std::string& key) const {
    static const std::vector<std::string> kNone;
    auto it = cache_.synonyms.find(key);
    return it == cache_.synonyms.end() ? kNone : it->second;
  }
  bool has_synonyms(const std::string& key) const { return !synonyms(key).empty(); }
  std::string get_spelling_suggestion(const std::string& word, unsigned edits) const {
    return db_.get_spelling_suggestion(word, edits);
  }

 private:
  const Xapian::Database& db_;
  const LexiconCache& cache_;
};

std::vector<std::string> JsonStrings(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key)) {
    for (const auto& v : j.at(key)) out.push_back(v.get<std::string>());
  }
  return out;
}

// The index term for a question word: its stem (STEM_SOME indexes every word stemmed with a 'Z'
// prefix), else the word itself (numbers are not stemmed).
std::string BaseTerm(const Lexicon& db, const std::string& word) {
  std::string stemmed = absl::StrCat("Z", Stemmer()(word));
  if (db.term_exists(stemmed)) return stemmed;
  return db.term_exists(word) ? word : stemmed;
}

// Synonyms from the index's table for the word at `i`, and for phrases of up to three words
// starting there; `word_synonyms` says whether single-word keys may be used.
std::set<std::string> SynonymsAt(const Lexicon& db, const std::vector<std::string>& words, size_t i,
                                 bool word_synonyms) {
  std::set<std::string> out;
  auto lookup = [&](const std::string& key) {
    for (const std::string& synonym : db.synonyms(key)) out.insert(synonym);
  };
  if (word_synonyms) {
    lookup(words[i]);
    lookup(absl::StrCat("Z", Stemmer()(words[i])));
  }
  std::string phrase = words[i];
  for (size_t n = 1; n < 3 && i + n < words.size(); ++n) {
    phrase += " " + words[i + n];
    lookup(phrase);
  }
  return out;
}

// A passage of the MSet, before a Hit is made of it: its record (decoded when the index was
// opened) and its scores. Copying a record's strings is left for the passages kept.
struct PassageRecord {
  Hit hit;                       // citation and text, without scores
  std::vector<size_t> shingles;  // corpus::WordShingles(hit.text)
  // Its word, stem, question-variant and concept terms (the kinds a query's content words match,
  // QueryPlan::concepts), as numbers of the searcher's term table, sorted: the focus and coverage
  // tests read them instead of the passage's term list.
  std::vector<int> terms;
  // Hashes of the stems of the first two words of each sentence (corpus::SplitSentences): a
  // sentence can define a subject (LeadDefines) only when one of them is the subject's first stem.
  std::vector<size_t> lead_stems;
  // Numbers for hit.article_id and hit.publisher (the same string, the same number), so that
  // Diversify counts what it has taken of each without comparing strings.
  int article = 0;
  int publisher = 0;
};

struct RankedPassage {
  Xapian::docid docid = 0;
  const PassageRecord* record = nullptr;
  double score = 0;
  int percent = 0;
  double entailment = 0;

  Hit ToHit() const {
    Hit hit = record->hit;
    hit.score = score;
    hit.percent = percent;
    hit.entailment = entailment;
    return hit;
  }
};

// Greedy re-ranking: at each rank take the passage with the best score after a penalty for each
// passage of its article (and publisher) already taken, and at most `max_per_article` (0: any
// number) of one article among the first five. Passages nearly the same as one already taken
// (similarity >= `near_duplicate`, when above 0, over their records' shingles) are dropped.
// Keeps at most `keep` passages.
void Diversify(std::vector<RankedPassage>* ranked, const SearchRequest& request, int keep) {
  std::vector<RankedPassage> out;
  std::vector<const std::vector<size_t>*> taken_shingles;
  // How many passages of each article and publisher (by number) are taken: at most `keep`
  // entries each, so a linear scan beats a map.
  std::vector<std::pair<int, int>> taken;
  std::vector<std::pair<int, int>> by_publisher;
  const auto count = [](const std::vector<std::pair<int, int>>& counts, int id) {
    for (const auto& [key, n] : counts) {
      if (key == id) return n;
    }
    return 0;
  };
  const auto add = [](std::vector<std::pair<int, int>>& counts, int id) {
    for (auto& [key, n] : counts) {
      if (key == id) return void(++n);
    }
    counts.emplace_back(id, 1);
  };
  std::vector<bool> used(ranked->size(), false);
  while (static_cast<int>(out.size()) < keep) {
    int best = -1;
    double best_score = 0;
    for (size_t i = 0; i < ranked->size(); ++i) {
      if (used[i]) continue;
      const RankedPassage& r = (*ranked)[i];
      const int of_article = count(taken, r.record->article);
      if (request.max_per_article > 0 && out.size() < 5 && of_article >= request.max_per_article) {
        continue;
      }
      const double s =
          r.score * std::pow(request.same_article_penalty, of_article) *
          std::pow(request.same_publisher_penalty, count(by_publisher, r.record->publisher));
      if (best < 0 || s > best_score) {
        best = static_cast<int>(i);
        best_score = s;
      }
    }
    if (best < 0) break;
    used[best] = true;
    RankedPassage& passage = (*ranked)[best];
    if (request.near_duplicate_similarity > 0) {
      const std::vector<size_t>& mine = passage.record->shingles;
      if (std::any_of(taken_shingles.begin(), taken_shingles.end(), [&](const auto* other) {
            return corpus::ShingleSimilarity(mine, *other) >= request.near_duplicate_similarity;
          })) {
        continue;
      }
      taken_shingles.push_back(&mine);
    }
    add(taken, passage.record->article);
    add(by_publisher, passage.record->publisher);
    passage.score = best_score;  // the score it was ranked by, so scores fall with rank
    out.push_back(passage);
  }
  *ranked = std::move(out);
}

// Whether the synonym table (the clinical vocabulary's search terms) has `word`.
bool InVocabulary(const Lexicon& db, const std::string& word) {
  return db.has_synonyms(word) || db.has_synonyms(absl::StrCat("Z", Stemmer()(word)));
}

// The word the index knows that `word` was most likely meant to be, or "" when `word` is known (or
// a stop word, a number, or too short to judge) or nothing close enough is. An English word the
// index lacks is taken for a slip only when the correction is a word of the clinical vocabulary:
// "bowl cancer" means "bowel", "clinical trails" means "trials", but "kids" is not "kinds".
std::string CorrectSpelling(const Lexicon& db, const std::string& word) {
  if (word.size() < 4 || Stopper()(word) || std::isdigit(static_cast<unsigned char>(word[0])) ||
      db.term_exists(word) || db.term_exists(absl::StrCat("Z", Stemmer()(word))) ||
      db.has_synonyms(word)) {
    return "";
  }
  // A possessive or contraction of a known or English word is no slip: "mum's" is not "mumps".
  if (const size_t apostrophe = word.find('\''); apostrophe != std::string::npos) {
    const std::string base = word.substr(0, apostrophe);
    if (db.term_exists(base) || corpus::EnglishWords().Contains(base)) return "";
  }
  // One edit for short words, two for long ones: "forever" must not become "fever".
  std::string suggestion = db.get_spelling_suggestion(word, word.size() >= 8 ? 2 : 1);
  // Typing slips rarely change the first letter; "water" must not become "later".
  if (suggestion.empty() || suggestion == word || suggestion[0] != word[0]) return "";
  if (corpus::EnglishWords().Contains(word) && !InVocabulary(db, suggestion)) return "";
  return suggestion;
}

// The names a definition may use for `subject` (its words spelling-corrected): its own words and
// its synonyms in the index's table, each as a sequence of stems.
std::vector<std::vector<std::string>> SubjectVariants(const Lexicon& db,
                                                      const std::string& subject) {
  std::vector<std::string> words = corpus::LowerCaseWords(subject);
  for (std::string& w : words) {
    if (std::string fixed = CorrectSpelling(db, w); !fixed.empty()) w = std::move(fixed);
  }
  std::vector<std::vector<std::string>> out;
  auto add_words = [&](const std::vector<std::string>& ws) {
    std::vector<std::string> stems;
    for (const std::string& w : ws) stems.push_back(Stemmer()(w));
    if (!stems.empty() && std::find(out.begin(), out.end(), stems) == out.end()) {
      out.push_back(std::move(stems));
    }
  };
  add_words(words);
  std::set<std::string> keys = {absl::StrJoin(words, " ")};
  if (words.size() == 1) keys.insert(absl::StrCat("Z", Stemmer()(words[0])));
  for (const std::string& key : keys) {
    for (const std::string& synonym : db.synonyms(key)) {
      if (synonym.rfind('Z', 0) == 0 && synonym.find(' ') == std::string::npos) {
        out.push_back({synonym.substr(1)});  // already a stem
      } else {
        add_words(corpus::LowerCaseWords(synonym));
      }
    }
  }
  return out;
}

// Whether a sentence whose tokens (corpus::LowerCaseTokens with "(),") are `tokens` defines one
// of `variants`: "[A|An|The] <name> [(...) | , ..., ] is|are|means|stands for|refers to ...".
// Reads at most the first (name length) + 10 tokens.
bool LeadDefines(const std::vector<std::string>& tokens,
                 const std::vector<std::vector<std::string>>& variants) {
  static const std::set<std::string> kVerbs = {"is", "are", "means", "mean", "stands", "refers"};
  size_t start = 0;
  if (!tokens.empty() && (tokens[0] == "a" || tokens[0] == "an" || tokens[0] == "the")) start = 1;
  for (const auto& stems : variants) {
    if (tokens.size() < start + stems.size() + 1) continue;
    bool same = true;
    for (size_t k = 0; k < stems.size() && same; ++k) {
      same = Stemmer()(tokens[start + k]) == stems[k];
    }
    if (!same) continue;
    size_t next = start + stems.size();
    // An aside between the name and the verb: "(carcinoembryonic antigen)", ", or team,".
    if (tokens[next] == "(" || tokens[next] == ",") {
      const std::string close = tokens[next] == "(" ? ")" : ",";
      size_t end = next + 1;
      while (end < tokens.size() && end <= next + 6 && tokens[end] != close) ++end;
      if (end >= tokens.size() || tokens[end] != close) continue;
      next = end + 1;
    }
    if (next < tokens.size() && kVerbs.count(tokens[next])) return true;
  }
  return false;
}

// Whether `term` is of a kind a question's content word matches (QueryPlan::concepts): a word,
// a stem ('Z'), a question-variant stem ("ZXQ") or a concept ("XC"); not a title, heading, id,
// article, topic or type term.
bool IsContentTerm(const std::string& term) {
  if (term.empty()) return false;
  if (term[0] == 'Z') return true;
  if (term.rfind(schema::kConceptPrefix, 0) == 0) return true;
  return !std::isupper(static_cast<unsigned char>(term[0]));
}

// Hashes of the stems of the first two words of each sentence of `text` (PassageRecord).
std::vector<size_t> LeadStems(const std::string& text) {
  std::vector<size_t> out;
  for (const std::string& sentence : corpus::SplitSentences(text)) {
    for (const std::string& word : corpus::LowerCaseTokens(sentence, "", 2)) {
      out.push_back(std::hash<std::string>()(Stemmer()(word)));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Whether a sentence of `text` defines one of `variants` (LeadDefines). Only the start of each
// sentence is tokenised: its first (longest name) + 10 words give every token LeadDefines reads.
bool DefinesSubject(const std::string& text,
                    const std::vector<std::vector<std::string>>& variants) {
  size_t longest = 0;
  for (const auto& stems : variants) longest = std::max(longest, stems.size());
  for (const std::string& sentence : corpus::SplitSentences(text)) {
    if (LeadDefines(corpus::LowerCaseTokens(sentence, "(),", longest + 10), variants)) return true;
  }
  return false;
}

// A question turned into a query: each content word's own term at full weight, and each of its
// synonyms as a term of its own at `synonym_weight`, so a rare synonym ("intestinal" for
// "colon") keeps its rarity. Merging a group into one OP_SYNONYM term makes everyday words such as
// "bowel" or "spread" match nearly every passage of this corpus and weigh nothing; on the gold set
// separate terms measured 0.812 Success@3 against 0.803. Adjacent content words also count as a
// phrase, at `phrase_weight`. (OP_MAX over a word and its synonyms would count an idea once, but
// Xapian 1.4.22's matcher crashes on some OP_OR trees containing OP_MAX.)
struct QueryPlan {
  Xapian::Query query;
  std::vector<std::set<std::string>> concepts;  // index terms that match each content word
  std::vector<double> concept_weights;          // each content word's rarity (idf)
  std::string corrected;                        // the text with misspellings corrected, or ""
};

// Rebuilds `text` with the words at the given positions (as corpus::WordSpans counts them)
// replaced.
std::string ReplaceWords(const std::string& text, const std::map<size_t, std::string>& fixes) {
  std::string out;
  size_t last = 0;
  const std::vector<corpus::WordSpan> spans = corpus::WordSpans(text);
  for (size_t k = 0; k < spans.size(); ++k) {
    auto it = fixes.find(k);
    if (it == fixes.end()) continue;
    out.append(text, last, spans[k].begin - last);
    out += it->second;
    last = spans[k].end;
  }
  out.append(text, last, std::string::npos);
  return out;
}

// The words of a "what is X?" question's subject that keep their full weight when
// `lead_in_weight` is set (SearchRequest::lead_in_weight): its content words, spelling-corrected
// as the question's words are ("peritonial" is "peritoneal"); stop words are left out, since in
// "peritonial mets what does it mean" the subject read is "it". Empty: no lead-in weighting.
std::set<std::string> LeadInSubjectWords(const Lexicon& db, const SearchRequest& options) {
  std::set<std::string> out;
  if (options.lead_in_weight == 1 || options.definition_subject.empty()) return out;
  for (std::string& w : corpus::LowerCaseWords(options.definition_subject)) {
    if (Stopper()(w)) continue;
    if (options.correct_spelling) {
      if (std::string fixed = CorrectSpelling(db, w); !fixed.empty()) w = std::move(fixed);
    }
    out.insert(std::move(w));
  }
  return out;
}

// `subject_words`: LeadInSubjectWords, read once per search for the question and its turns.
QueryPlan BuildQuery(const Lexicon& db, const std::string& text, const SearchRequest& options,
                     const std::set<std::string>& subject_words) {
  QueryPlan plan;
  std::vector<std::string> words = corpus::LowerCaseWords(text);
  std::map<size_t, std::string> fixes;
  if (options.correct_spelling) {
    for (size_t i = 0; i < words.size(); ++i) {
      if (std::string fixed = CorrectSpelling(db, words[i]); !fixed.empty()) {
        fixes[i] = fixed;
        words[i] = std::move(fixed);
      }
    }
    if (!fixes.empty()) plan.corrected = ReplaceWords(text, fixes);
  }
  std::vector<Xapian::Query> parts;
  const std::set<std::string> qualifiers(options.qualifier_words.begin(),
                                         options.qualifier_words.end());
  for (size_t i = 0; i < words.size(); ++i) {
    // Every part a qualifier word adds below weighs qualifier_weight times as much.
    const size_t first_part = parts.size();
    const bool qualifier = options.qualifier_weight != 1 && qualifiers.count(words[i]) > 0;
    const bool lead_in = !subject_words.empty() && subject_words.count(words[i]) == 0;
    const bool stop = Stopper()(words[i]);
    const std::set<std::string> alternatives =
        options.expand_synonyms ? SynonymsAt(db, words, i, !stop) : std::set<std::string>{};
    if (stop && alternatives.empty()) continue;
    std::set<std::string> concept_terms;
    const std::string base = stop ? "" : BaseTerm(db, words[i]);
    if (!stop && db.term_exists(base)) {
      parts.emplace_back(base, 1, static_cast<Xapian::termpos>(i + 1));
      concept_terms.insert(base);
      // The same word in a section heading or the title, as a field of its own (BM25F-like):
      // headings here are the questions patients ask, so a match there says a lot.
      if (base[0] == 'Z') {
        for (auto [prefix, weight] : {std::pair{schema::kHeadingPrefix, options.heading_weight},
                                      std::pair{schema::kTitlePrefix, options.title_weight}}) {
          const std::string field_term = absl::StrCat("Z", std::string(prefix), base.substr(1));
          if (weight > 0 && db.term_exists(field_term)) {
            parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(field_term), weight);
          }
        }
      }
    }
    // The word among the questions the passage's section answers (corpus/questions/): the words
    // patients use, which the passage itself may not. A word only the questions use counts
    // towards coverage through them.
    if (!stop && options.question_weight > 0) {
      const std::string field_term =
          absl::StrCat("Z", std::string(schema::kQuestionPrefix), Stemmer()(words[i]));
      if (db.term_exists(field_term)) {
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(field_term),
                           options.question_weight);
        if (concept_terms.empty()) concept_terms.insert(field_term);
      }
    }
    std::vector<Xapian::Query> others;
    for (const std::string& alt : alternatives) {
      if (alt == base) continue;
      if (alt.find(' ') == std::string::npos) {
        if (!db.term_exists(alt)) continue;
        others.emplace_back(alt);
        concept_terms.insert(alt);
        continue;
      }
      // A phrase synonym ("hair loss"): its words, next to each other.
      const std::vector<std::string> alt_words = corpus::LowerCaseWords(alt);
      std::vector<Xapian::Query> phrase;
      for (const std::string& w : alt_words) {
        if (db.term_exists(w)) phrase.emplace_back(w);
      }
      if (phrase.size() > 1 && phrase.size() == alt_words.size()) {
        others.emplace_back(Xapian::Query::OP_PHRASE, phrase.begin(), phrase.end(), phrase.size());
        concept_terms.insert(alt_words.begin(), alt_words.end());
      }
    }
    if (!others.empty()) {
      if (concept_terms.count(base)) {
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                           Xapian::Query(Xapian::Query::OP_OR, others.begin(), others.end()),
                           options.synonym_weight);
      } else {
        // A word the articles never use ("Xeloda", "mets") stands for its synonyms: each keeps
        // its own rarity, and together they weigh about as much as one word.
        parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT,
                           Xapian::Query(Xapian::Query::OP_OR, others.begin(), others.end()),
                           1.0 / std::sqrt(static_cast<double>(others.size())));
      }
    }
    // Every content word counts towards coverage, even one the index does not have: that is
    // what makes "how do I get rid of moss on my lawn?" a weak match for a passage on treatment.
    if (!stop) {
      Xapian::doccount df = 0;
      for (const std::string& t : concept_terms) df = std::max(df, db.get_termfreq(t));
      const double n = db.get_doccount();
      plan.concept_weights.push_back(std::log((n + 0.5) / (df + 0.5)));
      plan.concepts.push_back(std::move(concept_terms));
    }
    if (options.phrase_weight > 0 && !stop && i + 1 < words.size() && !Stopper()(words[i + 1]) &&
        db.term_exists(words[i]) && db.term_exists(words[i + 1])) {
      const Xapian::Query pair[] = {Xapian::Query(words[i]), Xapian::Query(words[i + 1])};
      parts.emplace_back(
          Xapian::Query::OP_SCALE_WEIGHT,
          Xapian::Query(Xapian::Query::OP_PHRASE, std::begin(pair), std::end(pair), 2),
          options.phrase_weight);
    }
    const double factor =
        (qualifier ? options.qualifier_weight : 1.0) * (lead_in ? options.lead_in_weight : 1.0);
    if (factor != 1) {
      for (size_t p = first_part; p < parts.size(); ++p) {
        parts[p] = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, parts[p], factor);
      }
    }
  }
  plan.query = Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
  return plan;
}

// Extra weight for chosen documents, as a Xapian posting source: `bonus` is (docid, weight).
class DocumentBonus : public Xapian::PostingSource {
 public:
  explicit DocumentBonus(std::vector<std::pair<Xapian::docid, double>> bonus)
      : bonus_(std::move(bonus)) {
    std::sort(bonus_.begin(), bonus_.end());
  }
  Xapian::doccount get_termfreq_min() const override { return bonus_.size(); }
  Xapian::doccount get_termfreq_est() const override { return bonus_.size(); }
  Xapian::doccount get_termfreq_max() const override { return bonus_.size(); }
  void init(const Xapian::Database&) override {
    pos_ = kBefore;
    double max = 0;
    for (const auto& [docid, w] : bonus_) max = std::max(max, w);
    set_maxweight(max);
  }
  void next(double) override { pos_ = pos_ == kBefore ? 0 : pos_ + 1; }
  void skip_to(Xapian::docid did, double) override {
    if (pos_ == kBefore) pos_ = 0;
    while (pos_ < bonus_.size() && bonus_[pos_].first < did) ++pos_;
  }
  bool at_end() const override { return pos_ != kBefore && pos_ >= bonus_.size(); }
  Xapian::docid get_docid() const override { return bonus_[pos_].first; }
  double get_weight() const override { return bonus_[pos_].second; }
  Xapian::PostingSource* clone() const override { return new DocumentBonus(bonus_); }
  std::string get_description() const override { return "DocumentBonus"; }

 private:
  static constexpr size_t kBefore = static_cast<size_t>(-1);
  std::vector<std::pair<Xapian::docid, double>> bonus_;
  size_t pos_ = kBefore;
};

// What question entailment reads, decoded once when a generation is opened: each passage's
// question variants (their QuestionFeatures, each with its rarity) and the rarity of every
// feature. A feature's rarity is its BM25-style idf among the question variants (a word stem)
// or the passages (a concept or question type), never zero; concepts and types count half, as
// they mostly restate the words they were found in.
struct EntailmentTable {
  // Features are numbered once at open; a variant is its sorted feature numbers.
  struct Variant {
    std::vector<int> features;  // sorted
    double mass = 0;            // the sum of their rarities
  };
  std::unordered_map<Xapian::docid, std::vector<Variant>> variants;
  std::unordered_map<std::string, int> ids;  // feature -> number
  std::vector<double> rarity;                // by number
  double doccount = 0;

  // The number of `feature`, or -1 when no variant and no passage has it.
  int Id(const std::string& feature) const {
    auto it = ids.find(feature);
    return it == ids.end() ? -1 : it->second;
  }
  double Rarity(const std::string& feature, int id) const {
    if (id >= 0) return rarity[id];
    const double unseen = std::log((doccount + 0.5) / 0.5) + 0.1;
    return feature[0] == 'Z' ? unseen : 0.5 * unseen;
  }

  static EntailmentTable Load(const Xapian::Database& db) {
    EntailmentTable t;
    t.doccount = db.get_doccount();
    auto add = [&](std::string feature, Xapian::doccount df, double factor) {
      t.ids.emplace(std::move(feature), static_cast<int>(t.rarity.size()));
      t.rarity.push_back(factor * (std::log((t.doccount + 0.5) / (df + 0.5)) + 0.1));
    };
    const std::string stems = absl::StrCat("Z", std::string(schema::kQuestionPrefix));
    for (auto it = db.allterms_begin(stems); it != db.allterms_end(stems); ++it) {
      add(absl::StrCat("Z", (*it).substr(stems.size())), it.get_termfreq(), 1.0);
    }
    for (std::string_view prefix : {schema::kConceptPrefix, schema::kQuestionTypePrefix}) {
      const std::string p(prefix);
      for (auto it = db.allterms_begin(p); it != db.allterms_end(p); ++it) {
        add(*it, it.get_termfreq(), 0.5);
      }
    }
    for (auto it = db.valuestream_begin(schema::kVariantSlot);
         it != db.valuestream_end(schema::kVariantSlot); ++it) {
      std::vector<Variant>& list = t.variants[it.get_docid()];
      const std::string encoded = *it;
      for (absl::string_view line : absl::StrSplit(encoded, '\n', absl::SkipEmpty())) {
        Variant v;
        for (absl::string_view f : absl::StrSplit(line, ' ', absl::SkipEmpty())) {
          const std::string feature(f);
          const int id = t.Id(feature);
          v.mass += t.Rarity(feature, id);
          if (id >= 0) v.features.push_back(id);
        }
        std::sort(v.features.begin(), v.features.end());
        list.push_back(std::move(v));
      }
    }
    return t;
  }
};

// The question's features for entailment (QuestionFeatures).
std::vector<std::string> RequestFeatures(const SearchRequest& request) {
  std::vector<std::string> ids;
  for (const SearchRequest::ConceptTerm& c : request.concepts) ids.push_back(c.id);
  if (request.entailment_context.empty()) {
    return QuestionFeatures(request.query, ids, request.question_types);
  }
  ids.insert(ids.end(), request.entailment_context_concepts.begin(),
             request.entailment_context_concepts.end());
  return QuestionFeatures(absl::StrCat(request.entailment_context, "\n", request.query), ids,
                          request.question_types);
}

constexpr int kEntailmentCandidates = 50;

struct Entailment {
  std::map<Xapian::docid, double> similarity;  // 0..1 per candidate passage
  // The weight a perfect match is worth: the rarity of the question's features, about what a
  // passage matching every question word scores under BM25.
  double scale = 0;
};

// For passages whose section's question variants share words with the question (the best
// kEntailmentCandidates by the variants field), the similarity of the question to the closest
// variant: weighted Jaccard over QuestionFeatures, each feature weighted by its rarity, halved
// for a variant without the question's focus concept. 0..1.
Entailment ScoreEntailment(const Xapian::Database& db, const EntailmentTable& table,
                           const SearchRequest& request) {
  Entailment out;
  std::vector<int> question;  // the numbers of the question's known features, sorted
  std::vector<Xapian::Query> field;
  for (const std::string& t : RequestFeatures(request)) {
    const int id = table.Id(t);
    out.scale += table.Rarity(t, id);
    if (id < 0) continue;
    question.push_back(id);
    if (t[0] == 'Z') {
      field.emplace_back(absl::StrCat("Z", std::string(schema::kQuestionPrefix), t.substr(1)));
    }
  }
  std::sort(question.begin(), question.end());
  if (field.empty() || out.scale <= 0) return out;
  int focus = -2;  // no focus: every variant has it
  for (const SearchRequest::ConceptTerm& c : request.concepts) {
    if (c.focus) focus = table.Id(absl::StrCat(std::string(schema::kConceptPrefix), c.id));
  }
  Xapian::Enquire candidates(db);
  candidates.set_query(Xapian::Query(Xapian::Query::OP_OR, field.begin(), field.end()));
  const Xapian::MSet mset = candidates.get_mset(0, kEntailmentCandidates);
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    auto found = table.variants.find(*it);
    if (found == table.variants.end()) continue;
    double best = 0;
    for (const EntailmentTable::Variant& v : found->second) {
      double shared = 0;
      // Both sorted: one merge.
      for (size_t i = 0, j = 0; i < v.features.size() && j < question.size();) {
        if (v.features[i] < question[j]) {
          ++i;
        } else if (question[j] < v.features[i]) {
          ++j;
        } else {
          shared += table.rarity[v.features[i]];
          ++i, ++j;
        }
      }
      const bool has_focus =
          focus == -2 || std::binary_search(v.features.begin(), v.features.end(), focus);
      best = std::max(best, EntailmentSimilarity(shared, out.scale, v.mass, has_focus));
    }
    if (best > 0) out.similarity[*it] = best;
  }
  return out;
}

// A passage's stored record (PassageData in index_builder.cc) as a Hit without scores.
// Throws nlohmann::json::exception on a corrupt record.
Hit ParsePassageRecord(const std::string& raw) {
  const nlohmann::json data = nlohmann::json::parse(raw);
  Hit hit;
  hit.article_id = data.at("article_id").get<std::string>();
  hit.passage_id = absl::StrCat(hit.article_id, "#", data.at("ordinal").get<int>());
  hit.title = data.at("title").get<std::string>();
  hit.publisher = data.at("publisher").get<std::string>();
  hit.url = data.at("url").get<std::string>();
  hit.updated = data.at("updated").get<std::string>();
  hit.reviewed = data.value("reviewed", "");
  hit.section = data.at("section").get<std::string>();
  hit.text = data.at("text").get<std::string>();
  hit.topics = JsonStrings(data, "topics");
  hit.section_position = data.value("section_position", 0);
  return hit;
}

}  // namespace

struct Searcher::Impl {
  fs::path generation;
  // Held for the searcher's life: the builder never removes a generation a server reads.
  std::unique_ptr<GenerationPin> pin;
  std::string version;
  corpus::ClinicalFiles clinical;
  int passages = 0;
  int articles = 0;
  EntailmentTable entailment;
  LexiconCache lexicon;
  // Every passage's citation and text by document id, decoded once at open: a search copies
  // them instead of parsing each hit's stored JSON. With them, what a search reads of every
  // passage of its MSet: word shingles for the near-duplicate test, concept terms for the focus
  // test, sentence leads for the definition test.
  std::unordered_map<Xapian::docid, PassageRecord> records;
  // The numbers of PassageRecord::terms.
  std::unordered_map<std::string, int> term_numbers;

  // The number of `term`, or -1 when no passage has it.
  int TermNumber(const std::string& term) const {
    auto it = term_numbers.find(term);
    return it == term_numbers.end() ? -1 : it->second;
  }
  std::unordered_map<std::string, Xapian::docid> docids;  // by passage id
  std::vector<CompiledPin> pins;                          // pinned answers, in file order
  mutable DatabasePool pool;
  // Sentences(), by passage id; filled as passages are first quoted, up to kMaxSentenceEntries.
  static constexpr size_t kMaxSentenceEntries = 50000;
  mutable std::shared_mutex sentences_mu;
  mutable std::unordered_map<std::string, std::shared_ptr<const std::vector<PassageSentence>>>
      sentences;

  explicit Impl(fs::path gen) : generation(std::move(gen)), pool(generation.string()) {}

  // The passages of the first pinned answer whose intent the question matches (MatchPin), in
  // its order, left out when off the request's topic; each keeps its score from `ranked` (the
  // search's hits, before diversity) when it is there.
  std::vector<Hit> PinnedHits(const SearchRequest& request,
                              const std::vector<RankedPassage>& ranked, std::string* pin_id,
                              double* similarity) const {
    std::vector<std::string> concepts;
    std::string focus;
    for (const SearchRequest::ConceptTerm& c : request.concepts) {
      concepts.push_back(c.id);
      if (c.focus) focus = absl::StrCat(std::string(schema::kConceptPrefix), c.id);
    }
    const PinMatch match =
        MatchPin(pins, RequestFeatures(request), concepts, focus,
                 [this](const std::string& f) { return entailment.Rarity(f, entailment.Id(f)); });
    std::vector<Hit> out;
    if (match.pin == nullptr) return out;
    for (const std::string& id : match.pin->passage_ids) {
      auto docid = docids.find(id);
      if (docid == docids.end()) continue;  // BuildIndex stores only pins it can show
      auto in_ranking = std::find_if(ranked.begin(), ranked.end(), [&](const RankedPassage& r) {
        return r.record->hit.passage_id == id;
      });
      Hit hit = in_ranking != ranked.end() ? in_ranking->ToHit() : records.at(docid->second).hit;
      if (!request.topic.empty() &&
          std::find(hit.topics.begin(), hit.topics.end(), request.topic) == hit.topics.end()) {
        continue;
      }
      hit.pinned = true;
      out.push_back(std::move(hit));
    }
    if (!out.empty()) {
      *pin_id = match.pin->id;
      *similarity = match.similarity;
    }
    return out;
  }
};

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::~Searcher() = default;

absl::StatusOr<fs::path> Searcher::ResolveGeneration(const fs::path& path) {
  std::error_code ec;
  fs::path resolved = fs::canonical(path, ec);
  if (ec) return absl::NotFoundError(absl::StrCat("index ", path.string(), ": ", ec.message()));
  return resolved;
}

absl::StatusOr<std::unique_ptr<Searcher>> Searcher::Open(const fs::path& path) {
  absl::StatusOr<fs::path> generation = ResolveGeneration(path);
  if (!generation.ok()) return generation.status();
  absl::StatusOr<std::unique_ptr<GenerationPin>> pin = GenerationPin::Acquire(*generation);
  if (!pin.ok()) return pin.status();
  auto impl = std::make_unique<Impl>(*generation);
  impl->pin = *std::move(pin);
  try {
    auto lease = impl->pool.Acquire();
    Xapian::Database& db = *lease;
    impl->version = db.get_metadata(std::string(schema::kVersionKey));
    impl->passages = static_cast<int>(db.get_doccount());
    impl->articles = std::atoi(db.get_metadata(std::string(schema::kArticleCountKey)).c_str());
    impl->entailment = EntailmentTable::Load(db);
    impl->lexicon.Load(db);
    std::unordered_map<std::string, int> article_numbers;
    std::unordered_map<std::string, int> publisher_numbers;
    const auto number = [](std::unordered_map<std::string, int>& numbers, const std::string& key) {
      return numbers.emplace(key, static_cast<int>(numbers.size())).first->second;
    };
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      PassageRecord record;
      record.hit = ParsePassageRecord(db.get_document(*it).get_data());
      record.article = number(article_numbers, record.hit.article_id);
      record.publisher = number(publisher_numbers, record.hit.publisher);
      record.shingles = corpus::WordShingles(record.hit.text);
      record.lead_stems = LeadStems(record.hit.text);
      for (auto t = db.termlist_begin(*it); t != db.termlist_end(*it); ++t) {
        const std::string& term = *t;
        if (!IsContentTerm(term)) continue;
        record.terms.push_back(number(impl->term_numbers, term));
      }
      std::sort(record.terms.begin(), record.terms.end());
      impl->docids.emplace(record.hit.passage_id, *it);
      impl->records.emplace(*it, std::move(record));
    }
    impl->pins = DecodePins(db.get_metadata(std::string(schema::kPinsKey)));
    if (impl->version.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("index ", path.string(), " was not built by patientqa-index (no version)"));
    }
    impl->clinical.dir = db.get_metadata(std::string(schema::kClinicalDirKey));
    for (std::string_view name : corpus::kClinicalFileNames) {
      std::string text =
          db.get_metadata(absl::StrCat(std::string(schema::kClinicalKeyPrefix), std::string(name)));
      if (text.empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat("index ", path.string(), " has no clinical rule file ", std::string(name),
                         ": rebuild it with this version of patientqa-index"));
      }
      impl->clinical.texts.emplace(std::string(name), std::move(text));
    }
    if (std::string pins = db.get_metadata(
            absl::StrCat(std::string(schema::kClinicalKeyPrefix), corpus::kPinnedAnswersFile));
        !pins.empty()) {
      impl->clinical.texts.emplace(std::string(corpus::kPinnedAnswersFile), std::move(pins));
    }
  } catch (const Xapian::Error& e) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot open index ", path.string(), ": ", e.get_description()));
  } catch (const nlohmann::json::exception& e) {
    return absl::DataLossError(
        absl::StrCat("index ", path.string(), " has a corrupt passage record: ", e.what()));
  }
  return std::unique_ptr<Searcher>(new Searcher(std::move(impl)));
}

namespace {

// The snippet of a passage: the whole passage when it is at most kWholePassageSnippetBytes long
// (most are: the bundled articles' median is about 420 bytes), else its best
// kSnippetWindowBytes. A whole passage needs no window, so no background model: Xapian's model
// reads the term frequency of every word of the text from the database, which was a quarter of
// an Ask (scripts/profile). Matched query words are wrapped in <mark>...</mark> either way.
constexpr size_t kWholePassageSnippetBytes = 1024;
constexpr size_t kSnippetWindowBytes = 400;

std::string Snippet(const Xapian::MSet& mset, const std::string& text) {
  if (text.size() <= kWholePassageSnippetBytes) {
    return mset.snippet(text, text.size(), Stemmer(), Xapian::MSet::SNIPPET_EXHAUSTIVE, "<mark>",
                        "</mark>", "…");
  }
  return mset.snippet(text, kSnippetWindowBytes, Stemmer(),
                      Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE,
                      "<mark>", "</mark>", "…");
}

}  // namespace

absl::StatusOr<SearchResult> Searcher::Search(const SearchRequest& request) const {
  SearchResult result;
  try {
    auto lease = impl_->pool.Acquire();
    Xapian::Database& db = *lease;
    const Lexicon lexicon(db, impl_->lexicon);
    const std::set<std::string> subject_words = LeadInSubjectWords(lexicon, request);
    QueryPlan plan = BuildQuery(lexicon, request.query, request, subject_words);
    Xapian::Query query = plan.query;
    result.corrected_query = plan.corrected;
    result.concepts = static_cast<int>(plan.concepts.size());
    result.known_concepts = static_cast<int>(
        std::count_if(plan.concepts.begin(), plan.concepts.end(),
                      [](const std::set<std::string>& terms) { return !terms.empty(); }));
    std::set<std::string> terms;
    for (const auto& concept_terms : plan.concepts) {
      for (std::string term : concept_terms) {
        if (!term.empty() && term[0] == 'Z') term.erase(0, 1);
        if (term.rfind(schema::kQuestionPrefix, 0) == 0) continue;  // never in passage text
        terms.insert(std::move(term));
      }
    }
    result.query_terms.assign(terms.begin(), terms.end());

    if (request.concept_weight > 0) {
      std::vector<Xapian::Query> concept_parts;
      for (const SearchRequest::ConceptTerm& c : request.concepts) {
        const std::string term = absl::StrCat(std::string(schema::kConceptPrefix), c.id);
        if (c.weight > 0 && lexicon.term_exists(term)) {
          concept_parts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(term),
                                     c.weight * request.concept_weight);
        }
      }
      if (!concept_parts.empty()) {
        if (!query.empty()) concept_parts.insert(concept_parts.begin(), query);
        query = Xapian::Query(Xapian::Query::OP_OR, concept_parts.begin(), concept_parts.end());
      }
    }
    std::vector<Xapian::Query> context_queries;
    // Earlier turns, most recent first, each at half the weight of the one after it.
    double weight = request.context_weight;
    for (auto turn = request.context.rbegin(); turn != request.context.rend() && weight > 0.01;
         ++turn, weight /= 2) {
      Xapian::Query q = BuildQuery(lexicon, *turn, request, subject_words).query;
      if (!q.empty()) {
        context_queries.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, weight));
      }
    }
    if (!request.background.empty() && request.background_weight > 0) {
      Xapian::Query q = BuildQuery(lexicon, request.background, request, subject_words).query;
      if (!q.empty()) {
        context_queries.push_back(
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, request.background_weight));
      }
    }
    if (!context_queries.empty()) {
      context_queries.insert(context_queries.begin(), query);
      query = Xapian::Query(Xapian::Query::OP_OR, context_queries.begin(), context_queries.end());
    }
    if (query.empty()) return result;
    // The question-type bonus and the topic filter, around the words' query.
    auto finish = [&](Xapian::Query q) {
      if (request.type_weight > 0 && !request.question_types.empty()) {
        std::vector<Xapian::Query> types;
        for (const std::string& type : request.question_types) {
          types.emplace_back(absl::StrCat(std::string(schema::kQuestionTypePrefix), type));
        }
        // A bonus only: the type alone never makes a passage match.
        q = Xapian::Query(
            Xapian::Query::OP_AND_MAYBE, q,
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                          Xapian::Query(Xapian::Query::OP_OR, types.begin(), types.end()),
                          request.type_weight));
      }
      if (!request.topic.empty()) {
        q = Xapian::Query(
            Xapian::Query::OP_FILTER, q,
            Xapian::Query(absl::StrCat(std::string(schema::kTopicPrefix), request.topic)));
      }
      return q;
    };
    // Question entailment: passages whose section lists a question much like this one get a
    // bonus through a posting source, so that they join the MSet even when their text shares
    // few words with the question.
    Entailment entailment;
    if (request.entailment_weight > 0) {
      entailment = ScoreEntailment(db, impl_->entailment, request);
      if (!entailment.similarity.empty()) {
        std::vector<std::pair<Xapian::docid, double>> bonus;
        const double scale = request.entailment_weight * entailment.scale;
        for (const auto& [docid, sim] : entailment.similarity) {
          bonus.emplace_back(docid, scale * sim * sim);
        }
        query = Xapian::Query(Xapian::Query::OP_OR, query,
                              Xapian::Query((new DocumentBonus(std::move(bonus)))->release()));
      }
    }
    Xapian::Enquire enquire(db);
    enquire.set_query(finish(query));
    enquire.set_weighting_scheme(Xapian::BM25Weight(request.bm25_k1, 0, 1, request.bm25_b, 0.5));
    if (request.time_limit.count() > 0) {
      enquire.set_time_limit(std::chrono::duration<double>(request.time_limit).count());
    }
    // No collapse in the matcher: it would keep an article's two best passages by raw score,
    // which may both be long passages matching one common word, and drop the one that answers.
    // Diversify() below spreads the results over articles instead.
    const int wanted = std::max(0, request.max_results);
    if (request.feedback_weight > 0 && request.feedback_passages > 0 &&
        request.feedback_terms > 0) {
      const Xapian::MSet first = enquire.get_mset(0, request.feedback_passages);
      Xapian::RSet rset;
      for (auto it = first.begin(); it != first.end(); ++it) rset.add_document(*it);
      if (!rset.empty()) {
        // Body word stems only: not field, concept, type or boolean terms.
        struct BodyStems : Xapian::ExpandDecider {
          bool operator()(const std::string& term) const override {
            return term.size() > 3 && term[0] == 'Z' &&
                   std::islower(static_cast<unsigned char>(term[1]));
          }
        } body_stems;
        const Xapian::ESet eset = enquire.get_eset(request.feedback_terms, rset, &body_stems);
        if (!eset.empty()) {
          const Xapian::Query expansion(Xapian::Query::OP_OR, eset.begin(), eset.end());
          enquire.set_query(finish(Xapian::Query(
              Xapian::Query::OP_OR, query,
              Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, expansion, request.feedback_weight))));
        }
      }
    }
    const Xapian::MSet mset = enquire.get_mset(0, std::max(50, wanted * 5));
    std::string focus_term;
    if (request.focus_miss_factor < 1) {
      for (const SearchRequest::ConceptTerm& c : request.concepts) {
        if (c.focus) focus_term = absl::StrCat(std::string(schema::kConceptPrefix), c.id);
      }
    }
    const int focus_number = impl_->TermNumber(focus_term);  // -1: every passage misses it
    std::vector<RankedPassage> ranked;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      auto record = impl_->records.find(*it);
      if (record == impl_->records.end()) {
        return absl::DataLossError(absl::StrCat("passage record missing for document ", *it));
      }
      RankedPassage passage{*it, &record->second, it.get_weight(), it.get_percent(), 0};
      if (auto e = entailment.similarity.find(*it); e != entailment.similarity.end()) {
        passage.entailment = e->second;
      }
      if (!focus_term.empty() && !std::binary_search(record->second.terms.begin(),
                                                     record->second.terms.end(), focus_number)) {
        passage.score *= request.focus_miss_factor;
      }
      ranked.push_back(passage);
    }
    if (!request.definition_subject.empty() && request.definition_weight > 0) {
      const auto variants = SubjectVariants(lexicon, request.definition_subject);
      std::vector<size_t> first_stems;  // hashed, as PassageRecord::lead_stems
      for (const auto& stems : variants) first_stems.push_back(std::hash<std::string>()(stems[0]));
      for (RankedPassage& passage : ranked) {
        const std::vector<size_t>& leads = passage.record->lead_stems;
        const bool may_define = std::any_of(first_stems.begin(), first_stems.end(), [&](size_t h) {
          return std::binary_search(leads.begin(), leads.end(), h);
        });
        if (may_define && DefinesSubject(passage.record->hit.text, variants)) {
          passage.score *= 1 + request.definition_weight;
        }
      }
    }
    if (request.match_pins && !impl_->pins.empty()) {
      result.pinned = impl_->PinnedHits(request, ranked, &result.pin_id, &result.pin_similarity);
    }
    Diversify(&ranked, request, wanted);
    for (const RankedPassage& passage : ranked) result.hits.push_back(passage.ToHit());
    // Each content word's matching terms by number (PassageRecord::terms); a term no passage
    // has is left out.
    std::vector<std::vector<int>> word_terms(plan.concepts.size());
    for (size_t c = 0; c < plan.concepts.size(); ++c) {
      for (const std::string& term : plan.concepts[c]) {
        if (const int n = impl_->TermNumber(term); n >= 0) word_terms[c].push_back(n);
      }
    }
    // Coverage and snippets only for the passages kept: they cost more than the search.
    for (std::vector<Hit>* hits : {&result.hits, &result.pinned}) {
      for (Hit& hit : *hits) {
        const std::vector<int>& terms = impl_->records.at(impl_->docids.at(hit.passage_id)).terms;
        double matched = 0, total = 0;
        for (size_t c = 0; c < plan.concepts.size(); ++c) {
          const bool match = std::any_of(word_terms[c].begin(), word_terms[c].end(), [&](int n) {
            return std::binary_search(terms.begin(), terms.end(), n);
          });
          hit.matched_concepts += match;
          total += plan.concept_weights[c];
          if (match) matched += plan.concept_weights[c];
        }
        hit.weighted_coverage = total > 0 ? matched / total : 0;
        hit.snippet = Snippet(mset, hit.text);
      }
    }
  } catch (const Xapian::Error& e) {
    return absl::InternalError(absl::StrCat("search failed: ", e.get_description()));
  } catch (const nlohmann::json::exception& e) {
    return absl::DataLossError(absl::StrCat("corrupt passage record in index: ", e.what()));
  }
  return result;
}

std::vector<bool> Searcher::Defines(const std::vector<std::string>& sentences,
                                    std::string_view subject) const {
  std::vector<bool> out(sentences.size(), false);
  if (subject.empty()) return out;
  try {
    auto lease = impl_->pool.Acquire();
    const auto variants = SubjectVariants(Lexicon(*lease, impl_->lexicon), std::string(subject));
    for (size_t i = 0; i < sentences.size(); ++i) out[i] = DefinesSubject(sentences[i], variants);
  } catch (const Xapian::Error&) {
    // Reading the synonym table failed: no sentence is taken for a definition.
  }
  return out;
}

std::vector<std::string> Searcher::ContentTerms(std::string_view text) const {
  return index::ContentTerms(text, /*z_prefix=*/false);
}

std::shared_ptr<const std::vector<PassageSentence>> Searcher::Sentences(const Hit& hit) const {
  // Only a passage's stored text is kept: a caller's own Hit may carry other text under its id.
  const auto docid = impl_->docids.find(hit.passage_id);
  const bool stored =
      docid != impl_->docids.end() && impl_->records.at(docid->second).hit.text == hit.text;
  if (stored) {
    std::shared_lock lock(impl_->sentences_mu);
    auto it = impl_->sentences.find(hit.passage_id);
    if (it != impl_->sentences.end()) return it->second;
  }
  auto out = std::make_shared<std::vector<PassageSentence>>();
  for (std::string& sentence : corpus::SplitSentences(hit.text)) {
    PassageSentence s;
    s.words = corpus::CountWords(sentence);
    s.terms = ContentTerms(sentence);
    s.text = std::move(sentence);
    out->push_back(std::move(s));
  }
  if (stored) {
    std::unique_lock lock(impl_->sentences_mu);
    if (impl_->sentences.size() < Impl::kMaxSentenceEntries) {
      impl_->sentences.emplace(hit.passage_id, out);
    }
  }
  return out;
}

namespace {

ArticleRecord ParseArticleRecord(const std::string& raw) {
  const nlohmann::json j = nlohmann::json::parse(raw);
  ArticleRecord a;
  a.id = j.at("id").get<std::string>();
  a.title = j.at("title").get<std::string>();
  a.publisher = j.at("publisher").get<std::string>();
  a.url = j.at("url").get<std::string>();
  a.updated = j.at("updated").get<std::string>();
  a.language = j.at("language").get<std::string>();
  a.topics = JsonStrings(j, "topics");
  a.references = JsonStrings(j, "references");
  a.body = j.at("body").get<std::string>();
  // Governance fields (absent from indexes built before they existed).
  a.reviewed = j.value("reviewed", "");
  a.review_due = j.value("review_due", "");
  a.reviewer = j.value("reviewer", "");
  return a;
}

}  // namespace

absl::StatusOr<ArticleRecord> Searcher::GetArticle(std::string_view id) const {
  try {
    auto lease = impl_->pool.Acquire();
    const std::string raw = (*lease).get_metadata(
        absl::StrCat(std::string(schema::kArticleKeyPrefix), std::string(id)));
    if (raw.empty()) {
      return absl::NotFoundError(absl::StrCat("no article with id '", std::string(id), "'"));
    }
    return ParseArticleRecord(raw);
  } catch (const Xapian::Error& e) {
    return absl::InternalError(absl::StrCat("reading article: ", e.get_description()));
  } catch (const nlohmann::json::exception& e) {
    return absl::DataLossError(absl::StrCat("corrupt article record in index: ", e.what()));
  }
}

absl::StatusOr<std::vector<ArticleRecord>> Searcher::ListArticles() const {
  std::vector<ArticleRecord> out;
  try {
    auto lease = impl_->pool.Acquire();
    Xapian::Database& db = *lease;
    const std::string prefix(schema::kArticleKeyPrefix);
    for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
      out.push_back(ParseArticleRecord(db.get_metadata(*it)));
    }
  } catch (const Xapian::Error& e) {
    return absl::InternalError(absl::StrCat("listing articles: ", e.get_description()));
  } catch (const nlohmann::json::exception& e) {
    return absl::DataLossError(absl::StrCat("corrupt article record in index: ", e.what()));
  }
  std::sort(out.begin(), out.end(),
            [](const ArticleRecord& a, const ArticleRecord& b) { return a.title < b.title; });
  return out;
}

const std::string& Searcher::version() const { return impl_->version; }
const corpus::ClinicalFiles& Searcher::clinical_files() const { return impl_->clinical; }
const fs::path& Searcher::generation() const { return impl_->generation; }
int Searcher::passage_count() const { return impl_->passages; }
int Searcher::article_count() const { return impl_->articles; }

}  // namespace patientqa::index
