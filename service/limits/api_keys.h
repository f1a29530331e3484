#pragma once

#include <array>
#include <set>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace patientqa::service {

// The API keys apps may present in the gRPC metadata `x-api-key`. When any key is configured,
// every call to the PatientQA service must carry one of them (UNAUTHENTICATED without a key,
// PERMISSION_DENIED with an unknown one), and rate limits count per key instead of per address.
// The HTTP port, which browsers reach, keeps counting per address: a web page cannot keep a key
// secret. Only SHA-256 digests of the keys are held.
class ApiKeys {
 public:
  // Reads a keys file: one key per line (16 to 256 visible ASCII characters), optionally
  // "name key" (the name is only for the operator); blank lines and lines starting with '#' are
  // skipped. Errors name the file and line. An empty path gives an empty set (keys off).
  static absl::StatusOr<ApiKeys> Load(const std::string& path);
  static absl::StatusOr<ApiKeys> Parse(const std::string& file, std::string_view content);

  bool enabled() const { return !digests_.empty(); }
  size_t size() const { return digests_.size(); }
  // OK, UNAUTHENTICATED (empty) or PERMISSION_DENIED (unknown key).
  absl::Status Check(std::string_view key) const;
  // A short, stable id for a valid key (for rate-limit buckets; never the key itself).
  static std::string KeyId(std::string_view key);

 private:
  std::set<std::array<unsigned char, 32>> digests_;
};

}  // namespace patientqa::service
