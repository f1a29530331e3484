#pragma once

// Question variants: for each article, the questions each of its sections answers, written the
// way patients and families ask them. They live beside the articles, one file per article:
//
//   corpus/questions/<article id>.md
//     # any comment line
//     ## <a section heading of the article, exactly>
//     - Why is the liver the most common place for bowel cancer to go?
//     - Is cancer in the liver from the bowel the same as liver cancer?
//
// The index stores them with the section's passages, as a field of their own, so a question
// worded like a variant finds the passage even when the passage says it in other words. They are
// never shown to anyone and never quoted.

#include <filesystem>
#include <string_view>
#include <vector>

#include "corpus/article.h"

namespace patientqa::corpus {

// Parses one question file for `article`. Every `## ` heading must be a section of the article
// (as SplitIntoPassages names it), every question a non-empty `- ` line under a heading, of at
// most 300 characters; a heading listed twice and a question listed twice under one heading are
// errors. Problems are appended to `errors` as `path:line: message`.
std::vector<SectionQuestions> ParseQuestions(std::string_view path, std::string_view content,
                                             const Article& article,
                                             std::vector<Diagnostic>* errors);

// Attaches `<dir>/<article id>.md` to each article that has one. A `.md` file in `dir` that
// names no article is an error; a missing `dir` is not.
void AttachQuestions(const std::filesystem::path& dir, std::vector<Article>* articles,
                     std::vector<Diagnostic>* errors);

}  // namespace patientqa::corpus
