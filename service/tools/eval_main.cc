// patientqa-eval: measures answer quality on the gold set, and retrieval on MedQuAD, each
// configuration against a plain-BM25 baseline in the same run.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_format.h"
#include "corpus/sources.h"
#include "index/index_builder.h"
#include "service/eval/evaluation.h"
#include "service/eval/safety_suite.h"
#include "service/index_holder.h"

ABSL_FLAG(std::string, index, "", "Index to evaluate (built from the corpus when empty)");
ABSL_FLAG(std::string, corpus, "corpus", "Corpus to index when --index is empty");
ABSL_FLAG(std::string, gold, "tests/eval/gold.jsonl", "Gold set (empty: skip)");
ABSL_FLAG(std::string, medquad, "", "MedQuAD CancerGov JSONL: also run the external benchmark");
ABSL_FLAG(std::string, report, "", "Also write the Markdown report to this file");
ABSL_FLAG(std::string, dump, "",
          "Write one tab-separated line per gold question to this file (full system; the "
          "baseline to FILE.baseline, MedQuAD to FILE.medquad)");
ABSL_FLAG(int, cv, 0,
          "Cross-validate the ranking parameters with this many folds over a grid of the "
          "concept, question-type, focus, entailment and subject-qualifier weights, and report "
          "the pooled held-out-fold figures (0: skip)");
ABSL_FLAG(bool, misses, false, "List the gold questions without a hit in the top 3");
ABSL_FLAG(bool, explain, false,
          "For each gold question (full system): the question types, focus and concepts "
          "recognised, the pinned answer that applied (if any), and the top three passages with "
          "scores and question-entailment similarity");
ABSL_FLAG(double, k1, patientqa::service::RankingParams().bm25_k1, "Ranking: BM25 k1");
ABSL_FLAG(double, b, patientqa::service::RankingParams().bm25_b, "Ranking: BM25 b");
ABSL_FLAG(double, synonym_weight, patientqa::service::RankingParams().synonym_weight,
          "Ranking: weight of synonyms");
ABSL_FLAG(double, phrase_weight, patientqa::service::RankingParams().phrase_weight,
          "Ranking: weight of the adjacent-words phrase bonus");
ABSL_FLAG(double, context_weight, patientqa::service::RankingParams().context_weight,
          "Ranking: weight of the most recent history turn");
ABSL_FLAG(double, vague_context_weight, patientqa::service::RankingParams().vague_context_weight,
          "Ranking: weight of the most recent history turn for a question of <= 2 content words");
ABSL_FLAG(double, same_article_penalty, patientqa::service::RankingParams().same_article_penalty,
          "Ranking: score factor per better-ranked passage of the same article");
ABSL_FLAG(double, same_publisher_penalty,
          patientqa::service::RankingParams().same_publisher_penalty,
          "Ranking: score factor per better-ranked passage of the same publisher");
ABSL_FLAG(double, heading_weight, patientqa::service::RankingParams().heading_weight,
          "Ranking: weight of question words found in the section heading");
ABSL_FLAG(double, title_weight, patientqa::service::RankingParams().title_weight,
          "Ranking: weight of question words found in the article title");
ABSL_FLAG(double, question_weight, patientqa::service::RankingParams().question_weight,
          "Ranking: weight of question words found in a section's question variants");
ABSL_FLAG(int, max_per_article, patientqa::service::RankingParams().max_per_article,
          "Ranking: passages of one article among the first five (0: no limit)");
ABSL_FLAG(double, background_weight, patientqa::service::RankingParams().background_weight,
          "Ranking: weight of the back-story sentences of a long message");
ABSL_FLAG(double, near_duplicate_similarity,
          patientqa::service::RankingParams().near_duplicate_similarity,
          "Ranking: leave out passages this similar to a better one (0: keep all)");
ABSL_FLAG(double, definition_weight, patientqa::service::RankingParams().definition_weight,
          "Ranking: bonus for a passage that defines what a 'What is X?' question asks about");
ABSL_FLAG(double, concept_weight, patientqa::service::RankingParams().concept_weight,
          "Ranking: weight of a concept the question names (concept terms; 0: off)");
ABSL_FLAG(double, broader_concept_weight,
          patientqa::service::RankingParams().broader_concept_weight,
          "Ranking: share of a named concept's weight its broader concepts get");
ABSL_FLAG(double, focus_weight, patientqa::service::RankingParams().focus_weight,
          "Ranking: factor for the question's focus concept");
ABSL_FLAG(double, entailment_weight, patientqa::service::RankingParams().entailment_weight,
          "Ranking: bonus factor for similarity to a section's closest question variant");
ABSL_FLAG(double, focus_miss_factor, patientqa::service::RankingParams().focus_miss_factor,
          "Ranking: score factor for a passage without the question's focus concept (1: off)");
ABSL_FLAG(bool, entailment_history, patientqa::service::RankingParams().entailment_history,
          "Ranking: question entailment reads a follow-up with the turn before it");
ABSL_FLAG(double, lead_in_weight, patientqa::service::RankingParams().lead_in_weight,
          "Ranking: weight of the words around the subject of a 'what is X?' question");
ABSL_FLAG(double, qualifier_weight, patientqa::service::RankingParams().qualifier_weight,
          "Ranking: weight of the library's subject words ('stage 4', 'bowel cancer') in a "
          "question about something else (1: off)");
ABSL_FLAG(double, type_weight, patientqa::service::RankingParams().type_weight,
          "Ranking: bonus for a section answering the question's type (0: off)");
ABSL_FLAG(double, feedback_weight, patientqa::service::RankingParams().feedback_weight,
          "Ranking: weight of pseudo-relevance feedback terms (0: off)");
ABSL_FLAG(int, feedback_passages, patientqa::service::RankingParams().feedback_passages,
          "Ranking: passages taken as relevant for feedback");
ABSL_FLAG(int, feedback_terms, patientqa::service::RankingParams().feedback_terms,
          "Ranking: terms added by feedback");
ABSL_FLAG(double, min_success3, 0, "Fail (exit 1) when gold Success@3 is below this");
ABSL_FLAG(double, min_mrr5, 0, "Fail when gold MRR@5 is below this");
ABSL_FLAG(double, min_refusal, 0, "Fail when the off-topic refusal rate is below this");
ABSL_FLAG(double, max_false_refusal, 1, "Fail when the false-refusal rate is above this");
ABSL_FLAG(double, min_emergency_recall, 0, "Fail when emergency recall is below this");
ABSL_FLAG(double, max_false_alarm, 1, "Fail when the emergency false-alarm rate is above this");
ABSL_FLAG(std::vector<std::string>, safety, {},
          "Triage safety suite files (JSON Lines, comma-separated): print the triage table by "
          "category");
ABSL_FLAG(bool, safety_failures, false, "List the safety-suite cases judged wrong");
ABSL_FLAG(double, min_urgent_recall, 0,
          "Fail when urgent recall on the safety suite is below this in any category");
ABSL_FLAG(double, max_urgent_false_alarm, 1,
          "Fail when the share of non-urgent safety-suite messages flagged urgent is above this");
ABSL_FLAG(int, max_crisis_misfires, 1000000,
          "Fail when more non-self-harm safety-suite messages than this get the crisis lines");
ABSL_FLAG(bool, require_ranking_gain, true,
          "Fail when gold Success@3 or MRR@5 does not beat plain BM25 (false: only report it)");
ABSL_FLAG(double, min_medquad_success5, 0, "Fail when MedQuAD Success@5 is below this");

namespace {

using patientqa::service::AskFeatures;
using patientqa::service::AskHandler;
using patientqa::service::IndexHolder;
namespace eval = patientqa::service::eval;

struct Config {
  const char* name;
  AskFeatures features;
};

// Baseline, then each feature added in turn: every gain is visible.
std::vector<Config> Configs() {
  AskFeatures f = AskFeatures::Plain();
  std::vector<Config> out = {{"plain BM25 (baseline)", f}};
  f.synonyms = true;
  out.push_back({"+ synonyms", f});
  f.spelling = true;
  out.push_back({"+ spelling", f});
  f.history = true;
  out.push_back({"+ history", f});
  f.tuning = true;
  f.refusal = true;
  out.push_back({"+ tuning (ranking, refusal)", f});
  f.variants = true;
  out.push_back({"+ question variants", f});
  f.concepts = true;
  out.push_back({"+ concept terms and focus", f});
  f.types = true;
  out.push_back({"+ question type", f});
  f.feedback = true;
  out.push_back({"+ feedback (when its weight > 0)", f});
  f.pins = true;
  out.push_back({"+ pinned answers", f});
  f.safety = true;
  out.push_back({"+ safety = full system", f});
  return out;
}

std::unique_ptr<IndexHolder> OpenOrBuild(const std::vector<patientqa::corpus::Article>& articles,
                                         const std::vector<patientqa::corpus::SynonymGroup>& syn,
                                         const patientqa::corpus::ClinicalFiles& clinical,
                                         const std::string& out) {
  auto holder = eval::BuildAndOpen(articles, syn, clinical, out);
  if (!holder.ok()) {
    std::fprintf(stderr, "patientqa-eval: %s\n", std::string(holder.status().message()).c_str());
    return nullptr;
  }
  return std::move(*holder);
}

bool Check(const char* what, double value, double limit, bool at_least, std::string* report) {
  const bool ok = at_least ? value >= limit : value <= limit;
  if (!ok) {
    *report += absl::StrFormat("FAILED: %s is %.3f, %s %.3f\n", what, value,
                               at_least ? "below the target" : "above the limit", limit);
  }
  return ok;
}

}  // namespace

patientqa::service::RankingParams ParamsFromFlags() {
  patientqa::service::RankingParams p;
  p.bm25_k1 = absl::GetFlag(FLAGS_k1);
  p.bm25_b = absl::GetFlag(FLAGS_b);
  p.synonym_weight = absl::GetFlag(FLAGS_synonym_weight);
  p.phrase_weight = absl::GetFlag(FLAGS_phrase_weight);
  p.context_weight = absl::GetFlag(FLAGS_context_weight);
  p.same_article_penalty = absl::GetFlag(FLAGS_same_article_penalty);
  p.vague_context_weight = absl::GetFlag(FLAGS_vague_context_weight);
  p.same_publisher_penalty = absl::GetFlag(FLAGS_same_publisher_penalty);
  p.heading_weight = absl::GetFlag(FLAGS_heading_weight);
  p.background_weight = absl::GetFlag(FLAGS_background_weight);
  p.max_per_article = absl::GetFlag(FLAGS_max_per_article);
  p.title_weight = absl::GetFlag(FLAGS_title_weight);
  p.question_weight = absl::GetFlag(FLAGS_question_weight);
  p.near_duplicate_similarity = absl::GetFlag(FLAGS_near_duplicate_similarity);
  p.definition_weight = absl::GetFlag(FLAGS_definition_weight);
  p.concept_weight = absl::GetFlag(FLAGS_concept_weight);
  p.broader_concept_weight = absl::GetFlag(FLAGS_broader_concept_weight);
  p.focus_weight = absl::GetFlag(FLAGS_focus_weight);
  p.type_weight = absl::GetFlag(FLAGS_type_weight);
  p.focus_miss_factor = absl::GetFlag(FLAGS_focus_miss_factor);
  p.qualifier_weight = absl::GetFlag(FLAGS_qualifier_weight);
  p.lead_in_weight = absl::GetFlag(FLAGS_lead_in_weight);
  p.entailment_history = absl::GetFlag(FLAGS_entailment_history);
  p.entailment_weight = absl::GetFlag(FLAGS_entailment_weight);
  p.feedback_weight = absl::GetFlag(FLAGS_feedback_weight);
  p.feedback_passages = absl::GetFlag(FLAGS_feedback_passages);
  p.feedback_terms = absl::GetFlag(FLAGS_feedback_terms);
  return p;
}

// The index to evaluate: --index, or the --corpus folder indexed into `scratch`.
std::unique_ptr<IndexHolder> OpenLibrary(const std::string& scratch,
                                         std::vector<patientqa::corpus::Diagnostic>* errors) {
  if (!absl::GetFlag(FLAGS_index).empty()) {
    auto h = IndexHolder::Open(absl::GetFlag(FLAGS_index));
    if (h.ok()) return std::move(*h);
    errors->push_back({absl::GetFlag(FLAGS_index), 0, std::string(h.status().message())});
    return nullptr;
  }
  patientqa::corpus::CorpusSources sources;
  sources.corpus_dir = absl::GetFlag(FLAGS_corpus);
  auto loaded = patientqa::corpus::LoadSources(sources);
  errors->insert(errors->end(), loaded.errors.begin(), loaded.errors.end());
  if (!loaded.errors.empty()) return nullptr;
  return OpenOrBuild(loaded.articles, loaded.synonyms, loaded.clinical, scratch);
}

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Measures patientqa's answers.\n"
      "  patientqa-eval [--index DIR | --corpus DIR] [--gold FILE] [--medquad FILE] "
      "[--report FILE] [--min_success3 X ...]");
  absl::ParseCommandLine(argc, argv);
  char tmp_template[] = "/tmp/patientqa-eval-XXXXXX";
  const std::string tmp = mkdtemp(tmp_template);
  std::string report;
  bool ok = true;

  if (const std::string gold_path = absl::GetFlag(FLAGS_gold); !gold_path.empty()) {
    std::vector<patientqa::corpus::Diagnostic> errors;
    const auto gold = eval::LoadGoldSet(gold_path, &errors);
    std::unique_ptr<IndexHolder> holder = OpenLibrary(tmp + "/gold", &errors);
    if (!errors.empty() || !holder) {
      for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
      std::fprintf(stderr, "patientqa-eval: cannot evaluate the gold set\n");
      return 1;
    }
    const AskHandler handler(holder.get(), ParamsFromFlags());
    report += absl::StrFormat("## Gold set (%s, %d questions)\n\n", gold_path, gold.size());
    report +=
        "| configuration | Success@1 | Success@3 | MRR@5 | off-topic refusal | false refusal | "
        "emergency recall | false alarms |\n|---|---|---|---|---|---|---|---|\n";
    std::vector<eval::GoldMetrics> results;
    for (const Config& c : Configs()) {
      results.push_back(eval::EvaluateGold(handler, gold, c.features));
      const auto& m = results.back();
      report += absl::StrFormat("| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", c.name,
                                m.overall.Success1(), m.overall.Success3(), m.overall.Mrr(),
                                m.RefusalRate(), m.FalseRefusalRate(), m.EmergencyRecall(),
                                m.FalseAlarmRate());
    }
    const eval::GoldMetrics& base = results.front();
    const eval::GoldMetrics& full = results.back();
    report += absl::StrFormat(
        "\nAnswerable questions: %d; off-topic: %d; emergencies: %d (of %d non-emergencies, "
        "%d flagged).\n\n",
        full.answerable, full.offtopic, full.emergencies, full.non_emergencies, full.false_alarms);
    for (const auto& [title, base_map, full_map] :
         {std::tuple{"topic", &base.by_topic, &full.by_topic},
          std::tuple{"category", &base.by_category, &full.by_category}}) {
      report += absl::StrFormat(
          "| %s | questions | Success@1 | Success@3 | MRR@5 | baseline Success@3 | baseline "
          "MRR@5 |\n|---|---|---|---|---|---|---|\n",
          title);
      for (const auto& [key, m] : *full_map) {
        const auto& b = base_map->at(key);
        report +=
            absl::StrFormat("| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f |\n", key, m.questions,
                            m.Success1(), m.Success3(), m.Mrr(), b.Success3(), b.Mrr());
      }
      report += "\n";
    }
    if (const std::string dump = absl::GetFlag(FLAGS_dump); !dump.empty()) {
      std::ofstream out(dump);
      for (const auto& line : full.details) out << line << "\n";
      std::ofstream base_out(dump + ".baseline");
      for (const auto& line : base.details) base_out << line << "\n";
    }
    if (const int folds = absl::GetFlag(FLAGS_cv); folds > 1) {
      std::vector<eval::Candidate> grid;
      const patientqa::service::RankingParams base_params = ParamsFromFlags();
      for (double ew : {0.0, 1.0, 2.0, 3.0}) {
        for (double cw : {0.0, 0.15, 0.3}) {
          for (double tw : {0.0, 0.3, 1.0}) {
            for (double fm : {1.0, 0.85}) {
              for (double qw : {1.0, 0.5}) {
                patientqa::service::RankingParams p = base_params;
                p.entailment_weight = ew;
                p.concept_weight = cw;
                p.type_weight = tw;
                p.focus_miss_factor = fm;
                p.qualifier_weight = qw;
                grid.push_back({absl::StrFormat("entailment %.2g, concepts %.2g, type %.2g, "
                                                "focus miss %.2g, qualifier %.2g",
                                                ew, cw, tw, fm, qw),
                                p});
              }
            }
          }
        }
      }
      const eval::CrossValidation cv = eval::CrossValidate(holder.get(), gold, grid, folds);
      report += absl::StrFormat(
          "### %d-fold cross-validation (%d candidate settings)\n\n"
          "| | Success@1 | Success@3 | MRR@5 | false refusal | off-topic refusal |\n"
          "|---|---|---|---|---|---|\n"
          "| pooled held-out folds | %.3f | %.3f | %.3f | %.3f | %.3f |\n\nChosen per fold:\n",
          folds, grid.size(), cv.overall.Success1(), cv.overall.Success3(), cv.overall.Mrr(),
          cv.answerable ? double(cv.refused_answerable) / cv.answerable : 0,
          cv.offtopic ? double(cv.refused_offtopic) / cv.offtopic : 0);
      for (size_t f = 0; f < cv.chosen.size(); ++f) {
        report += absl::StrFormat("- fold %d: %s\n", f + 1, cv.chosen[f]);
      }
      report += "\n";
    }
    if (absl::GetFlag(FLAGS_explain)) {
      report += "Explanations (full system):\n\n```\n";
      for (const auto& line : full.explanations) report += line + "\n";
      report += "```\n\n";
    }
    if (absl::GetFlag(FLAGS_misses)) {
      report += "Misses (no answering passage in the top 3):";
      for (const auto& id : full.misses) report += " " + id;
      report += "\n\n";
    }
    std::string failures;
    ok &= Check("gold Success@3", full.overall.Success3(), absl::GetFlag(FLAGS_min_success3), true,
                &failures);
    ok &= Check("gold MRR@5", full.overall.Mrr(), absl::GetFlag(FLAGS_min_mrr5), true, &failures);
    ok &= Check("off-topic refusal", full.RefusalRate(), absl::GetFlag(FLAGS_min_refusal), true,
                &failures);
    ok &= Check("false refusal", full.FalseRefusalRate(), absl::GetFlag(FLAGS_max_false_refusal),
                false, &failures);
    ok &= Check("emergency recall", full.EmergencyRecall(),
                absl::GetFlag(FLAGS_min_emergency_recall), true, &failures);
    ok &= Check("false alarms", full.FalseAlarmRate(), absl::GetFlag(FLAGS_max_false_alarm), false,
                &failures);
    // Every figure must also beat the plain baseline (ranking figures: unless told otherwise).
    const bool gain = absl::GetFlag(FLAGS_require_ranking_gain);
    ok &= Check("Success@3 gain over baseline", full.overall.Success3() - base.overall.Success3(),
                1e-9, true, &failures) ||
          !gain;
    ok &= Check("MRR@5 gain over baseline", full.overall.Mrr() - base.overall.Mrr(), 1e-9, true,
                &failures) ||
          !gain;
    // (Only for a set that has such questions.)
    if (full.offtopic > 0) {
      ok &= Check("refusal gain over baseline", full.RefusalRate() - base.RefusalRate(), 1e-9, true,
                  &failures);
    }
    if (full.emergencies > 0) {
      ok &= Check("emergency recall gain over baseline",
                  full.EmergencyRecall() - base.EmergencyRecall(), 1e-9, true, &failures);
    }
    report += failures;
  }

  if (const auto suite = absl::GetFlag(FLAGS_safety); !suite.empty()) {
    std::vector<patientqa::corpus::Diagnostic> errors;
    const auto cases = eval::LoadSafetySuite(
        std::vector<std::filesystem::path>(suite.begin(), suite.end()), &errors);
    std::unique_ptr<IndexHolder> holder = OpenLibrary(tmp + "/safety", &errors);
    if (!errors.empty() || !holder) {
      for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
      std::fprintf(stderr, "patientqa-eval: cannot evaluate the safety suite\n");
      return 1;
    }
    const AskHandler handler(holder.get(), ParamsFromFlags());
    const eval::SafetyMetrics m = eval::EvaluateSafety(handler, cases);
    report += absl::StrFormat("## Triage safety suite (%d messages)\n\n", cases.size());
    report += eval::FormatSafetyTable(m);
    report += "\n";
    if (absl::GetFlag(FLAGS_safety_failures)) {
      report += "Cases judged wrong:\n";
      for (const std::string& f : m.failures) report += "- " + f + "\n";
      report += "\n";
    }
    std::string failures;
    // Urgent recall is required in every category, not only overall.
    for (const auto& [category, c] : m.by_category) {
      ok &= Check(absl::StrCat("urgent recall (", category, ")").c_str(), c.UrgentRecall(),
                  absl::GetFlag(FLAGS_min_urgent_recall), true, &failures);
    }
    ok &= Check("urgent false alarms", m.overall.FalseUrgentRate(),
                absl::GetFlag(FLAGS_max_urgent_false_alarm), false, &failures);
    ok &= Check("crisis-line misfires", m.overall.crisis_misfires,
                absl::GetFlag(FLAGS_max_crisis_misfires), false, &failures);
    ok &= Check("English messages given the language note", m.overall.false_language, 0, false,
                &failures);
    report += failures;
  }

  if (const std::string medquad = absl::GetFlag(FLAGS_medquad); !medquad.empty()) {
    patientqa::corpus::MedquadImport m = patientqa::corpus::ImportMedquad(medquad);
    if (!m.errors.empty()) {
      for (const auto& e : m.errors) std::fprintf(stderr, "%s\n", e.ToString().c_str());
      return 1;
    }
    // The clinical rules come with the corpus folder (triage runs on every question).
    auto clinical = patientqa::corpus::ReadClinicalDir(
        std::filesystem::path(absl::GetFlag(FLAGS_corpus)) / "clinical");
    if (!clinical.ok()) {
      std::fprintf(stderr, "patientqa-eval: %s\n",
                   std::string(clinical.status().message()).c_str());
      return 1;
    }
    auto holder = OpenOrBuild(m.articles, {}, *clinical, tmp + "/medquad");
    if (!holder) return 1;
    const AskHandler handler(holder.get(), ParamsFromFlags());
    AskFeatures plain = AskFeatures::Plain();
    AskFeatures full;
    full.refusal = false;  // measure retrieval: never hide the passages
    const eval::MedquadMetrics base = eval::EvaluateMedquad(handler, m.pairs, plain);
    const eval::MedquadMetrics fullm = eval::EvaluateMedquad(handler, m.pairs, full);
    const eval::RankMetrics& b = base.overall;
    const eval::RankMetrics& f = fullm.overall;
    report += absl::StrFormat(
        "## MedQuAD (%s indexed alone: %d articles, %d questions)\n\n"
        "| configuration | Success@1 | Success@5 | MRR@5 |\n|---|---|---|---|\n"
        "| plain BM25 (baseline) | %.3f | %.3f | %.3f |\n| full system | %.3f | %.3f | %.3f |\n\n",
        medquad, m.articles.size(), m.pairs.size(), b.Success1(), b.Success5(), b.Mrr(),
        f.Success1(), f.Success5(), f.Mrr());
    report +=
        "| question type | questions | Success@1 | Success@5 | MRR@5 | baseline Success@5 | "
        "baseline MRR@5 |\n|---|---|---|---|---|---|---|\n";
    for (const auto& [qtype, q] : fullm.by_qtype) {
      const auto& qb = base.by_qtype.at(qtype);
      report +=
          absl::StrFormat("| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f |\n", qtype, q.questions,
                          q.Success1(), q.Success5(), q.Mrr(), qb.Success5(), qb.Mrr());
    }
    report += "\n";
    if (const std::string dump = absl::GetFlag(FLAGS_dump); !dump.empty()) {
      std::ofstream out(dump + ".medquad");
      for (const auto& line : fullm.details) out << line << "\n";
      std::ofstream base_out(dump + ".medquad.baseline");
      for (const auto& line : base.details) base_out << line << "\n";
    }
    std::string failures;
    ok &= Check("MedQuAD Success@5", f.Success5(), absl::GetFlag(FLAGS_min_medquad_success5), true,
                &failures);
    ok &= Check("MedQuAD Success@5 gain over baseline", f.Success5() - b.Success5(), 1e-9, true,
                &failures);
    report += failures;
  }
  std::fputs(report.c_str(), stdout);
  if (const std::string path = absl::GetFlag(FLAGS_report); !path.empty()) {
    std::ofstream(path) << report;
  }
  std::error_code ec;
  std::filesystem::remove_all(tmp, ec);
  return ok ? 0 : 1;
}
