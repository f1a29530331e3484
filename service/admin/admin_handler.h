#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "corpus/sources.h"
#include "service/observability/content_gaps.h"

namespace patientqa::service {

class IndexHolder;
namespace observability {
class Observer;
}

struct ReindexOutcome {
  std::string index_version;
  int passages = 0;
  int articles = 0;
  double build_seconds = 0;
  bool changed = false;
};

struct ServerStatus {
  std::string index_version;
  int passages = 0;
  int articles = 0;
  std::string index_opened_at;  // RFC 3339 UTC
  std::string started_at;
  std::string last_build_at;
  std::string last_build_error;
  std::string last_reload_error;
  int inflight_calls = 0;
  std::map<std::string, std::string> config;
};

// The admin operations as plain C++ (the gRPC Admin service and SIGHUP call it): rebuild and
// switch the index, reopen it, report status and content gaps. Every switch is counted in the
// metrics (patientqa_index_reloads_total, _builds_total) and reflected in status. Thread-safe; one
// rebuild at a time.
class AdminHandler {
 public:
  struct Options {
    std::filesystem::path index;    // the index link the server serves
    corpus::CorpusSources sources;  // what Reindex builds from (corpus_dir empty: no rebuild)
    int keep_old_generations = 2;
    std::map<std::string, std::string> config;  // shown in status; never a secret
    std::function<int()> inflight_calls;        // may be empty
  };

  // `index` and `observer` must outlive the handler.
  AdminHandler(IndexHolder* index, observability::Observer* observer, Options options);

  // Builds from the configured sources into the index path, then switches to it; with
  // `reopen_only`, only switches to what the link points at now. On error the old index keeps
  // serving: FAILED_PRECONDITION (no corpus configured), UNAVAILABLE (another build runs),
  // INVALID_ARGUMENT (corpus errors, file:line), or the error that stopped the switch.
  absl::StatusOr<ReindexOutcome> Reindex(bool reopen_only);

  // Switches to a rebuilt index when the link has moved (the reload loop and SIGHUP). Returns
  // whether it switched; errors leave the old index serving and are kept for status.
  absl::StatusOr<bool> Reopen();

  ServerStatus Status() const;
  std::vector<observability::ContentGaps::Group> ContentGaps() const;
  int content_gap_min_group() const;

  // Publishes the served index's version and size to the metrics.
  void PublishIndex();

 private:
  IndexHolder* index_;
  observability::Observer* observer_;
  const Options options_;
  const std::string started_at_;
  std::mutex build_mu_;    // one rebuild at a time
  mutable std::mutex mu_;  // guards the fields below
  std::string opened_at_;
  std::string last_build_at_;
  std::string last_build_error_;
  std::string last_reload_error_;
};

}  // namespace patientqa::service
