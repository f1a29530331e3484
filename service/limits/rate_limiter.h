#pragma once

#include <algorithm>
#include <chrono>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace patientqa::service {

// Per-client token buckets: each client (a peer address, or an app's API key) may make `rate`
// calls per second on average and `burst` at once. A call that finds the bucket empty is refused
// with the time until a token is free (sent as RESOURCE_EXHAUSTED / HTTP 429 with Retry-After).
// At most `max_clients` buckets are kept; the least recently seen client is forgotten first (it
// comes back with a full bucket, which costs at most `burst` extra calls). Thread-safe.
class RateLimiter {
 public:
  struct Options {
    double rate = 0;    // tokens per second; 0 disables the limiter
    double burst = 20;  // bucket size (at least 1)
    size_t max_clients = 100000;
  };
  struct Decision {
    bool allowed = true;
    std::chrono::milliseconds retry_after{0};  // when refused: until the next token
    // `retry_after` in whole seconds, rounded up and at least 1: what HTTP `Retry-After` and the
    // gRPC `retry-after` trailer carry (RFC 9110 section 10.2.3 allows only whole seconds).
    long RetryAfterSeconds() const {
      return std::max<long>(1, static_cast<long>((retry_after.count() + 999) / 1000));
    }
  };

  explicit RateLimiter(Options options);

  bool enabled() const { return options_.rate > 0; }
  // Takes one token from `client`'s bucket. `now` is injectable for tests.
  Decision Take(std::string_view client,
                std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
    std::list<std::string>::iterator lru;
  };
  const Options options_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> lru_;  // most recently seen first
};

// The client part of a gRPC peer string ("ipv4:10.0.0.7:51234" -> "10.0.0.7",
// "ipv6:[::1]:5000" -> "::1"); other peers (a unix socket) whole.
std::string ClientAddress(std::string_view peer);

}  // namespace patientqa::service
