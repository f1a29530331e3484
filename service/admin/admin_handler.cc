#include "service/admin/admin_handler.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "index/index_builder.h"
#include "service/index_holder.h"
#include "service/observability/observer.h"

namespace patientqa::service {

namespace {

std::string NowRfc3339() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
}

}  // namespace

AdminHandler::AdminHandler(IndexHolder* index, observability::Observer* observer, Options options)
    : index_(index),
      observer_(observer),
      options_(std::move(options)),
      started_at_(NowRfc3339()),
      opened_at_(started_at_) {
  PublishIndex();
}

void AdminHandler::PublishIndex() {
  const auto searcher = index_->Current()->searcher;
  observer_->SetIndex(searcher->version(), searcher->passage_count(), searcher->article_count());
}

absl::StatusOr<bool> AdminHandler::Reopen() {
  absl::StatusOr<bool> switched = index_->ReloadIfChanged();
  std::lock_guard<std::mutex> lock(mu_);
  if (!switched.ok()) {
    last_reload_error_ = std::string(switched.status().message());
    observer_->IndexReloaded(false);
    spdlog::warn("index reload failed, still serving version {}: {}",
                 index_->Current()->searcher->version(), last_reload_error_);
    return switched;
  }
  if (*switched) {
    last_reload_error_.clear();
    opened_at_ = NowRfc3339();
    observer_->IndexReloaded(true);
    PublishIndex();
    spdlog::info("index reloaded: version={} passages={}", index_->Current()->searcher->version(),
                 index_->Current()->searcher->passage_count());
  }
  return switched;
}

absl::StatusOr<ReindexOutcome> AdminHandler::Reindex(bool reopen_only) {
  ReindexOutcome out;
  if (!reopen_only) {
    if (options_.sources.corpus_dir.empty()) {
      return absl::FailedPreconditionError(
          "this server has no --corpus to rebuild from; rebuild with patientqa-index and call "
          "Reindex with reopen_only (or send SIGHUP)");
    }
    std::unique_lock<std::mutex> building(build_mu_, std::try_to_lock);
    if (!building.owns_lock()) {
      return absl::UnavailableError("another Reindex is running; try again when it has finished");
    }
    absl::StatusOr<index::BuildStats> stats =
        index::BuildFromSources(options_.sources, options_.index, options_.keep_old_generations);
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_build_at_ = NowRfc3339();
      last_build_error_ = stats.ok() ? "" : std::string(stats.status().message());
    }
    observer_->IndexBuilt(stats.ok());
    if (!stats.ok()) {
      spdlog::warn("reindex failed, still serving version {}: {}",
                   index_->Current()->searcher->version(), std::string(stats.status().message()));
      return stats.status();
    }
    out.build_seconds = stats->seconds;
  }
  absl::StatusOr<bool> switched = Reopen();
  if (!switched.ok()) return switched.status();
  const auto searcher = index_->Current()->searcher;
  out.changed = *switched;
  out.index_version = searcher->version();
  out.passages = searcher->passage_count();
  out.articles = searcher->article_count();
  return out;
}

ServerStatus AdminHandler::Status() const {
  ServerStatus s;
  const auto searcher = index_->Current()->searcher;
  s.index_version = searcher->version();
  s.passages = searcher->passage_count();
  s.articles = searcher->article_count();
  s.started_at = started_at_;
  s.config = options_.config;
  if (options_.inflight_calls) s.inflight_calls = options_.inflight_calls();
  std::lock_guard<std::mutex> lock(mu_);
  s.index_opened_at = opened_at_;
  s.last_build_at = last_build_at_;
  s.last_build_error = last_build_error_;
  s.last_reload_error = last_reload_error_;
  return s;
}

std::vector<observability::ContentGaps::Group> AdminHandler::ContentGaps() const {
  return observer_->gaps().Report();
}

int AdminHandler::content_gap_min_group() const { return observer_->gaps().min_group_size(); }

}  // namespace patientqa::service
