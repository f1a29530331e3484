#pragma once

// How passages are laid out in the Xapian database. Private to index/.

#include <string_view>

namespace patientqa::index::schema {

// Term prefixes (omega conventions: 'S' subject/title, 'Q' unique id, 'X...' custom).
inline constexpr std::string_view kTitlePrefix = "S";
inline constexpr std::string_view kHeadingPrefix = "XH";
// The questions a passage's section answers (corpus/questions/), a field of their own.
inline constexpr std::string_view kQuestionPrefix = "XQ";
// Concept terms: "XC<concept id>" for each search concept a passage names, and the broader ones
// (corpus/language/search_concepts.h).
inline constexpr std::string_view kConceptPrefix = "XC";
// The question types a passage's section answers: "XY<type id>" (corpus/language/question_type.h).
inline constexpr std::string_view kQuestionTypePrefix = "XY";
inline constexpr std::string_view kIdPrefix = "Q";
inline constexpr std::string_view kArticlePrefix = "XA";
inline constexpr std::string_view kTopicPrefix = "XT";

// Value slots.
inline constexpr unsigned kArticleSlot = 0;  // collapse key: limits passages per article
inline constexpr unsigned kOrdinalSlot = 1;
// The section's question variants as QuestionFeatures (index/text_analysis.h): one variant per
// line, its features separated by spaces. Read once when the index is opened.
inline constexpr unsigned kVariantSlot = 2;

// Within-document frequency boosts: title and headings count more than body text.
inline constexpr unsigned kTitleWdf = 2;
inline constexpr unsigned kHeadingWdf = 3;

// Metadata keys.
inline constexpr std::string_view kVersionKey = "patientqa.version";
inline constexpr std::string_view kArticleCountKey = "patientqa.articles";
inline constexpr std::string_view kArticleKeyPrefix = "patientqa.article:";
// The clinical rule files the index was built with: "patientqa.clinical:triage.txt", ...
inline constexpr std::string_view kClinicalKeyPrefix = "patientqa.clinical:";
inline constexpr std::string_view kClinicalDirKey = "patientqa.clinical_dir";
// The pinned answers this index shows (index/pinned_answers.h, EncodePins): those of the clinical
// folder whose passages are all in the index. Absent: none.
inline constexpr std::string_view kPinsKey = "patientqa.pins";

inline constexpr std::string_view kStemLanguage = "english";

}  // namespace patientqa::index::schema
