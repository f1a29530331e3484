#include "service/eval/evaluation.h"

#include <set>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "corpus/text.h"

namespace patientqa::service::eval {

void RankMetrics::Add(int rank) {
  ++questions;
  if (rank < 1) return;
  success1 += rank <= 1;
  success3 += rank <= 3;
  success5 += rank <= 5;
  if (rank <= 5) reciprocal_rank_sum += 1.0 / rank;
}

GoldMetrics EvaluateGold(const AskHandler& handler, const std::vector<GoldQuestion>& gold,
                         const AskFeatures& features) {
  GoldMetrics m;
  for (const GoldQuestion& q : gold) {
    AskQuery query;
    query.question = q.question;
    query.history = q.history;
    query.max_passages = 5;
    absl::StatusOr<AskResult> r = handler.Ask(query, features);
    if (!r.ok()) {
      m.misses.push_back(q.id + " (error)");
      m.outcomes.push_back({});
      continue;
    }
    const bool urgent = r->safety.level == SafetyLevel::kUrgent;
    auto detail = [&](int rank) {
      std::string explanation = absl::StrCat(
          q.id, " rank=", rank, r->answered ? "" : " REFUSED", " type=",
          r->understanding.types.empty() ? "-" : absl::StrJoin(r->understanding.types, ","),
          " focus=", r->understanding.focus.empty() ? "-" : r->understanding.focus,
          " concepts=", absl::StrJoin(r->understanding.concepts, ","),
          r->pinned_answer.empty() ? ""
                                   : absl::StrFormat(" pinned=%s (similarity %.2f)",
                                                     r->pinned_answer, r->pin_similarity),
          "\n  ", q.question);
      for (size_t i = 0; i < r->passages.size() && i < 3; ++i) {
        const index::Hit& h = r->passages[i];
        absl::StrAppend(
            &explanation,
            absl::StrFormat("\n  %d. %s (score %.2f, entailment %.2f)%s %s", i + 1, h.passage_id,
                            h.score, h.entailment, h.pinned ? " PINNED" : "", h.section));
      }
      m.explanations.push_back(std::move(explanation));
      const auto& best = r->best_match;
      m.details.push_back(absl::StrCat(q.id, "\t", static_cast<int>(q.expect), "\t", q.category,
                                       "\t", r->answered, "\t", urgent, "\t", rank, "\t",
                                       best.matched, "\t", best.weighted_coverage, "\t", best.score,
                                       "\t", best.concepts, "\t", q.question));
    };
    if (q.expect == Expect::kUrgent) {
      ++m.emergencies;
      m.flagged_emergencies += urgent;
    } else {
      ++m.non_emergencies;
      m.false_alarms += urgent;
    }
    if (q.expect == Expect::kRefuse) {
      ++m.offtopic;
      m.refused_offtopic += !r->answered;
      m.outcomes.push_back({r->answered, 0});
      detail(0);
      continue;
    }
    if (q.expect != Expect::kAnswer) {
      m.outcomes.push_back({r->answered, 0});
      detail(0);
      continue;
    }
    ++m.answerable;
    m.refused_answerable += !r->answered;
    int rank = 0;
    for (size_t i = 0; i < r->passages.size() && i < 5 && rank == 0; ++i) {
      for (const std::regex& p : q.patterns) {
        if (std::regex_search(r->passages[i].text, p)) {
          rank = static_cast<int>(i) + 1;
          break;
        }
      }
    }
    detail(rank);
    m.outcomes.push_back({r->answered, rank});
    m.overall.Add(rank);
    m.by_topic[q.topic].Add(rank);
    m.by_category[q.category].Add(rank);
    if (rank == 0 || rank > 3) m.misses.push_back(q.id);
  }
  return m;
}

namespace {

std::string Normalize(std::string_view text) {
  std::string out;
  for (const std::string& w : corpus::LowerCaseWords(text)) {
    out += w;
    out += ' ';
  }
  return out;
}

}  // namespace

MedquadMetrics EvaluateMedquad(const AskHandler& handler,
                               const std::vector<corpus::MedquadPair>& pairs,
                               const AskFeatures& features) {
  // Identical answers count as equivalent (MedQuAD repeats some, e.g. the clinical-trials one).
  std::unordered_map<std::string, std::set<std::string>> articles_with_answer;
  std::vector<std::string> normalized;
  for (const auto& p : pairs) {
    normalized.push_back(Normalize(p.answer));
    articles_with_answer[normalized.back()].insert(p.article_id);
  }
  MedquadMetrics m;
  for (size_t k = 0; k < pairs.size(); ++k) {
    AskQuery query;
    query.question = pairs[k].question;
    query.max_passages = 5;
    absl::StatusOr<AskResult> r = handler.Ask(query, features);
    int rank = 0;
    if (r.ok()) {
      for (size_t i = 0; i < r->passages.size() && rank == 0; ++i) {
        const index::Hit& h = r->passages[i];
        if (!articles_with_answer[normalized[k]].count(h.article_id)) continue;
        if (normalized[k].find(Normalize(h.text)) != std::string::npos) rank = int(i) + 1;
      }
    }
    m.overall.Add(rank);
    m.by_qtype[pairs[k].qtype].Add(rank);
    m.details.push_back(
        absl::StrCat(pairs[k].id, "\t", pairs[k].qtype, "\t", rank, "\t", pairs[k].question));
  }
  return m;
}

absl::StatusOr<std::unique_ptr<IndexHolder>> BuildAndOpen(
    const std::vector<corpus::Article>& articles, const std::vector<corpus::SynonymGroup>& synonyms,
    const corpus::ClinicalFiles& clinical, const std::filesystem::path& out,
    index::BuildStats* stats) {
  index::BuildOptions options;
  options.out = out;
  options.synonyms = synonyms;
  options.clinical = clinical;
  absl::StatusOr<index::BuildStats> built = index::BuildIndex(articles, options);
  if (!built.ok()) return built.status();
  if (stats) *stats = *built;
  return IndexHolder::Open(out);
}

CrossValidation CrossValidate(const IndexHolder* index, const std::vector<GoldQuestion>& gold,
                              const std::vector<Candidate>& grid, int folds) {
  CrossValidation cv;
  if (grid.empty() || folds < 2) return cv;
  std::vector<int> fold_of(gold.size());
  for (size_t i = 0; i < gold.size(); ++i) {
    fold_of[i] = static_cast<int>(std::hash<std::string>{}(gold[i].id) % folds);
  }
  // Every candidate once over the whole set; folds only choose among the outcomes.
  std::vector<std::vector<GoldMetrics::Outcome>> outcomes;
  for (const Candidate& c : grid) {
    const AskHandler handler(index, c.params);
    outcomes.push_back(EvaluateGold(handler, gold, AskFeatures{}).outcomes);
  }
  for (int f = 0; f < folds; ++f) {
    size_t best = 0;
    double best_score = -1;
    for (size_t c = 0; c < grid.size(); ++c) {
      RankMetrics train;
      for (size_t i = 0; i < gold.size(); ++i) {
        if (fold_of[i] != f && gold[i].expect == Expect::kAnswer) train.Add(outcomes[c][i].rank);
      }
      const double score = train.Success3() + train.Mrr();
      if (score > best_score + 1e-12) {
        best = c;
        best_score = score;
      }
    }
    cv.chosen.push_back(grid[best].label);
    for (size_t i = 0; i < gold.size(); ++i) {
      if (fold_of[i] != f) continue;
      const GoldMetrics::Outcome& o = outcomes[best][i];
      if (gold[i].expect == Expect::kAnswer) {
        cv.overall.Add(o.rank);
        ++cv.answerable;
        cv.refused_answerable += !o.answered;
      } else if (gold[i].expect == Expect::kRefuse) {
        ++cv.offtopic;
        cv.refused_offtopic += !o.answered;
      }
    }
  }
  return cv;
}

}  // namespace patientqa::service::eval
