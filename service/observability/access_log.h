#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace patientqa::service::observability {

// One call as the access log records it: metadata only. There is deliberately no field for the
// question or history: `question_hash` is a keyed hash (service/privacy/keyed_hash.h) under a key
// that never leaves the process, so equal questions can be counted and nothing can be read back.
struct AccessLogEntry {
  std::string time;  // RFC 3339 UTC with milliseconds, filled by Write() when empty
  uint64_t request_id = 0;
  std::string_view surface;  // "grpc" | "http"
  std::string_view method;   // "Ask", "Chat", ... or the HTTP route ("/v1/ask")
  std::string_view code;     // gRPC status name ("OK") or HTTP status ("200")
  double latency_ms = 0;
  int passages = -1;                 // -1: not an Ask
  std::string_view safety_level;     // "", "info", "contact_team", "urgent"
  std::string_view safety_category;  // triage category id, "" for none
  bool answered = false;
  bool cache_hit = false;
  std::string question_hash;  // 32 hex digits, "" when the call had no question
};

// The structured access log: one JSON object per line, one line per call, each line written with
// a single write(2) so lines from concurrent calls never interleave. Rotation is left to the
// system (journald for stderr; logrotate with `copytruncate` for a file, which is opened with
// O_APPEND). Thread-safe.
class AccessLog {
 public:
  // `destination`: "" or "off" (no log: returns nullptr), "stderr", or a file path (created with
  // mode 0640 when missing, appended to). Error: the file cannot be opened (names the path).
  static absl::StatusOr<std::unique_ptr<AccessLog>> Open(std::string_view destination);
  ~AccessLog();

  void Write(const AccessLogEntry& entry);

  // The JSON line for `entry`, newline included (for tests and for Write).
  static std::string Format(const AccessLogEntry& entry);

 private:
  AccessLog(int fd, bool owned) : fd_(fd), owned_(owned) {}
  const int fd_;
  const bool owned_;
};

}  // namespace patientqa::service::observability
