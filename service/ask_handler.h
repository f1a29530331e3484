#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "index/searcher.h"
#include "service/index_holder.h"

namespace patientqa::service {

inline constexpr int kMaxQuestionChars = 1000;
inline constexpr int kMaxHistoryTurns = 20;
inline constexpr int kDefaultPassages = 5;
inline constexpr int kMaxPassages = 20;

struct AskQuery {
  std::string question;
  std::vector<std::string> history;  // oldest first
  int max_passages = 0;              // 0: kDefaultPassages
  std::string topic;                 // empty: all topics
};

enum class SafetyLevel { kInfo, kUrgent };

struct SafetyInfo {
  SafetyLevel level = SafetyLevel::kInfo;
  std::string message;
};

struct TopicRef {
  std::string id;
  std::string label;
};

struct AskResult {
  bool answered = false;
  std::string answer;
  std::vector<index::Hit> passages;  // best first
  SafetyInfo safety;
  std::string did_you_mean;
  std::vector<TopicRef> topics;
  std::string index_version;
};

// Checks a query against the API's limits. INVALID_ARGUMENT names the field and the limit.
absl::Status ValidateAskQuery(const AskQuery& query);

// Answers questions from the current index. Plain C++: the gRPC and HTTP front ends call it, and
// unit tests call it without a network. Thread-safe.
class AskHandler {
 public:
  explicit AskHandler(const IndexHolder* index) : index_(index) {}

  absl::StatusOr<AskResult> Ask(const AskQuery& query) const;

 private:
  const IndexHolder* index_;
};

}  // namespace patientqa::service
