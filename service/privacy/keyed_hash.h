#pragma once

// A keyed hash (HMAC-SHA-256, OpenSSL) with a random key made when the process starts and never
// written anywhere: two equal texts hash alike within one process, and nothing outside it can
// tell what was hashed. For cache keys and log lines that must not carry a patient's words.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace patientqa::service {

// 128 bits of HMAC-SHA-256.
struct KeyedDigest {
  uint64_t high = 0, low = 0;
  bool operator==(const KeyedDigest& o) const { return high == o.high && low == o.low; }
  std::string Hex() const;  // 32 lower-case hex digits
};

// The digest of `parts`, each length-prefixed so ("ab", "c") and ("a", "bc") differ, under this
// process's key. Thread-safe.
KeyedDigest KeyedHash(const std::vector<std::string_view>& parts);

struct KeyedDigestHash {
  size_t operator()(const KeyedDigest& d) const { return static_cast<size_t>(d.low); }
};

}  // namespace patientqa::service
