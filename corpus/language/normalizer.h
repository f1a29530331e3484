#pragma once

// Text normalisation shared by triage, concept matching and search: the same message typed on a
// phone, pasted from a leaflet or written with another keyboard reads the same afterwards.

#include <string>
#include <string_view>

namespace patientqa::corpus {

// Normalises UTF-8 `text` (invalid sequences become U+FFFD) with ICU:
//   - every Unicode white space, line or paragraph separator and zero-width character (U+200B..D,
//     U+2060, U+FEFF, U+180E) becomes one ASCII space; runs of spaces collapse and the ends are
//     trimmed; soft hyphens (U+00AD) are dropped;
//   - apostrophe look-alikes (U+2018/2019/201B/2032, U+02BC, U+0060, U+00B4, U+FF07) become '\'';
//     quotation-mark look-alikes (U+201C..201F, U+2033, U+00AB/BB, U+FF02) become '"';
//   - dashes, minus signs and the non-breaking hyphen (U+2010..2015, U+2212, U+FE58, U+FE63,
//     U+FF0D) become '-';
//   - then Unicode NFKC with case folding (NFKC_Casefold): full-width and compatibility forms
//     become their plain letters and digits, "℃" becomes "°c", "Ⅳ" becomes "iv", and text is
//     lower-cased in a locale-independent way.
// The result is valid UTF-8. Pure and thread-safe.
std::string NormalizeText(std::string_view text);

// The same as NormalizeText but with plain NFKC, keeping case: what search reads (questions,
// history, and passages as they are indexed), so that "What is “FOLFOX”?", "5–FU" and "an MDT"
// typed with a non-breaking or zero-width space are cut into the same words as their ASCII forms,
// while a spelling suggestion still reads as the person wrote it. Pure and thread-safe.
std::string NormalizeTypography(std::string_view text);

}  // namespace patientqa::corpus
