#include "service/eval/load_test.h"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <numeric>
#include <string>
#include <thread>

namespace patientqa::service::eval {

LoadReport RunLoad(const std::vector<LoadQuestion>& questions,
                   const std::function<absl::Status(const LoadQuestion&)>& ask,
                   const LoadOptions& options) {
  using Clock = std::chrono::steady_clock;
  LoadReport report;
  report.threads = std::max(1, options.threads);
  if (questions.empty()) return report;
  struct PerThread {
    std::vector<double> latencies_ms;
    long errors = 0;
    std::string first_error;
  };
  std::vector<PerThread> results(report.threads);
  const Clock::time_point start = Clock::now();
  const Clock::time_point counted_from = start + options.warm_up;
  const Clock::time_point end = counted_from + options.duration;
  std::vector<std::thread> threads;
  for (int t = 0; t < report.threads; ++t) {
    threads.emplace_back([&, t] {
      PerThread& mine = results[t];
      size_t next = questions.size() * t / report.threads;
      for (Clock::time_point now = Clock::now(); now < end; now = Clock::now()) {
        const absl::Status status = ask(questions[next]);
        const Clock::time_point done = Clock::now();
        next = (next + 1) % questions.size();
        if (now < counted_from) continue;
        mine.latencies_ms.push_back(std::chrono::duration<double, std::milli>(done - now).count());
        if (!status.ok()) {
          if (mine.errors++ == 0) mine.first_error = std::string(status.ToString());
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  report.seconds = std::chrono::duration<double>(Clock::now() - counted_from).count();
  std::vector<double> all;
  for (PerThread& r : results) {
    all.insert(all.end(), r.latencies_ms.begin(), r.latencies_ms.end());
    report.errors += r.errors;
    if (report.first_error.empty()) report.first_error = r.first_error;
  }
  report.requests = static_cast<long>(all.size());
  if (all.empty()) return report;
  std::sort(all.begin(), all.end());
  auto percentile = [&](double p) {
    const size_t i = static_cast<size_t>(p * static_cast<double>(all.size() - 1) + 0.5);
    return all[std::min(i, all.size() - 1)];
  };
  report.p50_ms = percentile(0.50);
  report.p90_ms = percentile(0.90);
  report.p99_ms = percentile(0.99);
  report.max_ms = all.back();
  report.mean_ms = std::accumulate(all.begin(), all.end(), 0.0) / static_cast<double>(all.size());
  return report;
}

double PeakResidentMiB(int pid) {
  std::ifstream status(pid == 0 ? std::string("/proc/self/status")
                                : "/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // in kB
  }
  return 0;
}

}  // namespace patientqa::service::eval
