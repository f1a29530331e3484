#include "service/privacy/keyed_hash.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <cstring>

#include "absl/strings/str_format.h"

namespace patientqa::service {
namespace {

constexpr size_t kKeyBytes = 32;

const std::array<unsigned char, kKeyBytes>& ProcessKey() {
  static const std::array<unsigned char, kKeyBytes> key = [] {
    std::array<unsigned char, kKeyBytes> k{};
    // A process without randomness must not run with a guessable key.
    if (RAND_bytes(k.data(), static_cast<int>(k.size())) != 1) std::abort();
    return k;
  }();
  return key;
}

}  // namespace

std::string KeyedDigest::Hex() const { return absl::StrFormat("%016x%016x", high, low); }

KeyedDigest KeyedHash(const std::vector<std::string_view>& parts) {
  std::string message;
  for (std::string_view p : parts) {
    const uint64_t n = p.size();
    message.append(reinterpret_cast<const char*>(&n), sizeof n);
    message.append(p);
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  const auto& key = ProcessKey();
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac,
           &mac_len) == nullptr ||
      mac_len < 16) {
    std::abort();  // cannot happen with SHA-256; never fall back to an unkeyed hash
  }
  KeyedDigest d;
  std::memcpy(&d.high, mac, 8);
  std::memcpy(&d.low, mac + 8, 8);
  return d;
}

}  // namespace patientqa::service
