#include "index/pinned_answers.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "corpus/language/normalizer.h"
#include "corpus/language/question_type.h"
#include "corpus/language/search_concepts.h"
#include "index/text_analysis.h"

namespace patientqa::index {

std::vector<std::string> VariantFeatures(std::string_view text,
                                         const corpus::ConceptMatcher& concepts) {
  const std::string normalized = corpus::NormalizeTypography(text);
  std::vector<std::string> ids, types;
  for (const corpus::SearchConcept& c : corpus::SearchConceptsIn(concepts, normalized)) {
    ids.push_back(concepts.vocabulary().concepts()[c.concept_index].id);
  }
  for (corpus::QuestionType t : corpus::ClassifyQuestion(normalized)) {
    types.emplace_back(corpus::QuestionTypeId(t));
  }
  return QuestionFeatures(normalized, ids, types);
}

CompiledPin CompilePin(const corpus::PinnedAnswer& pin, const corpus::ConceptMatcher& concepts) {
  CompiledPin out;
  out.id = pin.id;
  out.min_similarity = pin.min_similarity;
  out.concepts = pin.concepts;
  for (const std::string& q : pin.questions) out.examples.push_back(VariantFeatures(q, concepts));
  for (const corpus::PinnedPassage& p : pin.passages) out.passage_ids.push_back(p.passage_id);
  return out;
}

std::string EncodePins(const std::vector<CompiledPin>& pins) {
  nlohmann::json j = nlohmann::json::array();
  for (const CompiledPin& p : pins) {
    j.push_back({{"id", p.id},
                 {"similarity", p.min_similarity},
                 {"concepts", p.concepts},
                 {"examples", p.examples},
                 {"passages", p.passage_ids}});
  }
  return j.dump();
}

std::vector<CompiledPin> DecodePins(const std::string& encoded) {
  std::vector<CompiledPin> out;
  if (encoded.empty()) return out;
  for (const nlohmann::json& j : nlohmann::json::parse(encoded)) {
    CompiledPin p;
    p.id = j.at("id").get<std::string>();
    p.min_similarity = j.at("similarity").get<double>();
    p.concepts = j.at("concepts").get<std::vector<std::string>>();
    p.examples = j.at("examples").get<std::vector<std::vector<std::string>>>();
    p.passage_ids = j.at("passages").get<std::vector<std::string>>();
    out.push_back(std::move(p));
  }
  return out;
}

PinMatch MatchPin(const std::vector<CompiledPin>& pins,
                  const std::vector<std::string>& question_features,
                  const std::vector<std::string>& question_concepts,
                  const std::string& focus_feature,
                  const std::function<double(const std::string&)>& rarity) {
  double question_mass = 0;
  for (const std::string& f : question_features) question_mass += rarity(f);
  for (const CompiledPin& pin : pins) {
    const bool names_all =
        std::all_of(pin.concepts.begin(), pin.concepts.end(), [&](const auto& c) {
          return std::find(question_concepts.begin(), question_concepts.end(), c) !=
                 question_concepts.end();
        });
    if (!names_all) continue;
    if (pin.examples.empty()) return {&pin, 1.0};
    double best = 0;
    for (const std::vector<std::string>& example : pin.examples) {
      // Both sorted (QuestionFeatures). Unlike a variant's features, an example's may be words no
      // variant uses: they are shared all the same, so a question asked word for word as the
      // example is written matches it fully.
      double shared = 0, mass = 0;
      for (const std::string& f : example) mass += rarity(f);
      for (size_t i = 0, k = 0; i < example.size() && k < question_features.size();) {
        if (example[i] < question_features[k]) {
          ++i;
        } else if (question_features[k] < example[i]) {
          ++k;
        } else {
          shared += rarity(example[i]);
          ++i, ++k;
        }
      }
      const bool has_focus = focus_feature.empty() ||
                             std::binary_search(example.begin(), example.end(), focus_feature);
      best = std::max(best, EntailmentSimilarity(shared, question_mass, mass, has_focus));
    }
    if (best >= pin.min_similarity) return {&pin, best};
  }
  return {};
}

}  // namespace patientqa::index
