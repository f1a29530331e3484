#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace patientqa::service {

// A fixed set of threads that run the CPU-heavy part of gRPC calls (answering a question), so
// that gRPC's own callback threads only decode, admit and reply. Under overload those threads
// stay free: health checks are answered and refused calls are refused at once, instead of
// waiting behind questions being answered. The queue is bounded by the CallBudget (a call holds
// its slot while queued and while running), not here. Thread-safe.
class WorkerPool {
 public:
  // `threads` >= 1 (0: one per core).
  explicit WorkerPool(int threads);
  // Runs what is queued, then joins.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Post(std::function<void()> task);
  int threads() const { return static_cast<int>(threads_.size()); }

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace patientqa::service
