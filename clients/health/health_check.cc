#include "health/health_check.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <vector>

namespace patientqa::clients {

const char* HealthStatusName(HealthStatus status) {
  switch (status) {
    case HealthStatus::kServing:
      return "SERVING";
    case HealthStatus::kNotServing:
      return "NOT_SERVING";
    case HealthStatus::kServiceUnknown:
      return "SERVICE_UNKNOWN";
    case HealthStatus::kUnreachable:
      return "UNREACHABLE";
    case HealthStatus::kUnknown:
      break;
  }
  return "UNKNOWN";
}

HealthStatus CheckHealth(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                         std::chrono::milliseconds timeout) {
  // HealthCheckRequest { string service = 1; }
  std::string request;
  if (!service.empty() && service.size() < 128) {
    request += '\x0a';
    request += static_cast<char>(service.size());
    request += service;
  }
  grpc::Slice slice(request);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  grpc::CompletionQueue cq;
  auto call = stub.PrepareUnaryCall(&context, "/grpc.health.v1.Health/Check", request_buffer, &cq);
  call->StartCall();
  grpc::ByteBuffer response;
  grpc::Status status;
  call->Finish(&response, &status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return HealthStatus::kServiceUnknown;
  if (!status.ok()) return HealthStatus::kUnreachable;
  // HealthCheckResponse { ServingStatus status = 1; }: UNKNOWN 0, SERVING 1, NOT_SERVING 2.
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (response.Dump(&slices).ok()) {
    for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  if (bytes.size() == 2 && bytes[0] == '\x08') {
    if (bytes[1] == 1) return HealthStatus::kServing;
    if (bytes[1] == 2) return HealthStatus::kNotServing;
  }
  return HealthStatus::kUnknown;
}

}  // namespace patientqa::clients
