#include "service/topics.h"

#include <regex>
#include <string>

namespace patientqa::service {

std::vector<corpus::TopicInfo> DetectTopics(std::string_view question) {
  struct Rule {
    std::string_view topic;
    std::regex pattern;
  };
  static const std::vector<Rule>* const kRules = [] {
    const auto flags = std::regex::ECMAScript | std::regex::icase | std::regex::optimize;
    return new std::vector<Rule>{
        {"spread",
         std::regex(
             R"(spread|metasta|secondar|stage (4|four|iv)|liver|lung|peritone|ascites|bone|brain|lymph|come back|recurr)",
             flags)},
        {"diagnosis",
         std::regex(
             R"(\bscans?\b|\bct\b|\bmri\b|\bpet\b|\bcea\b|biopsy|\btests?\b|marker|biomarker|\bras\b|kras|braf|her2|\bmsi\b|mmr|found|diagnos)",
             flags)},
        {"treatment",
         std::regex(
             R"(treat|surgery|surgeon|operat|resect|remov|chemo|folfox|folfiri|capox|folfoxiri|capecitabine|xeloda|radiotherapy|radiation|sbrt|immunotherapy|targeted|drug|trial|ablation|tace|sirt|hipec|stoma|colostomy|ileostomy|palliative|cure|shrink)",
             flags)},
        {"mdt",
         std::regex(
             R"(\bmdt\b|multidisciplinary|tumou?r board|team meeting|second opinion|specialist team|care team)",
             flags)},
        {"side-effects",
         std::regex(
             R"(side[- ]effect|sick|nause|vomit|diarrh|tired|fatigue|tingl|numb|rash|hair|fever|temperature|mouth|sore|infection|hand[- ]foot)",
             flags)},
        {"living",
         std::regex(
             R"(\beat|diet|food|nutrition|weight|feel|anxious|anxiety|depress|scared|afraid|support|family|children|\bkids?\b|\bwork\b|cope|coping|prognosis|outlook|how long|surviv|hospice|carer|caring)",
             flags)},
    };
  }();
  const std::string text(question);
  std::vector<corpus::TopicInfo> out;
  for (const corpus::TopicInfo& topic : corpus::KnownTopics()) {
    for (const Rule& rule : *kRules) {
      if (rule.topic == topic.id && std::regex_search(text, rule.pattern)) out.push_back(topic);
    }
  }
  return out;
}

}  // namespace patientqa::service
