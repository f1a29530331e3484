#pragma once

#include <vector>

#include "corpus/article.h"

namespace patientqa::corpus {

struct SplitOptions {
  // Paragraphs longer than this are cut at sentence boundaries into balanced pieces.
  int max_words = 150;
};

// Splits an article's body into passages: one per paragraph (lines separated by blank lines),
// never across a section. Lines starting with '#' are section headings. A paragraph that opens
// with a short label ("Blood metastasis: ...") and has no heading above it takes the label as its
// section. Passage text is the paragraph verbatim, its lines joined by single spaces.
std::vector<Passage> SplitIntoPassages(const Article& article, const SplitOptions& options = {});

}  // namespace patientqa::corpus
