#include "corpus/language/question_type.h"

#include <array>
#include <memory>

#include "corpus/language/normalizer.h"
#include "re2/re2.h"

namespace patientqa::corpus {
namespace {

struct Pattern {
  QuestionType type;
  const char* id;
  const char* regex;  // over NormalizeText output: lower case, plain quotes, single spaces
};

// Ordered as the enum. Word boundaries keep "cure" from matching "secure" and "signs" from
// "assigns".
constexpr std::array<Pattern, 11> kPatterns = {{
    {QuestionType::kDefinition, "definition",
     R"((?:^|[.?!:;-] |^.{0,80}[,-] )(?:so |and |ok |please )*(?:(?:what|wat|wot|wht)(?: is|'s| are| exactly is| r| iz)|whats|wats|what does .{1,60} mean|what do .{1,60} mean|meaning of|define)\b|\bwhat (?:does|do) (?:it|that|this|they|those) mean\b)"},
    {QuestionType::kCause, "cause",
     R"(\b(?:why|cause[sd]?|causing|how (?:does|did|do|can) .{1,60} (?:spread|happen|get|go|start)|what makes)\b)"},
    {QuestionType::kSymptoms, "symptoms",
     R"(\b(?:symptoms?|signs?|how (?:would|will|do|can) (?:i|we|you|he|she|they) (?:know|tell)|notice|look out for|watch (?:out )?for|warning)\b)"},
    {QuestionType::kTreatment, "treatment",
     R"(\b(?:treat(?:ed|ing|ment|ments)?|therap(?:y|ies)|options?|what can (?:be|they|you|we) do|what (?:else )?can be done|which (?:drugs?|chemo|medicines?|tablets?)|drugs?|chemo(?:therapy)?|surgery|operat(?:e|ion)|remov(?:e|ed|al)|cure)\b)"},
    {QuestionType::kSideEffects, "side-effects",
     R"(\b(?:side[ -]effects?|after ?effects?|reactions?|make (?:me|him|her|you|them) (?:feel|sick|tired))\b)"},
    {QuestionType::kOutlook, "outlook",
     R"(\b(?:outlook|prognosis|survival|surviv(?:e|ing)|life expectancy|how long (?:do|does|will|have|has|can|could) (?:i|he|she|they|people|someone|my \w+) (?:live|have|got|survive)|curable|chances?|death sentence|terminal|dying)\b)"},
    {QuestionType::kSchedule, "schedule",
     R"(\b(?:how often|how long (?:does|do|will|is|are|should) (?:it|the|a|treatment|chemo|each|this|they)|how many (?:times|cycles|sessions|rounds|doses|weeks|months)|when (?:will|do|does|should|is|are|can|would)|schedule|every (?:two|three|few|\d+) (?:weeks|months|days)|how soon)\b)"},
    {QuestionType::kEligibility, "eligibility",
     R"(^(?:so |and |but |ok |please )*(?:can|could|may|should|would|will|am|is|are|do|does) (?:i|he|she|they|we|you|my|his|her|it|this|that|the|people|someone|anyone|mum|dad)\b|\b(?:who (?:can|could|is suitable|gets|might|should)|suitable|eligible|possible to|allowed to)\b)"},
    {QuestionType::kProcedure, "procedure",
     R"(\b(?:what happens (?:during|at|in|when|after|before)|what (?:is|will) (?:it|the \w+) (?:be )?like|how (?:is|are|will) (?:it|they|the \w+) (?:done|given|carried out|put in|taken|made)|how (?:do|should|does|would) (?:i|he|she|you|we|they) take|procedure|what to expect)\b)"},
    {QuestionType::kPractical, "practical",
     R"(\b(?:cost|costs|pay|paying|money|benefits?|work|working|job|employer|drive|driving|dvla|travel(?:ling)?|holiday|insurance|mortgage|pension|prescriptions?)\b)"},
    {QuestionType::kHelp, "help",
     R"(\b(?:where (?:can|do|should) (?:i|we|you) (?:get|find|go)|how (?:to|do (?:i|we|you)|can (?:i|we|you)|would (?:i|we)) (?:find|look for|get into|join)|who (?:can|could|should) (?:i|we) (?:talk|speak|call|ring|contact|ask)|helplines?|support groups?|support|counsell?(?:ing|or)|charity|charities)\b)"},
}};

const std::vector<std::unique_ptr<RE2>>& Compiled() {
  static const auto* compiled = [] {
    auto* out = new std::vector<std::unique_ptr<RE2>>();
    RE2::Options options;
    options.set_log_errors(false);
    for (const Pattern& p : kPatterns) out->push_back(std::make_unique<RE2>(p.regex, options));
    return out;
  }();
  return *compiled;
}

}  // namespace

std::string_view QuestionTypeId(QuestionType type) {
  return kPatterns[static_cast<size_t>(type)].id;
}

std::vector<QuestionType> ClassifyQuestion(std::string_view text) {
  const std::string normalized = NormalizeText(text);
  std::vector<QuestionType> out;
  const auto& compiled = Compiled();
  for (size_t i = 0; i < kPatterns.size(); ++i) {
    if (compiled[i]->ok() && RE2::PartialMatch(normalized, *compiled[i])) {
      out.push_back(kPatterns[i].type);
    }
  }
  return out;
}

}  // namespace patientqa::corpus
