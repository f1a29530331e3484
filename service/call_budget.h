#pragma once

#include <atomic>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace patientqa::service {

// How many calls the gRPC service works on at once, across all connections: a unary call holds a
// slot while it runs, a Chat stream for as long as it is open. A call that finds no free slot is
// refused at once (RESOURCE_EXHAUSTED) rather than queued, so an overloaded server answers
// quickly, clients back off, and the health service (not counted) still says SERVING.
// Thread-safe.
class CallBudget {
 public:
  // `max_calls` >= 1.
  explicit CallBudget(int max_calls) : max_(max_calls) {}

  // Takes a slot; false when all `max_calls` are in use.
  bool TryAcquire() {
    int current = in_use_.load(std::memory_order_relaxed);
    while (current < max_) {
      if (in_use_.compare_exchange_weak(current, current + 1, std::memory_order_acq_rel)) {
        return true;
      }
    }
    return false;
  }
  // Gives back a slot taken by TryAcquire.
  void Release() { in_use_.fetch_sub(1, std::memory_order_acq_rel); }

  int max_calls() const { return max_; }
  int in_use() const { return in_use_.load(std::memory_order_relaxed); }

 private:
  const int max_;
  std::atomic<int> in_use_{0};
};

// A slot of a CallBudget, held until destroyed (no budget: always held).
class BudgetSlot {
 public:
  explicit BudgetSlot(CallBudget* budget)
      : budget_(budget), held_(budget == nullptr || budget->TryAcquire()) {}
  ~BudgetSlot() {
    if (held_ && budget_ != nullptr) budget_->Release();
  }
  BudgetSlot(const BudgetSlot&) = delete;
  BudgetSlot& operator=(const BudgetSlot&) = delete;

  bool held() const { return held_; }
  // OK when the slot is held; RESOURCE_EXHAUSTED naming the limit otherwise.
  absl::Status status() const {
    if (held_) return absl::OkStatus();
    return absl::ResourceExhaustedError(absl::StrCat("the server is working on its limit of ",
                                                     budget_->max_calls(),
                                                     " calls; retry in a moment"));
  }

 private:
  CallBudget* budget_;
  bool held_;
};

}  // namespace patientqa::service
