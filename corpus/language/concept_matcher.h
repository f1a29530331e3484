#pragma once

// Finds mentions of vocabulary concepts in tokenised text in one left-to-right pass over a token
// trie (whole tokens only). Built once per vocabulary; matching is read-only and thread-safe.

#include <cstddef>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "corpus/language/english_words.h"
#include "corpus/language/tokenizer.h"
#include "corpus/language/vocabulary.h"

namespace patientqa::corpus {

struct Mention {
  int concept_index = -1;  // index into Vocabulary::concepts()
  size_t begin = 0;        // token range [begin, end)
  size_t end = 0;
  // A measurement or count read from a number next to the mention: a temperature in °C (concepts
  // with `measure: temperature`) or how many times a finding happened ("diarrhoea 8 times").
  double value = std::numeric_limits<double>::quiet_NaN();
  bool has_value() const { return value == value; }
  // How long it has lasted, in minutes, from "for 25 minutes", "for half an hour", "2 hours".
  double minutes = std::numeric_limits<double>::quiet_NaN();
  bool has_minutes() const { return minutes == minutes; }
};

// A trie of token sequences, each leading to a payload id (an index the caller chooses). Shared by
// the concept matcher and the context-trigger matcher.
class TokenTrie {
 public:
  TokenTrie();
  ~TokenTrie();
  TokenTrie(TokenTrie&&) noexcept;
  TokenTrie& operator=(TokenTrie&&) noexcept;

  // Adds a sequence; a token with prefix[k] set matches any token starting with it.
  void Add(const std::vector<std::string>& tokens, const std::vector<bool>& prefix, int payload);

  struct Match {
    size_t begin = 0, end = 0;
    std::vector<int> payloads;
  };
  // Leftmost-longest, non-overlapping matches over the non-punctuation tokens of `tokens`
  // (punctuation ends a match). A token that is not found as written is also tried with runs of
  // three or more repeated letters shortened ("feverrrr" -> "fever"), without a final "s", and,
  // when `known_words` is given, with one typing slip (Damerau-Levenshtein distance 1, same first
  // letter: "swolen" for "swollen", "diarrohea" for "diarrhoea") if the token is not an English
  // word of its own and has at least 4 letters; without a word list, only tokens of 9 letters or
  // more get the typing-slip step.
  std::vector<Match> FindAll(const std::vector<Token>& tokens,
                             const WordList* known_words = nullptr) const;

 private:
  struct Node;
  std::unique_ptr<Node> root_;
};

class ConceptMatcher {
 public:
  // `known_words` (may be null) enables typo tolerance for short words (see TokenTrie::FindAll).
  explicit ConceptMatcher(const Vocabulary& vocabulary, const WordList* known_words = nullptr);

  // Every concept mention in `tokens`, in text order. Where one span is a term of several
  // concepts, each gets a mention. Temperatures ("38.5", "101F", "temp 37,9") become mentions of
  // the vocabulary's `measure: temperature` concept with the value in °C; counts ("8 times",
  // "seven loose stools") are attached to the nearest finding in the same sentence.
  std::vector<Mention> Match(const std::vector<Token>& tokens) const;

  const Vocabulary& vocabulary() const { return vocabulary_; }

 private:
  void AttachToNearestFinding(size_t k, double value, bool duration,
                              const std::vector<int>& sentence,
                              std::vector<Mention>* mentions) const;

  const Vocabulary& vocabulary_;
  const WordList* known_words_;
  TokenTrie trie_;
  int temperature_concept_ = -1;       // the concept that holds temperature readings
  std::vector<bool> temperature_cue_;  // per concept: a number after it is a temperature
  std::vector<bool> count_unit_;       // per concept: "times", "episodes", ...
};

}  // namespace patientqa::corpus
