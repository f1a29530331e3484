#include "service/cache/answer_cache.h"

namespace patientqa::service {

std::optional<AskResult> AnswerCache::Get(const KeyedDigest& key) {
  if (capacity_ == 0) return std::nullopt;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = map_.find(key);
  if (it == map_.end()) {
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->second;
}

bool AnswerCache::Contains(const KeyedDigest& key) const {
  if (capacity_ == 0) return false;
  std::lock_guard<std::mutex> lock(mu_);
  return map_.count(key) > 0;
}

void AnswerCache::Put(const KeyedDigest& key, const AskResult& result) {
  // Nothing that repeats the question's words: a refusal naming what it named, a suggestion.
  if (capacity_ == 0 || result.quotes_question || !result.did_you_mean.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (result.index_version != version_) {
    lru_.clear();
    map_.clear();
    version_ = result.index_version;
  }
  if (auto it = map_.find(key); it != map_.end()) {
    it->second->second = result;
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.emplace_front(key, result);
  map_[key] = lru_.begin();
  while (lru_.size() > capacity_) {
    map_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

AnswerCache::Stats AnswerCache::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {hits_, misses_, lru_.size()};
}

}  // namespace patientqa::service
