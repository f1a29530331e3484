#include "service/safety.h"

#include <regex>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace patientqa::service {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Curly apostrophes from phone keyboards.
  absl::StrReplaceAll({{"\xE2\x80\x99", "'"}}, &out);
  return out;
}

// Patterns are string literals: compile each once per thread.
bool Has(const std::string& text, const char* pattern) {
  thread_local std::unordered_map<const char*, std::regex> compiled;
  auto it = compiled.find(pattern);
  if (it == compiled.end()) {
    it = compiled
             .emplace(pattern, std::regex(pattern, std::regex::ECMAScript | std::regex::optimize))
             .first;
  }
  return std::regex_search(text, it->second);
}

// Signs that the message describes what is happening now, to the writer or someone with them.
bool DescribesNow(const std::string& t) {
  return Has(t,
             R"(\b(i'?m|i am|i'?ve|i have|i've got|i got|i keep|i can'?t|i cannot|i feel|i've been|i haven'?t|i just)\b)") ||
         Has(t,
             R"(\b(he|she|they|mum|mom|dad|husband|wife|partner|son|daughter|father|mother)\b.*\b(is|has|'s|keeps|can'?t|cannot|hasn'?t|been|started|just|looks?|won'?t)\b)") ||
         Has(t,
             R"(\b(my|his|her) (chest|tummy|stomach|belly|stoma|bag|legs?|back|head|breathing|heart|lips|temperature|temp)\b.{0,40}\b(is|are|feels?|has|have|keeps?|won'?t|hurts?|been|looks?)\b|\b(all of a sudden|suddenly)\b|\b(filling|pouring|gushing|streaming|spurting)\b|\b(what|wat|wot) do (i|we) do\b)") ||
         Has(t,
             R"(\b(right now|now|tonight|today|this morning|this evening|at the moment|since (this|last|yesterday)|for the last|hours?|won'?t stop|keeps? (bleeding|vomiting|being sick))\b)") ||
         Has(t,
             R"(\b(my|his|her) (temperature|temp) (is|was|has)\b|\b3[89](\.\d)?\s*(c|°|degrees)?\b)");
}

// Questions about what to look out for, asked in general.
bool AsksInGeneral(const std::string& t) {
  return Has(t,
             R"(^\s*(what|which|when|how|is it|are there|can|could|should|does|do)\b.*\b(if|signs?|symptoms?|mean|cause|normal|happen|emergency|look out|watch for|warning)\b)") &&
         !Has(t, R"(\b(right now|now|tonight|at the moment)\b)");
}

}  // namespace

EmergencyKind DetectEmergency(std::string_view question, const std::vector<std::string>& history) {
  const std::string q = Lower(question);
  // Self-harm is urgent however it is phrased.
  if (Has(q,
          R"(suicid|kill (my ?self|him ?self|her ?self|them ?selves)|cut(ting)? (my ?self|myself) on purpose|end(ing)? (my|it all|my life|things)|take my (own )?life|self[- ]?harm|hurt(ing)? my ?self|harm(ing)? my ?self|(don'?t|do not) want to (be here|live|go on|wake up)|better off dead|no (point|reason) (in )?(living|going on)|want to die|(taken|took|swallowed) (all|too many|a lot of|loads of|a whole).{0,25}(tablets|pills|medicine|painkillers)|overdos|(saving|saved|stockpil\w*|hoard\w*|collecting) (up )?(my |his |her |all my )?(tablets|pills|morphine|oramorph|oxycodone|meds|medicines?|painkillers)|(take|swallow|have) (the lot|them all|all of them|all my (tablets|pills|meds|morphine|painkillers))|(can'?t|cannot) (go on|carry on|do this) any ?more|wish (i|he|she) (was|were) dead|better off without me|no way out|goodbye (letters?|notes?)|(said|saying) (my )?goodbyes|(written|wrote|writing) (letters|notes|a letter|a note) to (my|the) (kids|children|family|husband|wife|partner)|sorted out who gets what|giving away my (things|stuff|belongings))")) {
    return EmergencyKind::kSelfHarm;
  }
  std::string t = q;
  if (!history.empty()) absl::StrAppend(&t, " ", Lower(history.back()));
  const bool now = DescribesNow(q) || (DescribesNow(t) && !AsksInGeneral(q));
  if (!now) return EmergencyKind::kNone;

  struct Rule {
    EmergencyKind kind;
    const char* pattern;
  };
  static constexpr Rule kRules[] = {
      {EmergencyKind::kChestOrBreathing,
       R"(chest.{0,30}(pain|tight|heavy|crushing|pressure|hurts|aching)|(pain|tight\w*|pressure|heaviness|crushing).{0,30}chest|pain.{0,30}down (my|his|her) (left )?arm|(can'?t|cannot|couldn'?t) (breathe|get (my|his|her|a) breath|catch (my|his|her) breath)|struggl\w* (to|for) (breathe|breath)|fighting for (breath|air)|(very|suddenly|really|so) (short of breath|breathless)|hurts (when|to) (i |he |she )?breathe|gasping|(coughing|coughed|cough) up (a lot of |lots of )?(blood|bright red))"},
      {EmergencyKind::kBleeding,
       R"((bleeding|blood|haemorrhag|hemorrhag).*(a lot|heavily|heavy|won'?t stop|not stopping|can'?t (get it to )?stop|really fast|so fast|pouring|gushing|streaming|spurting|lots|clots|soaked|soaking|everywhere|cups?|full of|pass out|passing out|faint|dizzy|light-?headed|collaps|(gone|very|so) pale|pale and)|(heavy|heavily|lots of|a lot of|loads of) (bleeding|blood)|bleeding (heavily|badly)|(gushing|pouring|streaming|spurting|full of|fill\w* (up )?with( bright red| dark red| fresh)?) blood|(vomit\w*|throw\w* up|threw up|been sick|being sick|sick up|brought up|bringing up).{0,30}blood|blood.{0,20}(vomit|sick))"},
      {EmergencyKind::kNeurological,
       R"(had a (fit|seizure)|having a (fit|seizure)|seizure|fitting|unconscious|unresponsive|can'?t wake|cannot wake|won'?t wake|(can'?t|cannot) move (his|her|my|their) (right |left )?(arm|leg|face|side)|face (is )?drooping|slurred|sudden(ly)?.{0,30}(worst|terrible|severe) headache|sudden(ly)?.{0,20}(confused|delirious|not making sense)|(doesn'?t|does not|didn'?t) (know|recogni[sz]e) (who|where|me)|not making (any )?sense)"},
      {EmergencyKind::kSpinalCord,
       R"(back.{0,40}(legs?|numb|weak|can'?t walk|cannot walk)|(legs?).{0,30}(weak|numb|gave way|giving way|can'?t (walk|stand|move)))"},
  };
  for (const Rule& rule : kRules) {
    if (Has(t, rule.pattern)) return rule.kind;
  }

  const bool vomiting = Has(
      t,
      R"(vomit|being sick|been sick|throwing up|threw up|can'?t (even )?keep (anything|food|water|fluids) down)");
  const bool no_output = Has(
      t,
      R"((no|not|haven'?t|hasn'?t|can'?t|cannot|unable to|nothing).{0,30}(poo|stool|bowel movement|wind|fart|gas|pass(ed)? anything|opened (my|his|her) bowels)|nothing('s| has)? (come|came|been|gone) (out|through)|(haven'?t|hasn'?t|not) (been|gone) (to the toilet|for a poo|for a number two)|stoma (has )?(stopped|not working|isn'?t working)|bag (is|has been|has stayed) (empty|dry))");
  const bool belly_pain = Has(
      t,
      R"((severe|terrible|awful|bad|really bad|agonising|agonizing|intense|cramping|cramps).{0,25}(tummy|stomach|belly|abdomen|abdominal)|(tummy|stomach|belly|abdomen|abdominal).{0,40}(swollen|bloated|massive|hard|distended|severe|agony)|(awful|terrible|severe|agonising|agonizing|bad|horrible) (cramps|cramping|colic)|cramps?.{0,20}(in waves|come and go|comes and goes))");
  if ((vomiting && no_output) || (no_output && belly_pain) || (vomiting && belly_pain) ||
      Has(t, R"(smells? (like|of) poo|faecal vomit)")) {
    return EmergencyKind::kBowelObstruction;
  }
  // Sudden severe tummy pain can be a tear in the bowel (a known risk with bevacizumab); yellow
  // eyes with pain after liver surgery can be a complication.
  if (Has(t,
          R"((sudden|severe|terrible|agonising|agonizing|excruciating|unbearable).{0,20}pain.{0,15}(tummy|stomach|belly|abdomen)|(yellow (skin|eyes)|eyes (have )?(gone|turned) yellow|jaundice).{0,60}(pain|fever|awful|unwell))")) {
    return EmergencyKind::kSevereAbdominalPain;
  }
  const bool on_treatment = Has(
      t,
      R"(chemo|chemotherapy|folfox|folfiri|capox|capecitabine|xeloda|irinotecan|oxaliplatin|treatment|cycle|infusion|pump|immunotherapy|bevacizumab|cetuximab)");
  // "What should I do if I get a temperature?" asks ahead; it does not describe a fever now.
  const bool fever_ahead = Has(
      t,
      R"(\b(if|in case|when|once)\b.{0,25}\b(get|gets|develop|develops|have|has|run|runs)\b.{0,10}(fever|temperature|temp\b))");
  // "I had a temperature last week, it's gone now" is a question about the past.
  const bool resolved = Has(
      t,
      R"(\b(it'?s|it has|has|had|they'?ve|it) (gone|settled|passed)( now| down| away)?\b|\bwent away\b|\bback to normal\b|\b(fine|ok|okay|better) now\b|\bno longer\b)");
  const bool fever =
      !fever_ahead && !resolved &&
      Has(t,
          R"(fever|temperature|temp\b|shiver|shaking|chills|rigou?rs|3[89](\.\d)?\s*(c|°|degrees)|hot and cold|burning (up|hot)|hot to (the )?touch|feverish)");
  if (fever && on_treatment) return EmergencyKind::kFeverOnChemotherapy;
  // Other signs of a serious reaction or infection during treatment.
  if (on_treatment &&
      Has(t,
          R"((she|he|they|mum|mom|dad|mother|father|husband|wife|partner)('s| is| seems| has been| was| got)?.{0,15}(confused|delirious)|confusion|dizzy and weak|faint(ed|ing)?|collapsed|diarrh\w*.{0,30}(\d+|six|seven|eight|nine|ten|many) times|(\d+|six|seven|eight|nine|ten) times.{0,20}diarrh|vomiting all day|can'?t (even )?keep (anything|water|fluids|food) down)")) {
    return EmergencyKind::kTreatmentReaction;
  }
  // Diarrhoea in everyday words, many times or without stopping, during treatment.
  if (on_treatment && !resolved &&
      Has(t,
          R"(diarrh\w*|\bthe runs\b|(running|rushing|dashing|back and forth) to the (loo|toilet)|(loo|toilet).{0,15}non ?stop|watery (poo|stools?)|pure water)") &&
      Has(t,
          R"(\b([6-9]|1\d|six|seven|eight|nine|ten|eleven|twelve|non ?stop|constantly|all (day|night))\b)")) {
    return EmergencyKind::kTreatmentReaction;
  }
  return EmergencyKind::kNone;
}

std::string UrgentMessage(EmergencyKind kind) {
  const std::string call_now =
      "Call your emergency number now (999 in the UK, 911 in the US, 112 in Europe) or your cancer "
      "team's 24-hour line. Do not wait for an answer here.";
  switch (kind) {
    case EmergencyKind::kSelfHarm:
      return "You matter, and help is there right now. If you might act on these thoughts, call "
             "your emergency number (999 in the UK, 911 in the US, 112 in Europe). You can also "
             "talk to someone now: Samaritans on 116 123 (UK and Ireland) or the 988 Suicide and "
             "Crisis Lifeline (US, call or text 988), and tell your care team.";
    case EmergencyKind::kBleeding:
      return "Heavy bleeding can be an emergency. " + call_now;
    case EmergencyKind::kBowelObstruction:
      return "Severe tummy pain, vomiting, or not passing stool or wind can be signs of a blocked "
             "bowel, which needs urgent care. " +
             call_now;
    case EmergencyKind::kFeverOnChemotherapy:
      return "A high temperature, shivering or feeling suddenly unwell during chemotherapy can be "
             "a serious infection (neutropenic sepsis). " +
             call_now;
    case EmergencyKind::kChestOrBreathing:
      return "Chest pain, sudden breathlessness or coughing up blood needs urgent help. " +
             call_now;
    case EmergencyKind::kSpinalCord:
      return "New back pain with weakness or numbness in the legs can mean pressure on the spinal "
             "cord, which needs treatment straight away. " +
             call_now;
    case EmergencyKind::kTreatmentReaction:
      return "Confusion, fainting, being hard to wake, severe diarrhoea or being unable to keep "
             "fluids down during cancer treatment needs help straight away. " +
             call_now;
    case EmergencyKind::kSevereAbdominalPain:
      return "Sudden severe tummy pain, or yellow eyes or skin with pain after surgery, needs "
             "urgent medical help. " +
             call_now;
    case EmergencyKind::kNeurological:
      return "A seizure, sudden weakness, a sudden severe headache or someone who cannot be woken "
             "properly is an emergency. " +
             call_now;
    case EmergencyKind::kNone:
      break;
  }
  return "";
}

}  // namespace patientqa::service
