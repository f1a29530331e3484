#include "service/limits/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace patientqa::service {

RateLimiter::RateLimiter(Options options)
    : options_([&] {
        options.burst = std::max(options.burst, 1.0);
        options.max_clients = std::max<size_t>(options.max_clients, 1);
        return options;
      }()) {}

RateLimiter::Decision RateLimiter::Take(std::string_view client,
                                        std::chrono::steady_clock::time_point now) {
  if (!enabled()) return {};
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(std::string(client));
  if (it == buckets_.end()) {
    if (buckets_.size() >= options_.max_clients) {
      buckets_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.emplace_front(client);
    it = buckets_.emplace(lru_.front(), Bucket{options_.burst, now, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    const double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
    it->second.tokens =
        std::min(options_.burst, it->second.tokens + std::max(elapsed, 0.0) * options_.rate);
    it->second.updated = now;
  }
  Bucket& b = it->second;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return {};
  }
  const double wait_seconds = (1 - b.tokens) / options_.rate;
  return {false, std::chrono::milliseconds(static_cast<long>(std::ceil(wait_seconds * 1000)))};
}

std::string ClientAddress(std::string_view peer) {
  constexpr std::string_view kV4 = "ipv4:", kV6 = "ipv6:";
  if (peer.substr(0, kV4.size()) == kV4) {
    peer.remove_prefix(kV4.size());
    return std::string(peer.substr(0, peer.rfind(':')));
  }
  if (peer.substr(0, kV6.size()) == kV6) {
    peer.remove_prefix(kV6.size());
    const size_t close = peer.find(']');
    if (!peer.empty() && peer.front() == '[' && close != std::string_view::npos) {
      return std::string(peer.substr(1, close - 1));
    }
  }
  return std::string(peer);  // unix sockets and the like: the whole peer
}

}  // namespace patientqa::service
