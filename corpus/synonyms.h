#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "corpus/article.h"

namespace patientqa::corpus {

// A group of words or phrases that mean the same to a patient ("spread", "metastasis", ...).
struct SynonymGroup {
  std::vector<std::string> members;  // lower-case, single spaces
  int line = 0;
};

// Parses a synonym table: one comma-separated group per line, '#' comments, blank lines ignored.
// Each group needs at least two members. Problems are appended to `errors` as file:line.
std::vector<SynonymGroup> ParseSynonyms(std::string_view path, std::string_view content,
                                        std::vector<Diagnostic>* errors);

// Reads and parses `path`; a missing file is an error.
std::vector<SynonymGroup> LoadSynonyms(const std::filesystem::path& path,
                                       std::vector<Diagnostic>* errors);

}  // namespace patientqa::corpus
