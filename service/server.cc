#include "service/server.h"

#include <google/protobuf/stubs/logging.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "service/ask_handler.h"
#include "service/cache/answer_cache.h"
#include "service/call_budget.h"
#include "service/index_holder.h"
#include "service/library_handler.h"
#include "service/patientqa_service.h"

namespace patientqa::service {

namespace {
constexpr char kServiceName[] = "patientqa.v1.PatientQA";
}

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  // protobuf's own messages (for example about invalid UTF-8 in a request) name fields only; send
  // them through spdlog so that all output has one format.
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel level, const char* file, int line, const std::string& message) {
        spdlog::log(
            level >= google::protobuf::LOGLEVEL_ERROR ? spdlog::level::warn : spdlog::level::debug,
            "protobuf {}:{}: {}", file, line, message);
      });
  std::unique_ptr<Server> server(new Server());
  absl::StatusOr<std::unique_ptr<IndexHolder>> index = IndexHolder::Open(options.index);
  if (!index.ok()) return index.status();
  server->index_ = std::move(*index);
  const auto current = server->index_->Current()->searcher;
  spdlog::info("index open: version={} passages={} generation={}", current->version(),
               current->passage_count(), current->generation().string());
  if (options.answer_cache_entries < 0) {
    return absl::InvalidArgumentError("--answer_cache_entries must be 0 or more");
  }
  server->cache_ = std::make_unique<AnswerCache>(options.answer_cache_entries);
  server->handler_ =
      std::make_unique<AskHandler>(server->index_.get(), RankingParams{}, server->cache_.get());
  server->library_ = std::make_unique<LibraryHandler>(server->index_.get());
  const GrpcLimits& limits = options.grpc;
  if (limits.max_calls < 1 || limits.max_receive_bytes < 1 || limits.max_send_bytes < 1 ||
      limits.max_concurrent_streams < 1 || limits.max_metadata_bytes < 1) {
    return absl::InvalidArgumentError("gRPC limits must be at least 1");
  }
  server->budget_ = std::make_unique<CallBudget>(limits.max_calls);
  server->service_ = std::make_unique<PatientQAService>(
      server->handler_.get(), server->library_.get(), server->budget_.get());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (options.tls_cert_pem.empty() != options.tls_key_pem.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  if (options.tls_cert_pem.empty() && !options.tls_client_ca_pem.empty()) {
    return absl::InvalidArgumentError("--tls_client_ca needs --tls_cert and --tls_key");
  }
  if (!options.tls_cert_pem.empty()) {
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back({options.tls_key_pem, options.tls_cert_pem});
    if (!options.tls_client_ca_pem.empty()) {
      ssl.pem_root_certs = options.tls_client_ca_pem;
      ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
    }
    credentials = grpc::SslServerCredentials(ssl);
  }
  builder.AddListeningPort(options.listen, credentials, &server->port_);
  builder.RegisterService(server->service_.get());
  builder.SetMaxReceiveMessageSize(limits.max_receive_bytes);
  builder.SetMaxSendMessageSize(limits.max_send_bytes);
  // Identity only: never inflate a client's compressed message (see GrpcLimits).
  builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_DEFLATE, false);
  builder.SetCompressionAlgorithmSupportStatus(GRPC_COMPRESS_GZIP, false);
  auto ms = [](std::chrono::milliseconds d) { return static_cast<int>(d.count()); };
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, limits.max_concurrent_streams);
  builder.AddChannelArgument(GRPC_ARG_MAX_METADATA_SIZE, limits.max_metadata_bytes);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             ms(limits.min_ping_interval));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, limits.max_ping_strikes);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, ms(limits.keepalive_time));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, ms(limits.keepalive_timeout));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, ms(limits.max_connection_idle));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, ms(limits.max_connection_age));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             ms(limits.max_connection_age_grace));
  server->grpc_server_ = builder.BuildAndStart();
  if (!server->grpc_server_ || server->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen));
  }
  grpc::HealthCheckServiceInterface* health = server->grpc_server_->GetHealthCheckService();
  health->SetServingStatus(true);
  health->SetServingStatus(kServiceName, true);
  if (!options.http.listen.empty()) {
    HttpOptions http_options = options.http;
    if (options.http_tls && !options.tls_cert_pem.empty()) {
      http_options.tls_cert_pem = options.tls_cert_pem;
      http_options.tls_key_pem = options.tls_key_pem;
    }
    auto http = HttpGateway::Start(http_options, server->handler_.get(), server->library_.get());
    if (!http.ok()) return http.status();
    server->http_ = std::move(*http);
  }
  if (options.reload_interval.count() > 0) {
    server->reload_thread_ =
        std::thread([s = server.get(), i = options.reload_interval] { s->ReloadLoop(i); });
  }
  return server;
}

void Server::ReloadLoop(std::chrono::milliseconds interval) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_cv_.wait_for(lock, interval, [this] { return stopping_; })) {
    lock.unlock();
    absl::StatusOr<bool> reloaded = index_->ReloadIfChanged();
    if (!reloaded.ok()) {
      spdlog::warn("index reload failed, still serving version {}: {}",
                   index_->Current()->searcher->version(),
                   std::string(reloaded.status().message()));
    } else if (*reloaded) {
      spdlog::info("index reloaded: version={} passages={}", index_->Current()->searcher->version(),
                   index_->Current()->searcher->passage_count());
    }
    lock.lock();
  }
}

void Server::Shutdown(std::chrono::milliseconds grace) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (reload_thread_.joinable()) reload_thread_.join();
  if (http_) http_->Stop();
  if (grpc_server_) {
    grpc_server_->GetHealthCheckService()->SetServingStatus(false);
    grpc_server_->Shutdown(std::chrono::system_clock::now() + grace);
    grpc_server_->Wait();
  }
}

Server::~Server() { Shutdown(); }

}  // namespace patientqa::service
