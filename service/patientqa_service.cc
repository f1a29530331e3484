#include "service/patientqa_service.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "absl/status/status.h"
#include "service/grpc_status.h"
#include "service/proto_mapping.h"
#include "service/request_decoding.h"

namespace patientqa::service {

namespace {

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

// Decodes `Request` from raw bytes (naming a field with invalid UTF-8), runs `fn` to fill
// `Response`, logs the method, status and timing, and finishes the call.
template <typename Request, typename Response, typename Fn>
grpc::ServerUnaryReactor* Unary(const char* method, grpc::CallbackServerContext* context,
                                const grpc::ByteBuffer* request_bytes,
                                grpc::ByteBuffer* response_bytes, Fn fn) {
  const auto start = std::chrono::steady_clock::now();
  Request request;
  absl::Status status = DecodeRequest(ToString(*request_bytes), &request);
  if (status.ok()) {
    Response response;
    status = fn(request, &response);
    if (status.ok()) SetResponse(response, response_bytes);
  }
  spdlog::debug(
      "{} status={} ms={:.2f}", method, absl::StatusCodeToString(status.code()),
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

// One Chat stream: reads a turn, answers it with the earlier turns as history, writes the
// answer, reads the next. The conversation lives only in this object.
class ChatReactor final : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  explicit ChatReactor(const AskHandler* handler) : handler_(handler) { StartRead(&in_); }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client closed its side: the conversation is over
      Finish(grpc::Status::OK);
      return;
    }
    const auto start = std::chrono::steady_clock::now();
    v1::ChatRequest request;
    absl::StatusOr<AskResult> result;
    if (absl::Status decoded = DecodeRequest(ToString(in_), &request); !decoded.ok()) {
      result = decoded;
    } else {
      AskQuery query;
      query.question = request.question();
      query.history = history_;
      query.max_passages = request.max_passages();
      query.topic = request.topic();
      result = handler_->Ask(query);
    }
    spdlog::debug(
        "chat turn={} question_bytes={} status={} ms={:.2f}", turn_ + 1, request.question().size(),
        absl::StatusCodeToString(result.status().code()),
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    if (!result.ok()) {
      Finish(ToGrpcStatus(result.status()));
      return;
    }
    history_.push_back(request.question());
    if (history_.size() > static_cast<size_t>(kMaxHistoryTurns)) history_.erase(history_.begin());
    v1::ChatResponse response;
    response.set_turn(++turn_);
    ToProto(*result, response.mutable_answer());
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
  const AskHandler* handler_;
  grpc::ByteBuffer in_;
  grpc::ByteBuffer out_;
  std::vector<std::string> history_;
  int turn_ = 0;
};

}  // namespace

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* PatientQAService::Chat(
    grpc::CallbackServerContext* context) {
  return new ChatReactor(handler_);
}

grpc::ServerUnaryReactor* PatientQAService::GetArticle(grpc::CallbackServerContext* context,
                                                       const grpc::ByteBuffer* request,
                                                       grpc::ByteBuffer* response) {
  return Unary<v1::GetArticleRequest, v1::Article>(
      "get_article", context, request, response,
      [this](const v1::GetArticleRequest& req, v1::Article* out) {
        absl::StatusOr<index::ArticleRecord> a = library_->GetArticle(req.article_id());
        if (a.ok()) ToProto(*a, out);
        return a.status();
      });
}

grpc::ServerUnaryReactor* PatientQAService::ListArticles(grpc::CallbackServerContext* context,
                                                         const grpc::ByteBuffer* request,
                                                         grpc::ByteBuffer* response) {
  return Unary<v1::ListArticlesRequest, v1::ListArticlesResponse>(
      "list_articles", context, request, response,
      [this](const v1::ListArticlesRequest& req, v1::ListArticlesResponse* out) {
        auto list = library_->ListArticles(req.topic());
        if (list.ok()) ToProto(*list, out);
        return list.status();
      });
}

grpc::ServerUnaryReactor* PatientQAService::Suggest(grpc::CallbackServerContext* context,
                                                    const grpc::ByteBuffer* request,
                                                    grpc::ByteBuffer* response) {
  return Unary<v1::SuggestRequest, v1::SuggestResponse>(
      "suggest", context, request, response,
      [this](const v1::SuggestRequest& req, v1::SuggestResponse* out) {
        auto s = library_->Suggest(req.after_article_id(), req.topic(), req.max_suggestions());
        if (s.ok()) ToProto(*s, out);
        return s.status();
      });
}

grpc::ServerUnaryReactor* PatientQAService::Ask(grpc::CallbackServerContext* context,
                                                const grpc::ByteBuffer* request_bytes,
                                                grpc::ByteBuffer* response_bytes) {
  const uint64_t id = next_request_id_.fetch_add(1);
  const auto start = std::chrono::steady_clock::now();
  v1::AskRequest request;
  absl::StatusOr<AskResult> result;
  if (absl::Status decoded = DecodeRequest(ToString(*request_bytes), &request); decoded.ok()) {
    result = handler_->Ask(FromProto(request));
  } else {
    result = decoded;
  }
  if (result.ok()) {
    v1::AskResponse response;
    ToProto(*result, &response);
    SetResponse(response, response_bytes);
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  // Metadata only: patient text never reaches a log.
  spdlog::debug(
      "ask id={} question_bytes={} history_turns={} status={} passages={} answered={} "
      "ms={:.2f}",
      id, request.question().size(), request.history_size(),
      absl::StatusCodeToString(result.status().code()), result.ok() ? result->passages.size() : 0,
      result.ok() && result->answered, ms);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(result.status()));
  return reactor;
}

}  // namespace patientqa::service
