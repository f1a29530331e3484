#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/article.h"

namespace patientqa::corpus {

// Largest article, question-variant or clinical rule file read (1 MiB): the biggest bundled one
// is under 20 KiB, so anything near this is a mistake, not an article.
inline constexpr size_t kMaxCorpusFileBytes = 1 << 20;
// Largest JSON Lines import read (512 MiB; MedQuAD's is 2.7 MB).
inline constexpr size_t kMaxImportFileBytes = size_t{512} << 20;

// The regular files directly inside `dir` whose names end in `extension` (".md"), sorted, except
// those named in `skip` (for example "README.md"). Every other entry with that ending is reported
// in `errors` with its path and what it is — a directory, a FIFO, a device, a socket, a link that
// is dangling or loops — as is a directory that cannot be listed. Never throws.
std::vector<std::filesystem::path> ListCorpusFiles(const std::filesystem::path& dir,
                                                   std::string_view extension,
                                                   std::vector<Diagnostic>* errors,
                                                   const std::vector<std::string>& skip = {});

// The whole content of `path`, which must be a regular file (after following links) of at most
// `max_bytes`. Errors: NOT_FOUND (missing or a dangling link), FAILED_PRECONDITION (not a regular
// file, a link loop, larger than `max_bytes`), UNAVAILABLE (cannot be read); each names the path.
absl::StatusOr<std::string> ReadCorpusFile(const std::filesystem::path& path,
                                           size_t max_bytes = kMaxCorpusFileBytes);

}  // namespace patientqa::corpus
