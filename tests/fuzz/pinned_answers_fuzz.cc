// Fuzzes the pinned-answers parser (corpus/clinical/pinned-answers.txt) over a small vocabulary,
// and the check of its passages against one article. Every pin it keeps must be usable: an
// intent, 1..kMaxPinnedPassages passages, a similarity in (0, 1] and its governance lines.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "corpus/pinned_answers.h"

namespace {

using patientqa::corpus::Diagnostic;

const patientqa::corpus::Vocabulary& TestVocabulary() {
  static const auto* const kVocabulary = [] {
    std::vector<Diagnostic> errors;
    return new patientqa::corpus::Vocabulary(patientqa::corpus::Vocabulary::Parse(
        "vocabulary.txt",
        "concept fever\n  type: finding\n  terms: fever\n"
        "concept chemotherapy\n  type: treatment\n  terms: chemo\n"
        "concept nurse\n  type: person\n  terms: nurse\n",
        &errors));
  }();
  return *kVocabulary;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<Diagnostic> errors;
  const auto pins = patientqa::corpus::ParsePinnedAnswers("fuzz/pinned-answers.txt", input,
                                                          TestVocabulary(), &errors);
  patientqa::corpus::Article article;
  article.id = "fever";
  article.body = "## What should I do?\n\nA fever during chemotherapy is an emergency.\n";
  for (const patientqa::corpus::PinnedAnswer& p : pins) {
    if ((p.questions.empty() && p.concepts.empty()) || p.passages.empty() ||
        p.passages.size() > static_cast<size_t>(patientqa::corpus::kMaxPinnedPassages) ||
        !(p.min_similarity > 0 && p.min_similarity <= 1) || p.reviewer.empty() ||
        p.reviewed.empty() || p.source.empty()) {
      __builtin_trap();
    }
    patientqa::corpus::CheckPinnedPassages(p, {article}, &errors);
  }
  return 0;
}
