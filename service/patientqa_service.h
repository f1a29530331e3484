#pragma once

#include <atomic>

#include "patientqa/v1/patientqa.grpc.pb.h"
#include "service/ask_handler.h"
#include "service/call_budget.h"
#include "service/library_handler.h"
#include "service/limits/api_keys.h"
#include "service/limits/rate_limiter.h"
#include "service/limits/worker_pool.h"
#include "service/observability/observer.h"

namespace patientqa::service {

// A Chat stream answers at most this many turns; the next gets RESOURCE_EXHAUSTED and the
// stream ends.
inline constexpr int kMaxChatTurns = 200;

// Optional admission and observation; each pointer may be null and must outlive the service.
struct ServiceGuards {
  RateLimiter* limiter = nullptr;               // per API key, else per peer address
  const ApiKeys* api_keys = nullptr;            // when enabled, every call needs `x-api-key`
  observability::Observer* observer = nullptr;  // metrics and the access log, once per call
  // Where Ask and Chat turns are answered, off gRPC's own threads (see WorkerPool).
  WorkerPool* workers = nullptr;
};

// The gRPC front end: decodes and validates through the handler, maps to and from proto, logs
// metadata only (ids, sizes, timings; never patient text). Methods take raw bytes so that a
// request with invalid UTF-8 gets INVALID_ARGUMENT naming the field, not a transport-level error.
// Before any work a call must be live (not cancelled, not past its deadline: DEADLINE_EXCEEDED /
// CANCELLED), carry a valid API key when keys are configured (UNAUTHENTICATED /
// PERMISSION_DENIED), be within its client's rate limit (RESOURCE_EXHAUSTED with a `retry-after`
// trailer in seconds) and find a slot in the CallBudget (RESOURCE_EXHAUSTED); Ask and Chat pass the
// call's deadline on, so work stops when the caller has stopped waiting.
class PatientQAService final  // every method raw: requests are decoded by DecodeRequest
    : public v1::PatientQA::WithRawCallbackMethod_Ask<
          v1::PatientQA::WithRawCallbackMethod_GetArticle<
              v1::PatientQA::WithRawCallbackMethod_ListArticles<
                  v1::PatientQA::WithRawCallbackMethod_Chat<
                      v1::PatientQA::WithRawCallbackMethod_Suggest<v1::PatientQA::Service>>>>> {
 public:
  // All must outlive the service.
  PatientQAService(const AskHandler* handler, const LibraryHandler* library, CallBudget* budget,
                   ServiceGuards guards = {})
      : handler_(handler), library_(library), budget_(budget), guards_(guards) {}

  grpc::ServerUnaryReactor* Ask(grpc::CallbackServerContext* context,
                                const grpc::ByteBuffer* request,
                                grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetArticle(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListArticles(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* Suggest(grpc::CallbackServerContext* context,
                                    const grpc::ByteBuffer* request,
                                    grpc::ByteBuffer* response) override;
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* Chat(
      grpc::CallbackServerContext* context) override;

 private:
  uint64_t NextId();

  const AskHandler* handler_;
  const LibraryHandler* library_;
  CallBudget* budget_;
  const ServiceGuards guards_;
  std::atomic<uint64_t> next_request_id_{1};
};

}  // namespace patientqa::service
