#pragma once

#include <string>

#include "patientqa/admin/v1/admin.grpc.pb.h"

namespace patientqa::service {

class AdminHandler;

// The patientqa.admin.v1.Admin gRPC service: checks the bearer token, then calls the handler.
// Tokens are compared in constant time (CRYPTO_memcmp over SHA-256 digests, so neither the
// content nor the length of the expected token leaks through timing).
class AdminService final : public admin::v1::Admin::CallbackService {
 public:
  // `token` empty: the service answers UNAVAILABLE (admin not configured). `handler` must
  // outlive the service.
  AdminService(AdminHandler* handler, std::string token)
      : handler_(handler), token_(std::move(token)) {}

  grpc::ServerUnaryReactor* Reindex(grpc::CallbackServerContext* context,
                                    const admin::v1::ReindexRequest* request,
                                    admin::v1::ReindexResponse* response) override;
  grpc::ServerUnaryReactor* GetStatus(grpc::CallbackServerContext* context,
                                      const admin::v1::GetStatusRequest* request,
                                      admin::v1::StatusResponse* response) override;
  grpc::ServerUnaryReactor* GetContentGaps(grpc::CallbackServerContext* context,
                                           const admin::v1::GetContentGapsRequest* request,
                                           admin::v1::ContentGapsResponse* response) override;

 private:
  grpc::Status Authorize(const grpc::CallbackServerContext* context) const;

  AdminHandler* handler_;
  const std::string token_;
};

// Whether the `authorization` metadata value carries `token` ("Bearer <token>"): OK,
// UNAUTHENTICATED (missing or not a bearer token) or PERMISSION_DENIED (another token).
// Constant time in the token's content. Exposed for tests.
grpc::Status CheckBearerToken(std::string_view authorization, std::string_view token);

}  // namespace patientqa::service
