#pragma once

// Pinned answers (corpus/clinical/pinned-answers.txt): questions whose answer a clinician has
// chosen. A question that matches a pinned answer's intent gets the chosen passages first, in the
// chosen order, marked `pinned`; the ranking's other passages follow. This file only reads and
// checks the file; index/ matches questions against it and service/ applies it after triage and
// the scope decision. The file documents its own format at its top.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/article.h"
#include "corpus/language/vocabulary.h"

namespace patientqa::corpus {

inline constexpr char kPinnedAnswersFile[] = "pinned-answers.txt";
// How close a question must be to one of a pin's example questions when the pin does not say. On
// the bundled pins, paraphrases of an example scored 0.72 to 0.83, and neighbouring questions
// with other answers ("What temperature is too high on chemo?", "Can chemo cause a fever?")
// 0.2 to 0.52.
inline constexpr double kDefaultPinSimilarity = 0.6;
// Passages one pin may choose: the answer's default length.
inline constexpr int kMaxPinnedPassages = 5;

// One passage a pin shows: the API's passage_id ("<article id>#<n>") and the words the passage
// starts with, which guard against an edit of the article moving another paragraph to number n.
struct PinnedPassage {
  std::string passage_id;
  std::string article_id;
  int ordinal = 0;
  std::string opening;
  int line = 0;
};

struct PinnedAnswer {
  std::string id;  // lower-case letters, digits and '-'
  // The intent: example questions (`ask:`; a question close enough to any one of them matches)
  // and concept ids from the vocabulary that the question must all name (`concepts:`; a concept
  // includes its narrower ones). At least one of the two is given; with both, both must hold.
  std::vector<std::string> questions;
  std::vector<std::string> concepts;
  double min_similarity = kDefaultPinSimilarity;  // 0..1, to the closest example question
  std::vector<PinnedPassage> passages;            // shown first, in this order
  // Governance, as the articles carry it: who reviewed the pin (a role, or "pending clinical
  // review"), when (YYYY-MM-DD), and the guideline the chosen answer follows.
  std::string reviewer;
  std::string reviewed;
  std::string source;
  std::string file;
  int line = 0;  // the `pin <id>` line
};

// Parses a pinned-answers file. Concept ids must be in `vocabulary`. Problems (unknown keys,
// duplicate ids, an empty intent, a malformed passage id, a similarity outside 0..1, a missing
// passage, reviewer, review date or source) are appended to `errors` as `path:line: message`; a
// pin with a problem is left out.
std::vector<PinnedAnswer> ParsePinnedAnswers(std::string_view path, std::string_view content,
                                             const Vocabulary& vocabulary,
                                             std::vector<Diagnostic>* errors);

// Checks the passages `pin` names against `articles`: each article is there, has the passage and
// the passage starts with the quoted opening words (compared word by word, ignoring case and
// punctuation). Problems are appended to `errors` as `file:line: message`. `missing_article`,
// when given, is set when an article the pin names is not in `articles` at all (an index of
// other sources leaves such a pin out rather than failing).
void CheckPinnedPassages(const PinnedAnswer& pin, const std::vector<Article>& articles,
                         std::vector<Diagnostic>* errors, bool* missing_article = nullptr);

}  // namespace patientqa::corpus
