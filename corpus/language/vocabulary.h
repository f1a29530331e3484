#pragma once

// The clinical vocabulary: concepts (findings, treatments, body parts, people, subjects of this
// library, other diseases) with every way patients write them. One source of truth for triage,
// question scope, topics and search synonyms. The file format is documented in
// corpus/clinical/vocabulary.txt; clinicians review it like the articles.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/article.h"

namespace patientqa::corpus {

// A group of words or phrases searched as one ("spread", "metastasis", ...): a view of the
// vocabulary (Vocabulary::SearchGroups).
struct SynonymGroup {
  std::vector<std::string> members;  // lower-case, single spaces
  int line = 0;                      // the concept's line in the vocabulary file
};

// One way of writing a concept: a sequence of normalised tokens (see tokenizer.h). A token that
// ended in '*' in the file matches any token that starts with it ("metasta*").
struct Term {
  std::string text;  // as written in the file, normalised
  std::vector<std::string> tokens;
  std::vector<bool> prefix;  // per token: matches as a prefix
  int line = 0;
};

struct Concept {
  std::string id;                    // lower-case letters, digits and '-'
  std::string type;                  // one of KnownConceptTypes()
  std::vector<std::string> parents;  // ids of broader concepts ("is:")
  std::vector<Term> terms;
  // "strong": only this library's subject uses it ("chemo", "metastases"); "weak": shared with
  // everyday life ("liver", "pain"); empty: says nothing about scope. Inherited from parents.
  std::string scope;
  std::vector<std::string> topics;  // corpus topic ids a question mentioning it is about
  // Search synonym groups this concept gives: "search: yes" makes its own terms one group;
  // "search: a, b, c" (repeatable) makes a group of the words listed, each a term of the
  // vocabulary, so the search view can stay narrower than the clinical concept.
  bool search = false;
  std::vector<std::vector<std::string>> search_groups;
  // "qualifier: yes": a word of the library's whole subject ("stage 4", "bowel cancer", "mets").
  // In a question about something else ("which chemo drugs are used for stage 4 colon cancer?")
  // it only says whose cancer is meant, so search weighs it less (RankingParams::
  // qualifier_weight); every article is about it, and the passages that say it most are the
  // ones that define it, not the ones that answer.
  bool qualifier = false;
  // "temperature": the concept that holds temperature readings (exactly one); a number after one
  // of its terms is a temperature ("temp 38.4"). "temperature-cue": its terms make a following
  // number a temperature too ("fever of 101"). "count": a number before it counts episodes of the
  // nearest finding ("8 times").
  std::string measure;
  std::string source;  // the guideline or reference behind it
  // Compositions ("combines: tummy ~ swelling", "combines: no:bowel-output"): the concept is
  // also mentioned wherever one mention of each part occurs in one sentence, close together
  // (service/triage composes them after context is known). A part written "no:x" is a mention
  // of x that is negated ("haven't pooed" is a current absence of bowel output).
  struct Part {
    std::vector<int> alternatives;  // concept indexes; any of them
    bool negated = false;
  };
  std::vector<std::vector<Part>> combines;  // each line: parts that must all be present
  int line = 0;
};

// The concept types a vocabulary may use.
const std::vector<std::string_view>& KnownConceptTypes();

class Vocabulary {
 public:
  // Parses a vocabulary file. Problems are appended to `errors` as file:line (unknown keys or
  // types, a term before any concept, duplicate ids, unknown or cyclic parents, empty terms,
  // unknown topics). The result is usable only when no error was added.
  static Vocabulary Parse(std::string_view path, std::string_view content,
                          std::vector<Diagnostic>* errors);

  const std::vector<Concept>& concepts() const { return concepts_; }
  // Index of the concept with this id, or -1.
  int Find(std::string_view id) const;
  // Whether concept `c` is `ancestor` or narrower than it (through "is:" links).
  bool IsA(int c, int ancestor) const;
  // The scope of `c`: its own, else the nearest ancestor's (breadth first), else "".
  const std::string& Scope(int c) const;
  // The topics of `c` and all its ancestors.
  std::vector<std::string> Topics(int c) const;
  // Search synonym groups: for each concept marked `search`, the texts of its own terms (prefix
  // terms left out), lower-case, single spaces. Narrower concepts are not included: "chemo" must
  // not expand to every drug under it.
  std::vector<SynonymGroup> SearchGroups() const;

 private:
  std::vector<Concept> concepts_;
  std::vector<std::vector<uint64_t>> ancestors_;  // bitset per concept, self included
  std::vector<std::string> scope_;
};

// Splits a term as the matcher reads text: NormalizeText, then Tokenize; punctuation dropped.
std::vector<std::string> TermTokens(std::string_view text);

}  // namespace patientqa::corpus
