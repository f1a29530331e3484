#pragma once

// The floor for benchmarks (issue 13): what one bare Xapian query costs on an index, with none of
// patientqa's question understanding, ranking or answer assembly — QueryParser (English
// stemming, words OR-ed), BM25 with Xapian's defaults, the top 10 with their stored data read.
// `patientqa-bench` prints Ask's speed beside it.

#include <filesystem>
#include <memory>
#include <string_view>

#include "absl/status/status.h"

namespace patientqa::index {

class RawQuery {
 public:
  explicit RawQuery(std::filesystem::path index);
  ~RawQuery();
  // Runs `question` as the floor query. Thread-safe: each thread opens its own database once.
  // INTERNAL when Xapian fails.
  absl::Status Run(std::string_view question) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace patientqa::index
