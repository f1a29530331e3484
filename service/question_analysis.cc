#include "service/question_analysis.h"

#include <array>

namespace patientqa::service {
namespace {

// How specific a concept type is as a question's focus: lower is more specific. Another disease
// decides scope; then a treatment, test, finding or subject ("How is FOLFOX given for bowel
// cancer in the liver?" is about FOLFOX, "how often will I need CT scans after surgery?" about
// the scans: the first named of these wins); then a body part ("why does it go to the liver?");
// then the disease itself ("what is stage 4 bowel cancer?").
int FocusRank(std::string_view type) {
  if (type == "other-disease" || type == "other-condition" || type == "outside-subject" ||
      type == "animal-patient") {
    return 0;
  }
  if (type == "body") return 2;
  if (type == "disease") return 3;
  return 1;
}

}  // namespace

QuestionAnalysis AnalyzeQuestion(const corpus::Vocabulary& vocabulary,
                                 const triage::AnalyzedText& question) {
  QuestionAnalysis out;
  std::vector<corpus::Mention> mentions;
  mentions.reserve(question.mentions.size());
  for (const triage::ContextualMention& m : question.mentions) mentions.push_back(m.mention);
  out.concepts = corpus::SearchConcepts(vocabulary, mentions);
  int best_rank = 0;
  for (const corpus::Mention& m : mentions) {  // text order: the first of a rank wins
    const corpus::Concept& c = vocabulary.concepts()[m.concept_index];
    if (!corpus::IsSearchConceptType(c.type)) continue;
    const int rank = FocusRank(c.type);
    if (out.focus < 0 || rank < best_rank) {
      out.focus = m.concept_index;
      best_rank = rank;
    }
  }
  out.types = corpus::ClassifyQuestion(question.normalized);
  // A treatment, test, finding or subject focus: the subject's words only say whose cancer it is.
  // ("How does bowel cancer get to the liver?" is about the bowel cancer as much as the liver.)
  if (out.focus >= 0 && best_rank <= 1 && !vocabulary.concepts()[out.focus].qualifier) {
    for (const corpus::Mention& m : mentions) {
      if (!vocabulary.concepts()[m.concept_index].qualifier) continue;
      out.qualifier_concepts.push_back(m.concept_index);
      for (size_t t = m.begin; t < m.end && t < question.tokens.size(); ++t) {
        out.qualifier_words.push_back(question.tokens[t].text);
      }
    }
  }
  return out;
}

}  // namespace patientqa::service
