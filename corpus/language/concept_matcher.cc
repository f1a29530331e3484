#include "corpus/language/concept_matcher.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace patientqa::corpus {

struct TokenTrie::Node {
  std::unordered_map<std::string, std::unique_ptr<Node>> children;
  std::map<std::string, std::unique_ptr<Node>> prefixes;  // a token starting with the key
  std::vector<int> payloads;
  // The children whose key starts with each letter a-z, in the order they were added: the
  // typing-slip step (same first letter) looks only there, not at every child of the root.
  std::array<std::vector<std::pair<std::string_view, const Node*>>, 26> by_first_letter;
};

TokenTrie::TokenTrie() : root_(std::make_unique<Node>()) {}
TokenTrie::~TokenTrie() = default;
TokenTrie::TokenTrie(TokenTrie&&) noexcept = default;
TokenTrie& TokenTrie::operator=(TokenTrie&&) noexcept = default;

void TokenTrie::Add(const std::vector<std::string>& tokens, const std::vector<bool>& prefix,
                    int payload) {
  Node* node = root_.get();
  for (size_t k = 0; k < tokens.size(); ++k) {
    const bool is_prefix = k < prefix.size() && prefix[k];
    std::unique_ptr<Node>& next = is_prefix ? node->prefixes[tokens[k]] : node->children[tokens[k]];
    if (!next) {
      next = std::make_unique<Node>();
      const std::string& key = tokens[k];
      if (!is_prefix && !key.empty() && key[0] >= 'a' && key[0] <= 'z') {
        // The key lives in `children` (node-based: its address is stable).
        node->by_first_letter[key[0] - 'a'].emplace_back(node->children.find(key)->first,
                                                         next.get());
      }
    }
    node = next.get();
  }
  if (std::find(node->payloads.begin(), node->payloads.end(), payload) == node->payloads.end()) {
    node->payloads.push_back(payload);
  }
}

namespace {

// Runs of three or more of one letter cut to two, or to one: "soooo" -> "soo", "so".
std::vector<std::string> ShortenedRepeats(const std::string& t) {
  std::string two, one;
  bool changed = false;
  for (size_t i = 0; i < t.size();) {
    size_t j = i;
    while (j < t.size() && t[j] == t[i]) ++j;
    const size_t run = j - i;
    if (run >= 3 && std::isalpha(static_cast<unsigned char>(t[i]))) changed = true;
    two.append(std::min<size_t>(run, run >= 3 ? 2 : run), t[i]);
    one.append(std::min<size_t>(run, run >= 3 ? 1 : run), t[i]);
    i = j;
  }
  if (!changed) return {};
  return {two, one};
}

// Damerau-Levenshtein distance of at most one (one substitution, insertion, deletion or swap
// of neighbours).
bool WithinOneEdit(std::string_view a, std::string_view b) {
  if (a == b) return true;
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return true;  // substitution
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.substr(i + 2) == b.substr(i + 2);  // swap
  }
  return a.substr(i) == b.substr(i + 1);  // insertion
}

constexpr size_t kFuzzyMinLength = 9;
constexpr size_t kFuzzyMinLengthWithWordList = 4;

}  // namespace

std::vector<TokenTrie::Match> TokenTrie::FindAll(const std::vector<Token>& tokens,
                                                 const WordList* known_words) const {
  std::vector<Match> out;
  const size_t fuzzy_min =
      known_words && !known_words->empty() ? kFuzzyMinLengthWithWordList : kFuzzyMinLength;
  auto typo_candidate = [&](const std::string& t) {
    if (t.size() < fuzzy_min) return false;
    if (!std::all_of(t.begin(), t.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
      return false;
    }
    return !(known_words && known_words->Contains(t));
  };
  // The nodes reachable from `node` by token `t`.
  auto step = [&](const Node* node, const std::string& t, std::vector<const Node*>* next) {
    auto exact = node->children.find(t);
    if (exact != node->children.end()) next->push_back(exact->second.get());
    for (const auto& [key, child] : node->prefixes) {
      if (t.size() >= key.size() && t.compare(0, key.size(), key) == 0) {
        next->push_back(child.get());
      }
    }
    if (!next->empty()) return;
    for (const std::string& v : ShortenedRepeats(t)) {
      auto it = node->children.find(v);
      if (it != node->children.end()) next->push_back(it->second.get());
    }
    if (!next->empty()) return;
    if (t.size() > 3 && t.back() == 's') {
      auto it = node->children.find(t.substr(0, t.size() - 1));
      if (it != node->children.end()) next->push_back(it->second.get());
    }
    if (!next->empty() || !typo_candidate(t)) return;
    for (const auto& [key, child] : node->by_first_letter[t[0] - 'a']) {
      if (key.size() + 1 >= fuzzy_min && WithinOneEdit(key, t)) next->push_back(child);
    }
  };
  const size_t n = tokens.size();
  size_t i = 0;
  while (i < n) {
    if (tokens[i].kind == TokenKind::kPunct) {
      ++i;
      continue;
    }
    // Breadth first over the paths from token i; remember the longest that ends on a payload.
    std::vector<const Node*> frontier = {root_.get()};
    size_t best_end = 0;
    std::vector<int> best_payloads;
    for (size_t j = i; j < n && !frontier.empty() && tokens[j].kind != TokenKind::kPunct; ++j) {
      std::vector<const Node*> next;
      for (const Node* node : frontier) step(node, tokens[j].text, &next);
      std::vector<int> payloads;
      for (const Node* node : next) {
        for (int p : node->payloads) {
          if (std::find(payloads.begin(), payloads.end(), p) == payloads.end()) {
            payloads.push_back(p);
          }
        }
      }
      if (!payloads.empty()) {
        best_end = j + 1;
        best_payloads = std::move(payloads);
      }
      frontier = std::move(next);
    }
    if (best_end > i) {
      out.push_back({i, best_end, std::move(best_payloads)});
      i = best_end;
    } else {
      ++i;
    }
  }
  return out;
}

namespace {

// English number words a patient may write instead of digits.
double NumberWord(const std::string& t) {
  static const std::unordered_map<std::string, double> kWords = {
      {"one", 1},      {"two", 2},        {"three", 3},     {"four", 4},      {"five", 5},
      {"six", 6},      {"seven", 7},      {"eight", 8},     {"nine", 9},      {"ten", 10},
      {"eleven", 11},  {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14}, {"fifteen", 15},
      {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20},
      {"dozen", 12},   {"thirty", 30}};
  auto it = kWords.find(t);
  return it == kWords.end() ? std::nan("") : it->second;
}

bool IsTemperatureUnit(const std::string& t, bool* fahrenheit) {
  if (t == "f" || t == "fahrenheit" || t == "farenheit" || t == "deg f") {
    *fahrenheit = true;
    return true;
  }
  return t == "c" || t == "celsius" || t == "centigrade" || t == "degrees" || t == "degree" ||
         t == "deg" || t == "degs";
}

// A reading in °C, or NaN when `value` is no plausible body temperature in the scale given
// (unknown scale: 34-43 is °C, 93-110 is °F).
double BodyTemperature(double value, bool fahrenheit) {
  if (!fahrenheit && value >= 34 && value <= 43) return value;
  if (value >= 93 && value <= 110) return (value - 32) * 5 / 9;
  return std::nan("");
}

}  // namespace

void ConceptMatcher::AttachToNearestFinding(size_t k, double value, bool duration,
                                            const std::vector<int>& sentence,
                                            std::vector<Mention>* mentions) const {
  // The nearest finding before the number in the same sentence (up to 12 tokens: "diarrhoea ...
  // 8 times"), else the nearest after it (up to 6: "twice, been sick").
  int target = -1;
  size_t best_distance = 0;
  bool best_before = false;
  for (size_t i = 0; i < mentions->size(); ++i) {
    const Mention& m = (*mentions)[i];
    if (vocabulary_.concepts()[m.concept_index].type != "finding" ||
        sentence[m.begin] != sentence[k]) {
      continue;
    }
    const bool before = m.end <= k;
    const size_t distance = before ? k - m.end : m.begin - k;
    if (distance > (before ? 12u : 6u)) continue;
    if (target < 0 || (before && !best_before) ||
        (before == best_before && distance < best_distance)) {
      target = static_cast<int>(i);
      best_distance = distance;
      best_before = before;
    }
  }
  if (target < 0) return;
  const Mention span = (*mentions)[target];
  for (Mention& m : *mentions) {  // every concept written with that span
    if (m.begin != span.begin || m.end != span.end) continue;
    double& slot = duration ? m.minutes : m.value;
    if (std::isnan(slot) || value > slot) slot = value;
  }
}

ConceptMatcher::ConceptMatcher(const Vocabulary& vocabulary, const WordList* known_words)
    : vocabulary_(vocabulary),
      known_words_(known_words),
      temperature_cue_(vocabulary.concepts().size(), false),
      count_unit_(vocabulary.concepts().size(), false) {
  const auto& concepts = vocabulary.concepts();
  for (size_t c = 0; c < concepts.size(); ++c) {
    for (const Term& term : concepts[c].terms) {
      trie_.Add(term.tokens, term.prefix, static_cast<int>(c));
    }
    if (concepts[c].measure == "temperature") temperature_concept_ = static_cast<int>(c);
    if (concepts[c].measure == "temperature" || concepts[c].measure == "temperature-cue") {
      temperature_cue_[c] = true;
    }
    if (concepts[c].measure == "count") count_unit_[c] = true;
  }
}

std::vector<Mention> ConceptMatcher::Match(const std::vector<Token>& tokens) const {
  std::vector<Mention> mentions;
  std::vector<int> covered(tokens.size(), -1);  // token -> first mention index covering it
  for (TokenTrie::Match& m : trie_.FindAll(tokens, known_words_)) {
    for (int c : m.payloads) {
      for (size_t k = m.begin; k < m.end; ++k) {
        if (covered[k] < 0) covered[k] = static_cast<int>(mentions.size());
      }
      mentions.push_back({c, m.begin, m.end});
    }
  }
  // Sentence number of each token, for "same sentence" tests below.
  std::vector<int> sentence(tokens.size(), 0);
  for (size_t k = 0, s = 0; k < tokens.size(); ++k) {
    sentence[k] = static_cast<int>(s);
    if (EndsSentence(tokens[k])) ++s;
  }
  auto is_type = [&](const Mention& m, std::string_view type) {
    return vocabulary_.concepts()[m.concept_index].type == type;
  };
  std::vector<Mention> added;
  for (size_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    double value = t.kind == TokenKind::kNumber ? t.number : NumberWord(t.text);
    if (std::isnan(value)) continue;
    if (covered[k] >= 0 && t.kind != TokenKind::kNumber) continue;  // part of a term
    // A temperature: a unit after the number, or a cue word ("temp", "fever") shortly before it.
    bool fahrenheit = false;
    const bool unit = k + 1 < tokens.size() && tokens[k + 1].kind == TokenKind::kWord &&
                      IsTemperatureUnit(tokens[k + 1].text, &fahrenheit);
    bool cue = false, test_before = false;
    for (const Mention& m : mentions) {
      if (m.end > k || m.end + 6 < k + 1 || sentence[m.begin] != sentence[k]) continue;
      if (temperature_cue_[m.concept_index]) cue = true;
      if (is_type(m, "test")) test_before = true;
    }
    const bool bare_decimal =
        t.kind == TokenKind::kNumber && t.text.find_first_of(".,") != std::string::npos &&
        ((value >= 35 && value < 43) || (value >= 95 && value <= 107)) && !test_before;
    if (temperature_concept_ >= 0 && t.kind == TokenKind::kNumber &&
        (unit || (cue && !test_before) || bare_decimal)) {
      const double celsius = BodyTemperature(value, fahrenheit);
      if (!std::isnan(celsius)) {
        Mention reading{temperature_concept_, k, unit ? k + 2 : k + 1};
        reading.value = celsius;
        added.push_back(reading);
        continue;
      }
    }
    // A duration: "25 minutes", "2 hours", "half an hour" (counted in minutes).
    if (k + 1 < tokens.size()) {
      const std::string& unit = tokens[k + 1].text;
      double minutes = std::nan("");
      if (unit == "minutes" || unit == "minute" || unit == "mins" || unit == "min") {
        minutes = value;
      } else if (unit == "hours" || unit == "hour" || unit == "hrs" || unit == "hr") {
        minutes = value * 60;
      }
      if (!std::isnan(minutes)) {
        AttachToNearestFinding(k, minutes, /*duration=*/true, sentence, &mentions);
        continue;
      }
    }
    // A count: "8 times", "seven episodes", "x10", or a number right before a finding.
    const bool before_unit = k + 1 < tokens.size() && covered[k + 1] >= 0 &&
                             count_unit_[mentions[covered[k + 1]].concept_index];
    const bool after_x = k > 0 && tokens[k - 1].text == "x";
    const bool before_finding = k + 1 < tokens.size() && covered[k + 1] >= 0 &&
                                is_type(mentions[covered[k + 1]], "finding");
    // "16 paracetamol", "3 oxynorm": how many of a medicine.
    if (k + 1 < tokens.size() && covered[k + 1] >= 0 &&
        is_type(mentions[covered[k + 1]], "treatment")) {
      for (Mention& m : mentions) {
        if (m.begin == k + 1 && (!m.has_value() || value > m.value)) m.value = value;
      }
      continue;
    }
    if (!before_unit && !after_x && !before_finding) continue;
    AttachToNearestFinding(k, value, /*duration=*/false, sentence, &mentions);
  }
  // "twice" and "once" count the finding before them ("been sick twice today").
  for (size_t k = 0; k < tokens.size(); ++k) {
    if (covered[k] >= 0) continue;
    if (tokens[k].text == "twice") AttachToNearestFinding(k, 2, false, sentence, &mentions);
    if (tokens[k].text == "once") AttachToNearestFinding(k, 1, false, sentence, &mentions);
  }
  // "half an hour", "an hour", "over an hour" without digits.
  for (size_t k = 0; k + 1 < tokens.size(); ++k) {
    if (tokens[k + 1].text != "hour") continue;
    if (tokens[k].text == "an" || tokens[k].text == "one") {
      const bool half = k >= 1 && tokens[k - 1].text == "half";
      AttachToNearestFinding(k, half ? 30 : 60, /*duration=*/true, sentence, &mentions);
    }
  }
  mentions.insert(mentions.end(), added.begin(), added.end());
  std::stable_sort(mentions.begin(), mentions.end(),
                   [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
  return mentions;
}

}  // namespace patientqa::corpus
