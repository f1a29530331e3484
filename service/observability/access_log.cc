#include "service/observability/access_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace patientqa::service::observability {

absl::StatusOr<std::unique_ptr<AccessLog>> AccessLog::Open(std::string_view destination) {
  if (destination.empty() || destination == "off") return std::unique_ptr<AccessLog>();
  if (destination == "stderr") return std::unique_ptr<AccessLog>(new AccessLog(2, false));
  const std::string path(destination);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("--access_log: cannot open ", path, ": ", std::strerror(errno)));
  }
  return std::unique_ptr<AccessLog>(new AccessLog(fd, true));
}

AccessLog::~AccessLog() {
  if (owned_) ::close(fd_);
}

std::string AccessLog::Format(const AccessLogEntry& e) {
  nlohmann::ordered_json j;
  j["time"] = e.time.empty()
                  ? absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone())
                  : e.time;
  j["request_id"] = e.request_id;
  j["surface"] = e.surface;
  j["method"] = e.method;
  j["status"] = e.code;
  j["latency_ms"] = static_cast<double>(static_cast<int64_t>(e.latency_ms * 1000)) / 1000;
  if (e.passages >= 0) {
    j["passages"] = e.passages;
    j["answered"] = e.answered;
    j["safety_level"] = e.safety_level;
    j["safety_category"] = e.safety_category;
    j["cache_hit"] = e.cache_hit;
  }
  if (!e.question_hash.empty()) j["question_hash"] = e.question_hash;
  // Every value above comes from a fixed set or is a number or hex; replace, never throw, if not.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

void AccessLog::Write(const AccessLogEntry& entry) {
  const std::string line = Format(entry);
  // One write per line; a short write (a full disk) drops the rest of the line rather than block.
  [[maybe_unused]] const ssize_t n = ::write(fd_, line.data(), line.size());
}

}  // namespace patientqa::service::observability
