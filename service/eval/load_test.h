#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace patientqa::service::eval {

// One request of a load test: a question and the conversation before it.
struct LoadQuestion {
  std::string question;
  std::vector<std::string> history;
};

struct LoadOptions {
  int threads = 2;
  std::chrono::milliseconds duration{10000};
  std::chrono::milliseconds warm_up{1000};  // requests in this time are not counted
};

struct LoadReport {
  int threads = 0;
  long requests = 0;  // counted requests (after warm-up)
  long errors = 0;    // of those, failed ones
  double seconds = 0;
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, max_ms = 0, mean_ms = 0;
  std::string first_error;  // the first failure's message, for the report

  double PerSecond() const { return seconds > 0 ? static_cast<double>(requests) / seconds : 0; }
};

// Sends `questions` round and round through `ask` from `options.threads` threads for
// `options.duration`, each thread starting at a different question, and reports throughput and
// latency. `ask` must be thread-safe.
LoadReport RunLoad(const std::vector<LoadQuestion>& questions,
                   const std::function<absl::Status(const LoadQuestion&)>& ask,
                   const LoadOptions& options);

// The peak resident memory of process `pid` (0: this process) in MiB, from /proc; 0 if unknown.
double PeakResidentMiB(int pid = 0);

}  // namespace patientqa::service::eval
