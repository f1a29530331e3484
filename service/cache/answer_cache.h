#pragma once

// Answers to repeated questions, kept in memory (issue 13). A bounded LRU map from a keyed hash
// (service/privacy/keyed_hash.h) of everything that decides an answer — the normalised question,
// the history, the topic, the number of passages, the features used and the index version — to
// the answer. The question's text is never stored: answers and plain refusals are cached, but not
// one that would carry the question's words back (a spelling suggestion, or a refusal naming the
// disease asked about: AskResult::quotes_question). Triage is not cached either:
// AskHandler decides safety on every request and takes only the passages and the answer from here.
// A new index version empties the cache. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "service/ask_handler.h"
#include "service/privacy/keyed_hash.h"

namespace patientqa::service {

class AnswerCache {
 public:
  // At most `capacity` answers (0: the cache is off and stores nothing).
  explicit AnswerCache(size_t capacity) : capacity_(capacity) {}

  std::optional<AskResult> Get(const KeyedDigest& key);
  // Whether an answer is kept for `key`, without counting a hit or a miss or touching its
  // recency: a front end asks this to answer a repeated question at once (no queue, no worker).
  bool Contains(const KeyedDigest& key) const;
  // Stores `result` for `key`, evicting the least recently used answer when full. An answer
  // for another index version than the ones stored empties the cache first.
  void Put(const KeyedDigest& key, const AskResult& result);

  struct Stats {
    uint64_t hits = 0, misses = 0;
    size_t entries = 0;
  };
  Stats stats() const;
  size_t capacity() const { return capacity_; }

 private:
  using Entry = std::pair<KeyedDigest, AskResult>;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::list<Entry> lru_;  // most recent first
  std::unordered_map<KeyedDigest, std::list<Entry>::iterator, KeyedDigestHash> map_;
  std::string version_;
  uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace patientqa::service
