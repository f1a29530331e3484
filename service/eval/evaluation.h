#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/importers.h"
#include "corpus/language/clinical_rules.h"
#include "corpus/language/vocabulary.h"
#include "index/index_builder.h"
#include "service/ask_handler.h"
#include "service/eval/gold_set.h"

namespace patientqa::service::eval {

// Retrieval figures over answerable questions.
struct RankMetrics {
  int questions = 0;
  int success1 = 0;
  int success3 = 0;
  int success5 = 0;
  double reciprocal_rank_sum = 0;  // 1/rank of the first answering passage in the top 5

  double Success1() const { return questions ? double(success1) / questions : 0; }
  double Success3() const { return questions ? double(success3) / questions : 0; }
  double Success5() const { return questions ? double(success5) / questions : 0; }
  double Mrr() const { return questions ? reciprocal_rank_sum / questions : 0; }
  void Add(int rank);  // 1-based rank of the first answering passage, 0 for none
};

struct GoldMetrics {
  RankMetrics overall;
  std::map<std::string, RankMetrics> by_topic;
  std::map<std::string, RankMetrics> by_category;
  int offtopic = 0, refused_offtopic = 0;
  int answerable = 0, refused_answerable = 0;
  int emergencies = 0, flagged_emergencies = 0;
  int non_emergencies = 0, false_alarms = 0;
  std::vector<std::string> misses;  // ids of answerable questions without a hit in the top 3
  // One line per question: id, expect, category, answered, urgent, rank, top coverage figures.
  std::vector<std::string> details;
  // Per question: how it was read (question types, focus, concepts) and its top three passages
  // with their scores and question-entailment similarity (patientqa-eval --explain).
  std::vector<std::string> explanations;
  // Per question, in gold-set order: whether it was answered and the rank of the first
  // answering passage (answerable questions; 0: none in the top 5).
  struct Outcome {
    bool answered = false;
    int rank = 0;
  };
  std::vector<Outcome> outcomes;

  double RefusalRate() const { return offtopic ? double(refused_offtopic) / offtopic : 0; }
  double FalseRefusalRate() const {
    return answerable ? double(refused_answerable) / answerable : 0;
  }
  double EmergencyRecall() const {
    return emergencies ? double(flagged_emergencies) / emergencies : 0;
  }
  double FalseAlarmRate() const {
    return non_emergencies ? double(false_alarms) / non_emergencies : 0;
  }
};

// Asks every gold question through `handler` with `features` and scores the answers.
GoldMetrics EvaluateGold(const AskHandler& handler, const std::vector<GoldQuestion>& gold,
                         const AskFeatures& features);

struct MedquadMetrics {
  RankMetrics overall;
  std::map<std::string, RankMetrics> by_qtype;
  // One line per question: id, qtype, rank (0: none in the top 5), the question.
  std::vector<std::string> details;
};

// Asks each MedQuAD question; a hit is a passage taken from that pair's answer, or from an
// identical answer of another pair.
MedquadMetrics EvaluateMedquad(const AskHandler& handler,
                               const std::vector<corpus::MedquadPair>& pairs,
                               const AskFeatures& features);

// Indexes `articles` with `synonyms` and the clinical rule files at `out` (for a measurement: a
// scratch directory) and opens the result. `stats`, when given, receives the build's figures.
absl::StatusOr<std::unique_ptr<IndexHolder>> BuildAndOpen(
    const std::vector<corpus::Article>& articles, const std::vector<corpus::SynonymGroup>& synonyms,
    const corpus::ClinicalFiles& clinical, const std::filesystem::path& out,
    index::BuildStats* stats = nullptr);

// k-fold cross-validation of ranking parameters on a gold set: the questions are dealt into
// `folds` folds (by a hash of their ids, so the split is stable); for each fold the candidate
// in `grid` with the best Success@3 + MRR@5 on the other folds (ties: the earlier candidate) is
// measured on that fold. The figures pool the held-out folds: each question is scored once,
// by parameters chosen without it.
struct CrossValidation {
  RankMetrics overall;  // answerable questions
  int answerable = 0, refused_answerable = 0;
  int offtopic = 0, refused_offtopic = 0;
  std::vector<std::string> chosen;  // per fold: the label of the candidate chosen
};
struct Candidate {
  std::string label;
  RankingParams params;
};
CrossValidation CrossValidate(const IndexHolder* index, const std::vector<GoldQuestion>& gold,
                              const std::vector<Candidate>& grid, int folds);

}  // namespace patientqa::service::eval
