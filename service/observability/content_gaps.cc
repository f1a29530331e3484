#include "service/observability/content_gaps.h"

#include <algorithm>

namespace patientqa::service::observability {

void ContentGaps::Add(const std::string& outcome, const std::string& type,
                      const std::string& focus) {
  std::lock_guard<std::mutex> lock(mu_);
  ++counts_[{outcome, type.empty() ? "-" : type, focus.empty() ? "-" : focus}];
}

std::vector<ContentGaps::Group> ContentGaps::Report() const {
  std::vector<Group> out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [key, count] : counts_) {
      if (count < k_) continue;
      out.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), count});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Group& a, const Group& b) { return a.count > b.count; });
  return out;
}

}  // namespace patientqa::service::observability
