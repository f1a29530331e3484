#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace patientqa::corpus {

// Returns the byte offset of the first invalid UTF-8 sequence, or nullopt when `s` is valid UTF-8.
// Overlong forms, surrogates and code points above U+10FFFF are invalid.
std::optional<size_t> FindInvalidUtf8(std::string_view s);

// Number of Unicode code points in valid UTF-8 `s`.
size_t CountCodePoints(std::string_view s);

// Trims ASCII whitespace from both ends.
std::string_view Trim(std::string_view s);

// An attribute line of the corpus and clinical files ("key: value"), split at its first ':'.
struct Attribute {
  std::string_view key;    // trimmed; views into the line
  std::string_view value;  // trimmed; may be empty only when the caller allows it
};
// INVALID_ARGUMENT when `line` has no ':' ("expected 'key: value', got '...'", with `form` in
// place of "key: value") or, when `value_required`, when the value is empty ("'key' is empty").
// The caller adds the file and line number.
absl::StatusOr<Attribute> SplitAttribute(std::string_view line, bool value_required = true,
                                         std::string_view form = "key: value");

// Splits text into sentences at '.', '!' or '?' followed by whitespace and an upper-case letter,
// digit or quote, not after common abbreviations ("e.g.", "i.e.", "Dr.", "vs."). Sentences are
// returned trimmed and verbatim.
std::vector<std::string> SplitSentences(std::string_view text);

// The comma-separated items of `value`, each trimmed of ASCII white space; empty items dropped:
// "a, b ,, c" -> a, b, c.
std::vector<std::string> CommaList(std::string_view value);

// Lines of `content` without their '\n' (and any '\r' before it); no empty last line.
std::vector<std::string_view> SplitLines(std::string_view content);

// One word of a text as Xapian's TermGenerator cuts it when it indexes: `begin`/`end` are byte
// offsets into the text, `word` is the term TermGenerator makes of it (lower-cased per code
// point, with U+2019 and U+201B as '\'').
struct WordSpan {
  size_t begin = 0;
  size_t end = 0;
  std::string word;
};

// Splits UTF-8 text into words by Xapian 1.4's TermGenerator rules, so that questions are cut as
// passages were when indexed: a word is a run of Unicode letters, marks, digits and connector
// punctuation; an apostrophe, '&', U+00B7, U+05F4 or U+2027 between two word characters joins
// them ("don't", "o'brien", "m&s"), as do '.', ',' and ';' between two digits ("38.5",
// "1,000"); zero-width spaces inside a word are dropped; up to three '+' or '#' end a word
// ("c++"); capital letters with dots between are one word ("U.S." -> "us"); everything else
// separates ("5-FU" -> 5, fu). Invalid UTF-8 separates. Words longer than 64 bytes are kept (the
// indexer drops them). tests/corpus/text_test.cc checks the rules against TermGenerator itself.
// With `max_words`, only the first that many (the rest of the text is not read).
std::vector<WordSpan> WordSpans(std::string_view text, size_t max_words = SIZE_MAX);

// The words of WordSpans: "PD-1 inhibitor" -> pd, 1, inhibitor; "don't" -> don't. The way
// synonym entries, lint shingles and questions are cut into words.
std::vector<std::string> LowerCaseWords(std::string_view text);

// The same words, with each character of `punctuation` found between them as a token of its own:
// LowerCaseTokens("CEA (a protein) is", "()") -> cea, (, a, protein, ), is. With `max_words`,
// the tokens up to and including the max_words-th word: the start of the full list.
std::vector<std::string> LowerCaseTokens(std::string_view text, std::string_view punctuation,
                                         size_t max_words = SIZE_MAX);

// Number of words (runs of letters, digits, apostrophes and hyphens).
size_t CountWords(std::string_view text);

// Hashes of the runs of five consecutive words (LowerCaseWords) in `text`; a text of fewer
// words has one shingle, all of it. Sorted, without repeats (a set in a flat array, so that a
// searcher can keep every passage's shingles in memory). Two texts' shingles show how much
// wording they share.
std::vector<size_t> WordShingles(std::string_view text);

// Jaccard similarity of two shingle sets (as WordShingles returns them): 1 for the same wording,
// 0 for none in common.
double ShingleSimilarity(const std::vector<size_t>& a, const std::vector<size_t>& b);

}  // namespace patientqa::corpus
