#include "service/limits/api_keys.h"

#include <openssl/sha.h>

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace patientqa::service {

namespace {

std::array<unsigned char, 32> Digest(std::string_view s) {
  std::array<unsigned char, 32> d{};
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d.data());
  return d;
}

}  // namespace

absl::StatusOr<ApiKeys> ApiKeys::Load(const std::string& path) {
  if (path.empty()) return ApiKeys();
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  if (!in) return absl::NotFoundError(absl::StrCat("--api_keys_file: cannot read ", path));
  return Parse(path, content.str());
}

absl::StatusOr<ApiKeys> ApiKeys::Parse(const std::string& file, std::string_view content) {
  ApiKeys keys;
  int line_no = 0;
  for (absl::string_view raw :
       absl::StrSplit(absl::string_view(content.data(), content.size()), '\n')) {
    ++line_no;
    const absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || line.front() == '#') continue;
    std::vector<absl::string_view> fields = absl::StrSplit(line, ' ', absl::SkipWhitespace());
    if (fields.size() > 2) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ":", line_no, ": expected 'KEY' or 'NAME KEY'"));
    }
    const absl::string_view key = fields.back();
    const bool visible =
        std::all_of(key.begin(), key.end(), [](char c) { return c > 32 && c < 127; });
    if (key.size() < 16 || key.size() > 256 || !visible) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ":", line_no, ": a key must be 16 to 256 visible ASCII characters"));
    }
    keys.digests_.insert(Digest(std::string_view(key.data(), key.size())));
  }
  return keys;
}

absl::Status ApiKeys::Check(std::string_view key) const {
  if (key.empty()) {
    return absl::UnauthenticatedError("this server needs an API key in the metadata 'x-api-key'");
  }
  if (digests_.count(Digest(key)) == 0) {
    return absl::PermissionDeniedError("the API key is not valid");
  }
  return absl::OkStatus();
}

std::string ApiKeys::KeyId(std::string_view key) {
  const auto d = Digest(key);
  return absl::StrFormat("key:%02x%02x%02x%02x%02x%02x", d[0], d[1], d[2], d[3], d[4], d[5]);
}

}  // namespace patientqa::service
