#include "service/patientqa_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/grpc_status.h"
#include "service/limits/worker_pool.h"
#include "service/proto_mapping.h"
#include "service/request_decoding.h"

namespace patientqa::service {

namespace {

using Clock = std::chrono::steady_clock;

std::string ToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& s : slices)
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

void SetResponse(const google::protobuf::Message& message, grpc::ByteBuffer* out) {
  const std::string bytes = message.SerializeAsString();
  grpc::Slice slice(bytes);
  *out = grpc::ByteBuffer(&slice, 1);
}

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The call's deadline on the steady clock (max() when it has none).
Clock::time_point Deadline(const grpc::CallbackServerContext* context) {
  const auto deadline = context->deadline();
  const auto now = std::chrono::system_clock::now();
  if (deadline >= now + std::chrono::hours(24 * 365)) return Clock::time_point::max();
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(deadline - now);
}

// Why a call must not be worked on: the caller has gone or stopped waiting.
absl::Status CheckLive(grpc::CallbackServerContext* context) {
  if (context->IsCancelled()) return absl::CancelledError("the call was cancelled");
  if (Clock::now() >= Deadline(context)) {
    return absl::DeadlineExceededError("the call's deadline passed before work began");
  }
  return absl::OkStatus();
}

// What one call adds to its metrics and access-log line besides method, status and time.
struct CallNotes {
  std::optional<observability::AskSummary> ask;
  std::string question_hash;
};

// The client a rate limit counts against: the API key's id when the call carries a valid one,
// else the peer address.
std::string RateLimitClient(const grpc::CallbackServerContext* context, std::string_view api_key) {
  if (!api_key.empty()) return ApiKeys::KeyId(api_key);
  return ClientAddress(context->peer());
}

std::string_view MetadataValue(const grpc::CallbackServerContext* context, const char* key) {
  const auto& metadata = context->client_metadata();
  auto it = metadata.find(key);
  if (it == metadata.end()) return {};
  return std::string_view(it->second.data(), it->second.size());
}

// API key, then rate limit: OK, or why the call is turned away (counted as rejected).
absl::Status Admit(const ServiceGuards& guards, grpc::CallbackServerContext* context) {
  const std::string_view key = MetadataValue(context, "x-api-key");
  if (guards.api_keys != nullptr && guards.api_keys->enabled()) {
    if (absl::Status s = guards.api_keys->Check(key); !s.ok()) {
      if (guards.observer) guards.observer->Rejected("grpc", "unauthenticated");
      return s;
    }
  }
  if (guards.limiter != nullptr && guards.limiter->enabled()) {
    const bool keyed = guards.api_keys != nullptr && guards.api_keys->enabled();
    const RateLimiter::Decision d =
        guards.limiter->Take(RateLimitClient(context, keyed ? key : std::string_view()));
    if (!d.allowed) {
      if (guards.observer) guards.observer->Rejected("grpc", "rate_limited");
      const long seconds = d.RetryAfterSeconds();
      context->AddTrailingMetadata("retry-after", std::to_string(seconds));
      return absl::ResourceExhaustedError(
          absl::StrCat("too many calls from this client; retry in ", seconds, " s"));
    }
  }
  return absl::OkStatus();
}

void Record(const ServiceGuards& guards, std::string_view method, const absl::Status& status,
            Clock::time_point start, uint64_t id, const CallNotes& notes) {
  if (guards.observer == nullptr) return;
  observability::CallOutcome call;
  call.surface = "grpc";
  call.method = method;
  call.code = absl::StatusCodeToString(status.code());
  call.latency = Clock::now() - start;
  call.request_id = id;
  call.ask = notes.ask ? &*notes.ask : nullptr;
  call.question_hash = notes.question_hash;
  guards.observer->Record(call);
}

// Admits the call (live, API key, rate limit, a budget slot), decodes `Request` from raw bytes
// (naming a field with invalid UTF-8), runs `fn(request, deadline, &response, &notes)`, records
// the call (metrics, access log; debug log of method, status and timing) and finishes it. With
// `pool`, the admitted call's work runs there (holding its budget slot while queued) and gRPC's
// thread returns at once; a call whose caller has gone while it was queued is not worked on.
// A request for which `run_inline` says true is worked on at once, on gRPC's thread, even with a
// pool: a repeated question whose answer is cached costs less than the hand-over to a worker.
template <typename Request, typename Response, typename Fn>
grpc::ServerUnaryReactor* Unary(const char* method, CallBudget* budget, const ServiceGuards& guards,
                                uint64_t id, grpc::CallbackServerContext* context,
                                const grpc::ByteBuffer* request_bytes,
                                grpc::ByteBuffer* response_bytes, Fn fn, WorkerPool* pool = nullptr,
                                std::function<bool(const Request&)> run_inline = {}) {
  const auto start = Clock::now();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto in_flight = std::make_shared<std::optional<observability::Observer::InFlight>>();
  if (guards.observer) in_flight->emplace(guards.observer, "grpc");
  auto slot = std::make_shared<BudgetSlot>(budget);
  absl::Status status = CheckLive(context);
  if (status.ok()) status = Admit(guards, context);
  if (status.ok()) {
    status = slot->status();
    if (!status.ok() && guards.observer) guards.observer->Rejected("grpc", "overload");
  }
  auto finish = [=](absl::Status status, const CallNotes& notes) {
    spdlog::debug("{} id={} status={} ms={:.2f}", method, id,
                  absl::StatusCodeToString(status.code()), MillisSince(start));
    Record(guards, method, status, start, id, notes);
    reactor->Finish(ToGrpcStatus(status));
  };
  if (!status.ok()) {
    finish(status, {});
    return reactor;
  }
  auto request = std::make_shared<Request>();
  if (absl::Status decoded = DecodeRequest(ToString(*request_bytes), request.get());
      !decoded.ok()) {
    finish(decoded, {});
    return reactor;
  }
  auto work = [=, slot = std::move(slot), in_flight = std::move(in_flight)]() mutable {
    CallNotes notes;
    absl::Status status = CheckLive(context);  // it may have waited in the pool's queue
    if (status.ok()) {
      Response response;
      status = fn(*request, Deadline(context), &response, &notes);
      if (status.ok()) SetResponse(response, response_bytes);
    }
    slot.reset();  // free the slot before the reply, so a client's next call finds it
    finish(status, notes);
  };
  if (pool != nullptr && !(run_inline && run_inline(*request))) {
    pool->Post(std::move(work));
  } else {
    work();
  }
  return reactor;
}

// One Chat stream: reads a turn, answers it with the earlier turns as history, writes the
// answer, reads the next. A turn that cannot be answered gets a ChatResponse with `error` and
// is left out of the history. The conversation lives only in this object, which holds a
// CallBudget slot while the stream is open.
class ChatReactor final : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  ChatReactor(grpc::CallbackServerContext* context, const AskHandler* handler, CallBudget* budget,
              const ServiceGuards& guards, uint64_t id)
      : context_(context), handler_(handler), slot_(budget), guards_(guards), id_(id) {
    const auto start = Clock::now();
    absl::Status admitted = Admit(guards_, context_);
    if (admitted.ok()) {
      admitted = slot_.status();
      if (!admitted.ok() && guards_.observer) guards_.observer->Rejected("grpc", "overload");
    }
    if (!admitted.ok()) {
      spdlog::debug("chat id={} refused: {}", id_, absl::StatusCodeToString(admitted.code()));
      Record(guards_, "Chat", admitted, start, id_, {});
      Finish(ToGrpcStatus(admitted));
      return;
    }
    StartRead(&in_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client closed its side: the conversation is over
      Finish(grpc::Status::OK);
      return;
    }
    if (turn_ >= kMaxChatTurns) {
      Finish(ToGrpcStatus(absl::ResourceExhaustedError(
          absl::StrCat("a Chat stream answers at most ", kMaxChatTurns,
                       " turns; open a new one (or call Ask with the earlier turns as history)"))));
      return;
    }
    if (guards_.workers != nullptr) {
      guards_.workers->Post([this] { AnswerTurn(); });
    } else {
      AnswerTurn();
    }
  }

  // Answers the turn just read, then writes the answer (or finishes the stream).
  void AnswerTurn() {
    const auto start = Clock::now();
    std::optional<observability::Observer::InFlight> in_flight;
    if (guards_.observer) in_flight.emplace(guards_.observer, "grpc");
    v1::ChatRequest request;
    absl::StatusOr<AskResult> result;
    absl::Status live = CheckLive(context_);
    // Every turn counts against the client's rate limit, as a separate Ask would.
    if (live.ok() && turn_ > 0) live = Admit(guards_, context_);
    if (!live.ok()) {
      result = live;
    } else {
      if (absl::Status decoded = DecodeRequest(ToString(in_), &request); !decoded.ok()) {
        result = decoded;
      } else {
        AskQuery query;
        query.question = request.question();
        query.history = history_;
        query.max_passages = request.max_passages();
        query.topic = request.topic();
        query.deadline = Deadline(context_);
        result = handler_->Ask(query);
      }
    }
    ++turn_;
    spdlog::debug("chat id={} turn={} question_bytes={} status={} ms={:.2f}", id_, turn_,
                  request.question().size(), absl::StatusCodeToString(result.status().code()),
                  MillisSince(start));
    CallNotes notes;
    if (result.ok()) notes.ask = observability::Summarize(*result);
    if (!request.question().empty()) {
      notes.question_hash = observability::Observer::QuestionHash(request.question());
    }
    Record(guards_, "Chat", result.status(), start, id_, notes);
    const absl::StatusCode code = result.status().code();
    if (code == absl::StatusCode::kCancelled || code == absl::StatusCode::kDeadlineExceeded) {
      Finish(ToGrpcStatus(result.status()));  // the caller has gone: nobody reads a reply
      return;
    }
    v1::ChatResponse response;
    response.set_turn(turn_);
    if (result.ok()) {
      history_.push_back(request.question());
      if (history_.size() > static_cast<size_t>(kMaxHistoryTurns)) history_.erase(history_.begin());
      ToProto(*result, response.mutable_answer());
    } else {
      response.mutable_error()->set_code(static_cast<int>(code));
      response.mutable_error()->set_message(std::string(result.status().message()));
    }
    SetResponse(response, &out_);
    StartWrite(&out_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the client went away"));
      return;
    }
    StartRead(&in_);
  }

  void OnDone() override { delete this; }

 private:
  grpc::CallbackServerContext* context_;
  const AskHandler* handler_;
  BudgetSlot slot_;
  const ServiceGuards guards_;
  const uint64_t id_;
  grpc::ByteBuffer in_;
  grpc::ByteBuffer out_;
  std::vector<std::string> history_;
  int turn_ = 0;
};

}  // namespace

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* PatientQAService::Chat(
    grpc::CallbackServerContext* context) {
  return new ChatReactor(context, handler_, budget_, guards_, NextId());
}

grpc::ServerUnaryReactor* PatientQAService::GetArticle(grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* request,
                                                       grpc::ByteBuffer* response) {
  return Unary<v1::GetArticleRequest, v1::Article>(
      "GetArticle", budget_, guards_, NextId(), context, request, response,
      [this](const v1::GetArticleRequest& req, Clock::time_point, v1::Article* out, CallNotes*) {
        absl::StatusOr<index::ArticleRecord> a = library_->GetArticle(req.article_id());
        if (a.ok()) ToProto(*a, out);
        return a.status();
      });
}

grpc::ServerUnaryReactor* PatientQAService::ListArticles(grpc::CallbackServerContext* context,
                                                         const grpc::ByteBuffer* request,
                                                         grpc::ByteBuffer* response) {
  return Unary<v1::ListArticlesRequest, v1::ListArticlesResponse>(
      "ListArticles", budget_, guards_, NextId(), context, request, response,
      [this](const v1::ListArticlesRequest& req, Clock::time_point, v1::ListArticlesResponse* out,
             CallNotes*) {
        auto list = library_->ListArticles(req.topic());
        if (list.ok()) ToProto(*list, out);
        return list.status();
      });
}

grpc::ServerUnaryReactor* PatientQAService::Suggest(grpc::CallbackServerContext* context,
                                                    const grpc::ByteBuffer* request,
                                                    grpc::ByteBuffer* response) {
  return Unary<v1::SuggestRequest, v1::SuggestResponse>(
      "Suggest", budget_, guards_, NextId(), context, request, response,
      [this](const v1::SuggestRequest& req, Clock::time_point, v1::SuggestResponse* out,
             CallNotes*) {
        auto s = library_->Suggest(req.after_article_id(), req.topic(), req.max_suggestions());
        if (s.ok()) ToProto(*s, out);
        return s.status();
      });
}

grpc::ServerUnaryReactor* PatientQAService::Ask(grpc::CallbackServerContext* context,
                                                const grpc::ByteBuffer* request_bytes,
                                                grpc::ByteBuffer* response_bytes) {
  const uint64_t id = NextId();
  return Unary<v1::AskRequest, v1::AskResponse>(
      "Ask", budget_, guards_, id, context, request_bytes, response_bytes,
      [this, id](const v1::AskRequest& request, Clock::time_point deadline,
                 v1::AskResponse* response, CallNotes* notes) {
        AskQuery query = FromProto(request);
        query.deadline = deadline;
        absl::StatusOr<AskResult> result = handler_->Ask(query);
        if (result.ok()) {
          ToProto(*result, response);
          notes->ask = observability::Summarize(*result);
        }
        notes->question_hash = observability::Observer::QuestionHash(request.question());
        // Metadata only: patient text never reaches a log.
        spdlog::debug("ask id={} question_bytes={} history_turns={} passages={} answered={}", id,
                      request.question().size(), request.history_size(),
                      result.ok() ? result->passages.size() : 0, result.ok() && result->answered);
        return result.status();
      },
      guards_.workers,
      [this](const v1::AskRequest& request) {
        return handler_->HasCachedAnswer(FromProto(request));
      });
}

uint64_t PatientQAService::NextId() {
  // One sequence across both front ends when there is an observer, so access-log ids are unique.
  return guards_.observer ? guards_.observer->NextRequestId() : next_request_id_.fetch_add(1);
}

}  // namespace patientqa::service
