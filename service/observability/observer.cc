#include "service/observability/observer.h"

#include <unistd.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "service/ask_handler.h"
#include "service/privacy/keyed_hash.h"

namespace patientqa::service::observability {

namespace {

std::string_view LevelName(SafetyLevel level) {
  switch (level) {
    case SafetyLevel::kUrgent:
      return "urgent";
    case SafetyLevel::kContactTeam:
      return "contact_team";
    case SafetyLevel::kInfo:
      return "info";
  }
  return "info";
}

// Resident set size from /proc/self/statm (pages), 0 where unavailable.
double ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  if (!(statm >> pages_total >> pages_resident)) return 0;
  return static_cast<double>(pages_resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

}  // namespace

AskSummary Summarize(const AskResult& r) {
  AskSummary s;
  s.answered = r.answered;
  s.passages = static_cast<int>(r.passages.size());
  if (!r.safety.category.empty() || r.safety.level != SafetyLevel::kInfo) {
    s.safety_level = std::string(LevelName(r.safety.level));
    s.safety_category = r.safety.category;
  }
  s.cache_hit = r.cache_hit;
  if (!r.understanding.types.empty()) s.type = r.understanding.types.front();
  s.focus = r.understanding.focus;
  s.coverage = r.best_match.weighted_coverage;
  return s;
}

Observer::Observer(std::unique_ptr<AccessLog> access_log, int gap_min_group)
    : access_log_(std::move(access_log)), gaps_(gap_min_group) {
  requests_ = registry_.AddCounter("patientqa_requests_total", "Calls finished, by status code.",
                                   {"surface", "method", "code"});
  duration_ = registry_.AddHistogram("patientqa_request_duration_seconds",
                                     "Time from a call's arrival to its reply.",
                                     {"surface", "method"}, LatencyBuckets());
  answers_ = registry_.AddCounter("patientqa_answers_total",
                                  "Questions answered from the library or refused.", {"result"});
  safety_ = registry_.AddCounter("patientqa_safety_notices_total",
                                 "Safety notices sent, by triage level and category.",
                                 {"level", "category"});
  cache_ = registry_.AddCounter("patientqa_answer_cache_lookups_total",
                                "Answers found in (hit) or computed without (miss) the cache.",
                                {"result"});
  inflight_ =
      registry_.AddGauge("patientqa_inflight_calls", "Calls being worked on now.", {"surface"});
  rejected_ = registry_.AddCounter("patientqa_rejected_calls_total",
                                   "Calls turned away before any work.", {"surface", "reason"});
  index_info_ = registry_.AddGauge("patientqa_index_info", "The index version being served (1).",
                                   {"version"});
  index_passages_ = registry_.AddGauge("patientqa_index_passages", "Passages in the index served.");
  index_articles_ = registry_.AddGauge("patientqa_index_articles", "Articles in the index served.");
  reloads_ = registry_.AddCounter("patientqa_index_reloads_total",
                                  "Switches to a rebuilt index (failed: the old one kept serving).",
                                  {"result"});
  builds_ = registry_.AddCounter("patientqa_index_builds_total",
                                 "Index builds started by the admin Reindex call.", {"result"});
  gap_groups_ = registry_.AddGauge(
      "patientqa_content_gap_questions",
      "Refused or weakly answered questions by question type and focus concept; groups below the "
      "minimum size are not shown.",
      {"outcome", "type", "concept"});
  rss_ = registry_.AddGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
  start_time_ = registry_.AddGauge("process_start_time_seconds",
                                   "Start time of the process since the Unix epoch in seconds.");
  start_time_->Set({}, absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch()));
  for (const char* surface : {"grpc", "http"}) inflight_->Set({surface}, 0);
  for (const char* result : {"ok", "failed"}) {
    reloads_->Add({result}, 0);
    builds_->Add({result}, 0);
  }
  registry_.AddCollector([this] {
    inflight_->Set({"grpc"}, static_cast<double>(inflight_grpc_.load()));
    inflight_->Set({"http"}, static_cast<double>(inflight_http_.load()));
    rss_->Set({}, ResidentBytes());
    gap_groups_->Clear();
    for (const ContentGaps::Group& g : gaps_.Report()) {
      gap_groups_->Set({g.outcome, g.type, g.focus}, static_cast<double>(g.count));
    }
  });
}

void Observer::Record(const CallOutcome& call) {
  const double seconds = std::chrono::duration<double>(call.latency).count();
  requests_->Add({std::string(call.surface), std::string(call.method), call.code});
  duration_->Observe({std::string(call.surface), std::string(call.method)}, seconds);
  AccessLogEntry entry;
  entry.request_id = call.request_id;
  entry.surface = call.surface;
  entry.method = call.method;
  entry.code = call.code;
  entry.latency_ms = seconds * 1000;
  entry.question_hash = call.question_hash;
  if (const AskSummary* ask = call.ask) {
    answers_->Add({ask->answered ? "answered" : "refused"});
    if (!ask->safety_level.empty()) safety_->Add({ask->safety_level, ask->safety_category});
    cache_->Add({ask->cache_hit ? "hit" : "miss"});
    if (!ask->answered && ask->safety_level != "urgent" && ask->safety_level != "contact_team") {
      gaps_.Add("refused", ask->type, ask->focus);
    } else if (ask->answered && ask->coverage < ContentGaps::kWeakCoverage) {
      gaps_.Add("weak", ask->type, ask->focus);
    }
    entry.passages = ask->passages;
    entry.answered = ask->answered;
    entry.safety_level = ask->safety_level;
    entry.safety_category = ask->safety_category;
    entry.cache_hit = ask->cache_hit;
  }
  if (access_log_) access_log_->Write(entry);
}

void Observer::Rejected(std::string_view surface, std::string_view reason) {
  rejected_->Add({std::string(surface), std::string(reason)});
}

void Observer::SetIndex(const std::string& version, long passages, long articles) {
  index_info_->Clear();
  index_info_->Set({version}, 1);
  index_passages_->Set({}, static_cast<double>(passages));
  index_articles_->Set({}, static_cast<double>(articles));
}

void Observer::IndexReloaded(bool ok) { reloads_->Add({ok ? "ok" : "failed"}); }
void Observer::IndexBuilt(bool ok) { builds_->Add({ok ? "ok" : "failed"}); }

Observer::InFlight::InFlight(Observer* o, std::string_view surface)
    : count_(surface == "http" ? &o->inflight_http_ : &o->inflight_grpc_) {
  count_->fetch_add(1);
}
Observer::InFlight::~InFlight() { count_->fetch_sub(1); }

std::string Observer::QuestionHash(std::string_view question) {
  return KeyedHash({"access-log", question}).Hex();
}

}  // namespace patientqa::service::observability
