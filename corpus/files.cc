#include "corpus/files.h"

#include <algorithm>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace patientqa::corpus {

namespace fs = std::filesystem;

namespace {

// What a non-regular entry is, in words for an error message.
std::string Kind(fs::file_type type) {
  switch (type) {
    case fs::file_type::directory:
      return "a directory";
    case fs::file_type::fifo:
      return "a FIFO (named pipe)";
    case fs::file_type::character:
    case fs::file_type::block:
      return "a device";
    case fs::file_type::socket:
      return "a socket";
    case fs::file_type::not_found:
      return "a dangling link";
    default:
      return "not a regular file";
  }
}

// Why `path` cannot be read as a regular file, or "" when it can.
std::string Irregular(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);  // follows links
  if (ec && status.type() != fs::file_type::not_found) {
    return absl::StrCat("cannot be read (", ec.message(), ")");  // e.g. a link that loops
  }
  if (status.type() == fs::file_type::regular) return "";
  return absl::StrCat("is ", Kind(status.type()), ", not a regular file");
}

}  // namespace

std::vector<fs::path> ListCorpusFiles(const fs::path& dir, std::string_view extension,
                                      std::vector<Diagnostic>* errors,
                                      const std::vector<std::string>& skip) {
  std::vector<fs::path> files;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    if (path.extension() != extension) continue;
    if (std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
    if (std::string why = Irregular(path); !why.empty()) {
      errors->push_back({path.string(), 0, absl::StrCat("skipped: ", why)});
      continue;
    }
    files.push_back(path);
  }
  if (ec) errors->push_back({dir.string(), 0, absl::StrCat("cannot list: ", ec.message())});
  std::sort(files.begin(), files.end());
  return files;
}

absl::StatusOr<std::string> ReadCorpusFile(const fs::path& path, size_t max_bytes) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    return absl::NotFoundError(absl::StrCat(path.string(), ": no such file"));
  }
  if (std::string why = Irregular(path); !why.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(path.string(), " ", why));
  }
  const uintmax_t size = fs::file_size(path, ec);
  if (ec) return absl::UnavailableError(absl::StrCat(path.string(), ": ", ec.message()));
  if (size > max_bytes) {
    return absl::FailedPreconditionError(
        absl::StrCat(path.string(), " is ", size, " bytes, more than the limit of ", max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  std::string content(static_cast<size_t>(size), '\0');
  in.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (!in || in.gcount() != static_cast<std::streamsize>(content.size())) {
    return absl::UnavailableError(absl::StrCat(path.string(), ": cannot read the file"));
  }
  return content;
}

}  // namespace patientqa::corpus
