#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace patientqa::corpus {

// Returns the byte offset of the first invalid UTF-8 sequence, or nullopt when `s` is valid UTF-8.
// Overlong forms, surrogates and code points above U+10FFFF are invalid.
std::optional<size_t> FindInvalidUtf8(std::string_view s);

// Number of Unicode code points in valid UTF-8 `s`.
size_t CountCodePoints(std::string_view s);

// Trims ASCII whitespace from both ends.
std::string_view Trim(std::string_view s);

// Splits text into sentences at '.', '!' or '?' followed by whitespace and an upper-case letter,
// digit or quote, not after common abbreviations ("e.g.", "i.e.", "Dr.", "vs."). Sentences are
// returned trimmed and verbatim.
std::vector<std::string> SplitSentences(std::string_view text);

// Lines of `content` without their '\n' (and any '\r' before it); no empty last line.
std::vector<std::string_view> SplitLines(std::string_view content);

// Lower-cased runs of ASCII letters and digits (bytes >= 0x80 count as letters), split at
// everything else: "PD-1 inhibitor" -> pd, 1, inhibitor. The way synonym entries, lint shingles
// and questions are cut into words.
std::vector<std::string> LowerCaseWords(std::string_view text);

// The same words, with each character of `punctuation` found between them as a token of its own:
// LowerCaseTokens("CEA (a protein) is", "()") -> cea, (, a, protein, ), is.
std::vector<std::string> LowerCaseTokens(std::string_view text, std::string_view punctuation);

// Number of words (runs of letters, digits, apostrophes and hyphens).
size_t CountWords(std::string_view text);

// Hashes of the runs of five consecutive words (LowerCaseWords) in `text`; a text of fewer
// words has one shingle, all of it. Two texts' shingles show how much wording they share.
std::set<size_t> WordShingles(std::string_view text);

// Jaccard similarity of two shingle sets: 1 for the same wording, 0 for none in common.
double ShingleSimilarity(const std::set<size_t>& a, const std::set<size_t>& b);

}  // namespace patientqa::corpus
