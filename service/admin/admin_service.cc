#include "service/admin/admin_service.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <spdlog/spdlog.h>

#include "service/admin/admin_handler.h"
#include "service/grpc_status.h"

namespace patientqa::service {

namespace {

std::array<unsigned char, SHA256_DIGEST_LENGTH> Digest(std::string_view s) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> d{};
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d.data());
  return d;
}

template <typename Fn>
grpc::ServerUnaryReactor* Run(grpc::CallbackServerContext* context, grpc::Status auth,
                              const char* method, Fn fn) {
  grpc::Status status = auth.ok() ? fn() : auth;
  spdlog::info("admin {} status={}", method, static_cast<int>(status.error_code()));
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

}  // namespace

grpc::Status CheckBearerToken(std::string_view authorization, std::string_view token) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size() ||
      authorization.substr(0, kScheme.size()) != kScheme) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                        "admin calls need the metadata 'authorization: Bearer <token>'");
  }
  const auto given = Digest(authorization.substr(kScheme.size()));
  const auto expected = Digest(token);
  if (CRYPTO_memcmp(given.data(), expected.data(), given.size()) != 0) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "the admin token is not valid");
  }
  return grpc::Status::OK;
}

grpc::Status AdminService::Authorize(const grpc::CallbackServerContext* context) const {
  if (token_.empty()) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the admin service is not configured on this server (no admin token)");
  }
  const auto& metadata = context->client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return CheckBearerToken("", token_);
  return CheckBearerToken(std::string_view(it->second.data(), it->second.size()), token_);
}

grpc::ServerUnaryReactor* AdminService::Reindex(grpc::CallbackServerContext* context,
                                                const admin::v1::ReindexRequest* request,
                                                admin::v1::ReindexResponse* response) {
  return Run(context, Authorize(context), "reindex", [&] {
    absl::StatusOr<ReindexOutcome> out = handler_->Reindex(request->reopen_only());
    if (!out.ok()) return ToGrpcStatus(out.status());
    response->set_index_version(out->index_version);
    response->set_passages(out->passages);
    response->set_articles(out->articles);
    response->set_build_seconds(out->build_seconds);
    response->set_changed(out->changed);
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* AdminService::GetStatus(grpc::CallbackServerContext* context,
                                                  const admin::v1::GetStatusRequest*,
                                                  admin::v1::StatusResponse* response) {
  return Run(context, Authorize(context), "get_status", [&] {
    const ServerStatus s = handler_->Status();
    response->set_index_version(s.index_version);
    response->set_passages(s.passages);
    response->set_articles(s.articles);
    response->set_index_opened_at(s.index_opened_at);
    response->set_started_at(s.started_at);
    response->set_last_build_at(s.last_build_at);
    response->set_last_build_error(s.last_build_error);
    response->set_last_reload_error(s.last_reload_error);
    response->set_inflight_calls(s.inflight_calls);
    for (const auto& [k, v] : s.config) (*response->mutable_config())[k] = v;
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* AdminService::GetContentGaps(grpc::CallbackServerContext* context,
                                                       const admin::v1::GetContentGapsRequest*,
                                                       admin::v1::ContentGapsResponse* response) {
  return Run(context, Authorize(context), "get_content_gaps", [&] {
    response->set_min_group_size(handler_->content_gap_min_group());
    for (const auto& g : handler_->ContentGaps()) {
      admin::v1::ContentGap* gap = response->add_gaps();
      gap->set_outcome(g.outcome);
      gap->set_question_type(g.type);
      gap->set_focus_concept(g.focus);
      gap->set_questions(g.count);
    }
    return grpc::Status::OK;
  });
}

}  // namespace patientqa::service
