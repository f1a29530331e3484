#include "index/index_builder.h"

#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "corpus/language/english_words.h"
#include "corpus/language/normalizer.h"
#include "corpus/language/question_type.h"
#include "corpus/language/search_concepts.h"
#include "corpus/loader.h"
#include "corpus/splitter.h"
#include "corpus/text.h"
#include "index/generations.h"
#include "index/pinned_answers.h"
#include "index/schema.h"
#include "index/text_analysis.h"

namespace patientqa::index {
namespace fs = std::filesystem;
namespace {

std::string PassageData(const corpus::Article& a, const corpus::Passage& p) {
  nlohmann::json j = {
      {"article_id", a.id},     {"ordinal", p.ordinal},
      {"title", a.title},       {"publisher", a.publisher},
      {"url", a.url},           {"updated", a.updated},
      {"section", p.section},   {"text", p.text},
      {"topics", a.topics},     {"section_position", p.section_position},
      {"reviewed", a.reviewed},
  };
  return j.dump();
}

std::string ArticleData(const corpus::Article& a) {
  nlohmann::json j = {
      {"id", a.id},
      {"title", a.title},
      {"publisher", a.publisher},
      {"url", a.url},
      {"updated", a.updated},
      {"language", a.language},
      {"topics", a.topics},
      {"references", a.references},
      {"body", a.body},
      {"reviewed", a.reviewed},
      {"review_due", a.review_due},
      {"reviewer", a.reviewer},
  };
  // Question variants change the index (and so its version) though no client sees them.
  for (const corpus::SectionQuestions& sq : a.section_questions) {
    j["questions"][sq.section] = sq.questions;
  }
  return j.dump();
}

// A version that changes whenever the content does: UTC build time plus a content hash.
std::string MakeVersion(const std::vector<corpus::Article>& articles) {
  size_t h = 0;
  for (const auto& a : articles) {
    h = h * 1000003u ^ std::hash<std::string>{}(ArticleData(a));
  }
  const auto now = std::chrono::system_clock::now();
  const auto t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
  return absl::StrFormat("%s.%03dZ-%08x", stamp, static_cast<int>(ms.count()),
                         static_cast<uint32_t>(h ^ (h >> 32)));
}

// The question types a section answers: those of its heading, and any that at least two of its
// question variants ask (one stray variant does not make a section about costs).
std::set<std::string> SectionTypes(const std::string& section,
                                   const std::vector<std::string>& questions) {
  std::set<std::string> out;
  for (corpus::QuestionType t : corpus::ClassifyQuestion(section)) {
    out.emplace(corpus::QuestionTypeId(t));
  }
  std::map<std::string, int> votes;
  for (const std::string& q : questions) {
    for (corpus::QuestionType t : corpus::ClassifyQuestion(q))
      ++votes[std::string(corpus::QuestionTypeId(t))];
  }
  for (const auto& [type, n] : votes) {
    if (n >= 2) out.insert(type);
  }
  return out;
}

void IndexPassage(const corpus::Article& a, const corpus::Passage& p, Xapian::TermGenerator& tg,
                  const corpus::ConceptMatcher& concepts, Xapian::WritableDatabase& db) {
  Xapian::Document doc;
  tg.set_document(doc);
  // Indexed as the searcher reads questions (corpus::NormalizeTypography); stored verbatim.
  const std::string title = corpus::NormalizeTypography(a.title);
  tg.index_text(title, schema::kTitleWdf);
  tg.index_text(title, 1, std::string(schema::kTitlePrefix));
  tg.increase_termpos(100);
  if (!p.section.empty()) {
    const std::string section = corpus::NormalizeTypography(p.section);
    tg.index_text(section, schema::kHeadingWdf);
    tg.index_text(section, 1, std::string(schema::kHeadingPrefix));
    tg.increase_termpos(100);
  }
  tg.index_text(corpus::NormalizeTypography(p.text));
  // The section's question variants: searched as their own field, never returned. Only their
  // stemmed content words ("ZXQ<stem>", the form the searcher looks up) are indexed, so that a
  // section with many variants does not look much longer to BM25's length normalisation.
  Xapian::TermGenerator questions;
  questions.set_stemmer(Stemmer());
  questions.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
  questions.set_stopper(&Stopper());
  questions.set_stopper_strategy(Xapian::TermGenerator::STOP_ALL);
  questions.set_document(doc);
  const std::vector<std::string>* variants = nullptr;
  std::vector<std::vector<std::string>> variant_features;
  for (const corpus::SectionQuestions& sq : a.section_questions) {
    if (sq.section != p.section) continue;
    variants = &sq.questions;
    for (const std::string& q : sq.questions) {
      const std::string text = corpus::NormalizeTypography(q);
      questions.index_text_without_positions(text, 1, std::string(schema::kQuestionPrefix));
      variant_features.push_back(VariantFeatures(q, concepts));
    }
  }
  // Concept terms: every search concept the heading or the passage names, and the broader ones.
  const corpus::Vocabulary& vocabulary = concepts.vocabulary();
  for (const corpus::SearchConcept& c :
       corpus::SearchConceptsIn(concepts, absl::StrCat(p.section, ".\n", p.text))) {
    doc.add_term(absl::StrCat(std::string(schema::kConceptPrefix),
                              vocabulary.concepts()[c.concept_index].id));
  }
  // What kind of question the section answers.
  for (const std::string& type :
       SectionTypes(p.section, variants ? *variants : std::vector<std::string>{})) {
    doc.add_term(absl::StrCat(std::string(schema::kQuestionTypePrefix), type));
  }

  const std::string id_term = absl::StrCat(std::string(schema::kIdPrefix), a.id, "#", p.ordinal);
  doc.add_boolean_term(id_term);
  doc.add_boolean_term(absl::StrCat(std::string(schema::kArticlePrefix), a.id));
  for (const auto& topic : a.topics)
    doc.add_boolean_term(absl::StrCat(std::string(schema::kTopicPrefix), topic));
  doc.add_value(schema::kArticleSlot, a.id);
  doc.add_value(schema::kOrdinalSlot, Xapian::sortable_serialise(p.ordinal));
  doc.set_data(PassageData(a, p));
  // Question variants for question entailment (never shown), as schema::kVariantSlot says.
  if (!variant_features.empty()) {
    std::string encoded;
    for (const std::vector<std::string>& features : variant_features) {
      absl::StrAppend(&encoded, absl::StrJoin(features, " "), "\n");
    }
    doc.add_value(schema::kVariantSlot, encoded);
  }
  // Every build writes a new database and passage ids are unique (article ids are checked across
  // all sources, ordinals within an article), so adding is enough: replace_document would look the
  // id term up first, about a third of the build's time.
  db.add_document(doc);
}

// Every entry of a group expands to the group's other entries: a single word as its stemmed term
// ("Zmetastas"), a phrase as its words joined by spaces ("hair loss"), which the searcher turns
// into a phrase query. Keys are the unstemmed word, its stemmed term, or (for phrases) the words
// joined by spaces, as the searcher looks them up.
int AddSynonyms(const std::vector<corpus::SynonymGroup>& groups, Xapian::WritableDatabase& db) {
  int added = 0;
  for (const corpus::SynonymGroup& group : groups) {
    struct Entry {
      std::vector<std::string> keys;
      std::string value;
    };
    std::vector<Entry> entries;
    for (const std::string& member : group.members) {
      const std::vector<std::string> words = corpus::LowerCaseWords(member);
      if (words.empty()) continue;
      if (words.size() == 1) {
        const std::string stemmed = absl::StrCat("Z", Stemmer()(words[0]));
        entries.push_back({{words[0], stemmed}, stemmed});
        db.add_spelling(words[0]);  // lay words the articles may not use still get corrected to
      } else {
        std::string joined;
        for (const auto& w : words) joined += (joined.empty() ? "" : " ") + w;
        entries.push_back({{joined}, joined});
      }
    }
    for (const Entry& from : entries) {
      for (const Entry& to : entries) {
        if (to.value == from.value) continue;
        for (const std::string& key : from.keys) {
          db.add_synonym(key, to.value);
          ++added;
        }
      }
    }
  }
  return added;
}

absl::Status SwapLink(const fs::path& out, const fs::path& generation) {
  std::error_code ec;
  const fs::path tmp_link =
      out.parent_path() / absl::StrCat(".", out.filename().string(), ".link-tmp");
  fs::remove(tmp_link, ec);
  fs::create_directory_symlink(generation.filename(), tmp_link, ec);
  if (ec)
    return absl::UnavailableError(
        absl::StrCat("cannot create link ", tmp_link.string(), ": ", ec.message()));
  if (fs::exists(fs::symlink_status(out)) && !fs::is_symlink(fs::symlink_status(out))) {
    // An index directory from elsewhere: keep it aside rather than lose it.
    const fs::path aside =
        out.parent_path() / absl::StrCat(".", out.filename().string(), ".gen-0-previous");
    fs::remove_all(aside, ec);
    fs::rename(out, aside, ec);
    if (ec)
      return absl::UnavailableError(
          absl::StrCat("cannot move ", out.string(), " aside: ", ec.message()));
  }
  fs::rename(tmp_link, out, ec);  // atomic replacement of the link
  if (ec)
    return absl::UnavailableError(
        absl::StrCat("cannot replace ", out.string(), ": ", ec.message()));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BuildStats> BuildIndex(const std::vector<corpus::Article>& articles,
                                      const BuildOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (options.out.empty()) return absl::InvalidArgumentError("--out: output path is empty");
  std::unique_ptr<corpus::ClinicalRules> rules;
  {
    std::vector<corpus::Diagnostic> errors;
    if (options.clinical.texts.empty()) {
      return absl::InvalidArgumentError(
          "clinical rule files are required (vocabulary, context, triage, languages)");
    }
    rules = corpus::ParseClinicalRules(options.clinical, &errors);
    if (!rules) return corpus::DiagnosticsToStatus(errors);
  }
  const corpus::ConceptMatcher concepts(rules->vocabulary, &corpus::EnglishWords());
  BuildStats stats;
  // Pins travel with the passages they show: a stale pin fails the build, so the old index (and
  // its pins) keeps serving until the pins file is fixed.
  std::vector<CompiledPin> pins;
  {
    std::vector<corpus::Diagnostic> errors;
    for (const corpus::PinnedAnswer& pin : rules->pinned) {
      std::vector<corpus::Diagnostic> problems;
      bool missing_article = false;
      corpus::CheckPinnedPassages(pin, articles, &problems, &missing_article);
      if (missing_article) {
        stats.pins_left_out.push_back(pin.id);
      } else if (!problems.empty()) {
        errors.insert(errors.end(), problems.begin(), problems.end());
      } else {
        pins.push_back(CompilePin(pin, concepts));
      }
    }
    if (!errors.empty()) return corpus::DiagnosticsToStatus(errors);
    stats.pinned_answers = static_cast<int>(pins.size());
  }
  const fs::path out = fs::absolute(options.out).lexically_normal();
  std::error_code ec;
  fs::create_directories(out.parent_path(), ec);
  if (ec)
    return absl::UnavailableError(
        absl::StrCat("cannot create ", out.parent_path().string(), ": ", ec.message()));

  absl::StatusOr<std::unique_ptr<BuildLock>> lock = BuildLock::Acquire(out);
  if (!lock.ok()) return lock.status();

  // Each build gets a directory of its own: never write into a generation a server may be reading.
  // It is written under a partial name and renamed once complete (see index/generations.h).
  fs::path partial;
  for (int attempt = 0;; ++attempt) {
    stats.version = MakeVersion(articles);
    if (attempt > 0) absl::StrAppend(&stats.version, "-", attempt);
    stats.generation_dir = GenerationPath(out, stats.version);
    partial = PartialGenerationPath(out, stats.version);
    if (!fs::exists(stats.generation_dir, ec) && !fs::exists(partial, ec)) break;
  }
  try {
    Xapian::WritableDatabase db(partial.string(), Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator tg;
    tg.set_stemmer(Stemmer());
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    tg.set_database(db);
    tg.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
    for (const corpus::Article& article : articles) {
      for (const corpus::Passage& passage : corpus::SplitIntoPassages(article)) {
        IndexPassage(article, passage, tg, concepts, db);
        ++stats.passages;
        stats.words += corpus::CountWords(passage.text);
      }
      db.set_metadata(absl::StrCat(std::string(schema::kArticleKeyPrefix), article.id),
                      ArticleData(article));
      ++stats.articles;
    }
    stats.synonyms = AddSynonyms(options.synonyms, db);
    for (const auto& [name, text] : options.clinical.texts) {
      db.set_metadata(absl::StrCat(std::string(schema::kClinicalKeyPrefix), name), text);
    }
    db.set_metadata(std::string(schema::kClinicalDirKey), options.clinical.dir);
    if (!pins.empty()) db.set_metadata(std::string(schema::kPinsKey), EncodePins(pins));
    db.set_metadata(std::string(schema::kVersionKey), stats.version);
    db.set_metadata(std::string(schema::kArticleCountKey), std::to_string(stats.articles));
    db.commit();
    db.close();
    // Read back before publishing: never swap in something we cannot open.
    Xapian::Database check(partial.string());
    if (check.get_doccount() != static_cast<Xapian::doccount>(stats.passages)) {
      fs::remove_all(partial, ec);
      return absl::InternalError("index verification failed: passage count differs after commit");
    }
  } catch (const Xapian::Error& e) {
    fs::remove_all(partial, ec);
    return absl::InternalError(absl::StrCat("building index: ", e.get_description()));
  }
  // The file servers lock to pin this generation (index/generations.h).
  if (std::ofstream pin(partial / kPinFileName); !pin) {
    fs::remove_all(partial, ec);
    return absl::UnavailableError(
        absl::StrCat("cannot create ", (partial / kPinFileName).string()));
  }
  fs::rename(partial, stats.generation_dir, ec);
  if (ec) {
    fs::remove_all(partial, ec);
    return absl::UnavailableError(absl::StrCat("cannot rename ", partial.string(), " to ",
                                               stats.generation_dir.string(), ": ", ec.message()));
  }
  if (absl::Status s = SwapLink(out, stats.generation_dir); !s.ok()) {
    fs::remove_all(stats.generation_dir, ec);
    return s;
  }
  PruneGenerations(out, stats.generation_dir, options.keep_old_generations);
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

absl::StatusOr<BuildStats> BuildFromSources(const corpus::CorpusSources& sources,
                                            const fs::path& out, int keep_old_generations) {
  const corpus::LoadedCorpus loaded = corpus::LoadSources(sources);
  if (!loaded.errors.empty()) return corpus::DiagnosticsToStatus(loaded.errors);
  if (loaded.clinical.texts.empty()) {
    return absl::InvalidArgumentError(
        "no clinical rule files: give the folder with vocabulary.txt, context.txt, triage.txt "
        "and languages.txt (e.g. corpus/clinical)");
  }
  BuildOptions options;
  options.out = out;
  options.keep_old_generations = keep_old_generations;
  options.synonyms = loaded.synonyms;
  options.clinical = loaded.clinical;
  return BuildIndex(loaded.articles, options);
}

}  // namespace patientqa::index
