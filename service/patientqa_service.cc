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

}  // namespace

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
    const std::string bytes = response.SerializeAsString();
    grpc::Slice slice(bytes);
    *response_bytes = grpc::ByteBuffer(&slice, 1);
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
