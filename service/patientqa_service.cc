#include "service/patientqa_service.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "service/grpc_status.h"
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

// A slot of the CallBudget, held until destroyed.
class BudgetSlot {
 public:
  explicit BudgetSlot(CallBudget* budget) : budget_(budget), held_(budget->TryAcquire()) {}
  ~BudgetSlot() {
    if (held_) budget_->Release();
  }
  BudgetSlot(const BudgetSlot&) = delete;
  BudgetSlot& operator=(const BudgetSlot&) = delete;

  // OK when the slot is held; RESOURCE_EXHAUSTED otherwise.
  absl::Status status() const {
    if (held_) return absl::OkStatus();
    return absl::ResourceExhaustedError(absl::StrCat("the server is working on its limit of ",
                                                     budget_->max_calls(),
                                                     " calls; retry in a moment"));
  }

 private:
  CallBudget* budget_;
  bool held_;
};

// Admits the call (live, a budget slot), decodes `Request` from raw bytes (naming a field with
// invalid UTF-8), runs `fn(request, deadline, &response)`, logs the method, status and timing,
// and finishes the call.
template <typename Request, typename Response, typename Fn>
grpc::ServerUnaryReactor* Unary(const char* method, CallBudget* budget,
                                grpc::CallbackServerContext* context,
                                const grpc::ByteBuffer* request_bytes,
                                grpc::ByteBuffer* response_bytes, Fn fn) {
  const auto start = Clock::now();
  absl::Status status = CheckLive(context);
  {
    BudgetSlot slot(budget);
    if (status.ok()) status = slot.status();
    Request request;
    if (status.ok()) status = DecodeRequest(ToString(*request_bytes), &request);
    if (status.ok()) {
      Response response;
      status = fn(request, Deadline(context), &response);
      if (status.ok()) SetResponse(response, response_bytes);
    }
  }
  spdlog::debug("{} status={} ms={:.2f}", method, absl::StatusCodeToString(status.code()),
                MillisSince(start));
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

// One Chat stream: reads a turn, answers it with the earlier turns as history, writes the
// answer, reads the next. A turn that cannot be answered gets a ChatResponse with `error` and
// is left out of the history. The conversation lives only in this object, which holds a
// CallBudget slot while the stream is open.
class ChatReactor final : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  ChatReactor(grpc::CallbackServerContext* context, const AskHandler* handler, CallBudget* budget)
      : context_(context), handler_(handler), slot_(budget) {
    if (absl::Status admitted = slot_.status(); !admitted.ok()) {
      spdlog::debug("chat refused: {}", absl::StatusCodeToString(admitted.code()));
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
    const auto start = Clock::now();
    v1::ChatRequest request;
    absl::StatusOr<AskResult> result;
    if (absl::Status live = CheckLive(context_); !live.ok()) {
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
    spdlog::debug("chat turn={} question_bytes={} status={} ms={:.2f}", turn_,
                  request.question().size(), absl::StatusCodeToString(result.status().code()),
                  MillisSince(start));
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
  grpc::ByteBuffer in_;
  grpc::ByteBuffer out_;
  std::vector<std::string> history_;
  int turn_ = 0;
};

}  // namespace

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* PatientQAService::Chat(
    grpc::CallbackServerContext* context) {
  return new ChatReactor(context, handler_, budget_);
}

grpc::ServerUnaryReactor* PatientQAService::GetArticle(grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* request,
                                                       grpc::ByteBuffer* response) {
  return Unary<v1::GetArticleRequest, v1::Article>(
      "get_article", budget_, context, request, response,
      [this](const v1::GetArticleRequest& req, Clock::time_point, v1::Article* out) {
        absl::StatusOr<index::ArticleRecord> a = library_->GetArticle(req.article_id());
        if (a.ok()) ToProto(*a, out);
        return a.status();
      });
}

grpc::ServerUnaryReactor* PatientQAService::ListArticles(grpc::CallbackServerContext* context,
                                                         const grpc::ByteBuffer* request,
                                                         grpc::ByteBuffer* response) {
  return Unary<v1::ListArticlesRequest, v1::ListArticlesResponse>(
      "list_articles", budget_, context, request, response,
      [this](const v1::ListArticlesRequest& req, Clock::time_point, v1::ListArticlesResponse* out) {
        auto list = library_->ListArticles(req.topic());
        if (list.ok()) ToProto(*list, out);
        return list.status();
      });
}

grpc::ServerUnaryReactor* PatientQAService::Suggest(grpc::CallbackServerContext* context,
                                                    const grpc::ByteBuffer* request,
                                                    grpc::ByteBuffer* response) {
  return Unary<v1::SuggestRequest, v1::SuggestResponse>(
      "suggest", budget_, context, request, response,
      [this](const v1::SuggestRequest& req, Clock::time_point, v1::SuggestResponse* out) {
        auto s = library_->Suggest(req.after_article_id(), req.topic(), req.max_suggestions());
        if (s.ok()) ToProto(*s, out);
        return s.status();
      });
}

grpc::ServerUnaryReactor* PatientQAService::Ask(grpc::CallbackServerContext* context,
                                                const grpc::ByteBuffer* request_bytes,
                                                grpc::ByteBuffer* response_bytes) {
  const uint64_t id = next_request_id_.fetch_add(1);
  return Unary<v1::AskRequest, v1::AskResponse>(
      "ask", budget_, context, request_bytes, response_bytes,
      [this, id](const v1::AskRequest& request, Clock::time_point deadline,
                 v1::AskResponse* response) {
        AskQuery query = FromProto(request);
        query.deadline = deadline;
        absl::StatusOr<AskResult> result = handler_->Ask(query);
        if (result.ok()) ToProto(*result, response);
        // Metadata only: patient text never reaches a log.
        spdlog::debug("ask id={} question_bytes={} history_turns={} passages={} answered={}", id,
                      request.question().size(), request.history_size(),
                      result.ok() ? result->passages.size() : 0, result.ok() && result->answered);
        return result.status();
      });
}

}  // namespace patientqa::service
