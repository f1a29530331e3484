#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "service/observability/access_log.h"
#include "service/observability/content_gaps.h"
#include "service/observability/metrics.h"

namespace patientqa::service {
struct AskResult;
}

namespace patientqa::service::observability {

// What an Ask (or a Chat turn) produced, in the terms metrics and logs use.
struct AskSummary {
  bool answered = false;
  int passages = 0;
  std::string safety_level;     // "", "info", "contact_team", "urgent"
  std::string safety_category;  // triage category, "" for none
  bool cache_hit = false;
  std::string type;   // first recognised question type, "" for none
  std::string focus;  // focus concept id, "" for none
  double coverage = 0;
};
AskSummary Summarize(const AskResult& result);

// One finished call, from either front end.
struct CallOutcome {
  std::string_view surface;  // "grpc" | "http"
  std::string_view method;   // "Ask", "Chat", "GetArticle", ... or the HTTP route
  std::string code;          // gRPC status name or HTTP status number
  std::chrono::steady_clock::duration latency{};
  uint64_t request_id = 0;
  const AskSummary* ask = nullptr;  // set for Ask calls and Chat turns that were answered
  std::string question_hash;        // Observer::QuestionHash of the question, or ""
};

// Metrics (Prometheus), the access log and the content-gap report for one server: both front
// ends call Record() once per call (a Chat stream once per turn). Series, all prefixed
// patientqa_: requests_total{surface,method,code}, request_duration_seconds{surface,method},
// answers_total{result}, safety_notices_total{level,category}, answer_cache_lookups_total{result},
// inflight_calls{surface}, rejected_calls_total{surface,reason}, index_info{version},
// index_passages, index_articles, index_reloads_total{result}, index_builds_total{result},
// content_gap_questions{outcome,type,concept}; and process_resident_memory_bytes,
// process_start_time_seconds. Thread-safe.
class Observer {
 public:
  // `access_log` may be null (no access log). `gap_min_group`: see ContentGaps.
  Observer(std::unique_ptr<AccessLog> access_log, int gap_min_group);

  void Record(const CallOutcome& call);
  // A call turned away before any work: `reason` is "overload", "rate_limited" or
  // "unauthenticated". Record() is still called for it, with its status.
  void Rejected(std::string_view surface, std::string_view reason);
  void SetIndex(const std::string& version, long passages, long articles);
  void IndexReloaded(bool ok);
  void IndexBuilt(bool ok);

  // Counts a call in patientqa_inflight_calls{surface} while it lives.
  class InFlight {
   public:
    InFlight(Observer* o, std::string_view surface);
    ~InFlight();
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

   private:
    std::atomic<long>* count_;
  };

  // A keyed hash of a question (HMAC-SHA-256 under the process key; 32 hex digits): equal
  // questions hash alike within this process, and nothing outside it can tell what was asked.
  static std::string QuestionHash(std::string_view question);
  uint64_t NextRequestId() { return next_request_id_.fetch_add(1); }
  // Calls being worked on now, over both front ends.
  long InFlightCalls() const { return inflight_grpc_.load() + inflight_http_.load(); }

  std::string RenderMetrics() const { return registry_.Render(); }
  const ContentGaps& gaps() const { return gaps_; }
  Registry& registry() { return registry_; }

 private:
  Registry registry_;
  std::unique_ptr<AccessLog> access_log_;
  ContentGaps gaps_;
  std::atomic<uint64_t> next_request_id_{1};
  std::atomic<long> inflight_grpc_{0};
  std::atomic<long> inflight_http_{0};
  Registry::Counter* requests_;
  Registry::Histogram* duration_;
  Registry::Counter* answers_;
  Registry::Counter* safety_;
  Registry::Counter* cache_;
  Registry::Gauge* inflight_;
  Registry::Counter* rejected_;
  Registry::Gauge* index_info_;
  Registry::Gauge* index_passages_;
  Registry::Gauge* index_articles_;
  Registry::Counter* reloads_;
  Registry::Counter* builds_;
  Registry::Gauge* gap_groups_;
  Registry::Gauge* rss_;
  Registry::Gauge* start_time_;
};

}  // namespace patientqa::service::observability
