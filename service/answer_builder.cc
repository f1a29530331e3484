#include "service/answer_builder.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace patientqa::service {
namespace {

struct Candidate {
  std::string text;
  int rank = 0;      // 1-based passage rank
  int position = 0;  // sentence position within the passage
  std::set<std::string> terms;
  size_t words = 0;
  bool defines = false;  // defines the thing a "What is X?" question asks about
};

}  // namespace

std::string BuildExtractiveAnswer(const std::vector<index::Hit>& hits,
                                  const std::vector<std::string>& query_terms,
                                  const index::Searcher& searcher, const AnswerOptions& options) {
  if (hits.empty()) return "";
  const std::set<std::string> wanted(query_terms.begin(), query_terms.end());
  std::vector<Candidate> candidates;
  const int considered = std::min<int>(options.passages_considered, static_cast<int>(hits.size()));
  for (int r = 0; r < considered; ++r) {
    int position = 0;
    const auto sentences = searcher.Sentences(hits[r]);
    for (const index::PassageSentence& sentence : *sentences) {
      Candidate c;
      c.words = sentence.words;
      if (c.words < 4) continue;  // fragments such as "Others:" make poor answers
      for (const std::string& t : sentence.terms) {
        if (wanted.count(t)) c.terms.insert(t);
      }
      c.text = sentence.text;
      c.rank = r + 1;
      c.position = position++;
      candidates.push_back(std::move(c));
    }
  }
  if (!options.definition_subject.empty()) {
    std::vector<std::string> texts;
    for (const Candidate& c : candidates) texts.push_back(c.text);
    const std::vector<bool> defines = searcher.Defines(texts, options.definition_subject);
    for (size_t i = 0; i < candidates.size(); ++i) candidates[i].defines = defines[i];
  }
  std::set<std::string> covered;
  std::vector<const Candidate*> chosen;
  size_t words = 0;
  auto gain = [&](const Candidate& c) {
    double new_terms = 0, old_terms = 0;
    for (const auto& t : c.terms) (covered.count(t) ? old_terms : new_terms) += 1;
    // New terms count fully, repeated ones a little; better passages and earlier sentences win
    // ties.
    return (new_terms + 0.25 * old_terms + (c.defines ? 1.0 : 0.0)) / (1.0 + 0.3 * (c.rank - 1)) -
           0.01 * c.position;
  };
  while (static_cast<int>(chosen.size()) < options.max_sentences) {
    const Candidate* best = nullptr;
    double best_gain = 0;
    for (const Candidate& c : candidates) {
      if (std::find(chosen.begin(), chosen.end(), &c) != chosen.end()) continue;
      if (!chosen.empty() && words + c.words > static_cast<size_t>(options.max_words)) continue;
      const double g = gain(c);
      // After the first sentence, only add one that brings a question term not yet covered.
      const bool adds_new = std::any_of(c.terms.begin(), c.terms.end(),
                                        [&](const std::string& t) { return !covered.count(t); });
      if (!chosen.empty() && !adds_new) continue;
      if (g > best_gain) {
        best_gain = g;
        best = &c;
      }
    }
    if (best == nullptr) break;
    chosen.push_back(best);
    words += best->words;
    covered.insert(best->terms.begin(), best->terms.end());
  }
  if (chosen.empty()) {
    // Matched through context words only: quote the best passage's opening sentence.
    for (const Candidate& c : candidates) {
      if (c.rank == 1) {
        chosen.push_back(&c);
        break;
      }
    }
  }
  std::vector<std::string> parts;
  for (const Candidate* c : chosen) parts.push_back(absl::StrCat(c->text, " [", c->rank, "]"));
  return absl::StrJoin(parts, " ");
}

}  // namespace patientqa::service
