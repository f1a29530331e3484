#include "service/server.h"

#include <google/protobuf/stubs/logging.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "service/admin/admin_handler.h"
#include "service/admin/admin_service.h"
#include "service/ask_handler.h"
#include "service/cache/answer_cache.h"
#include "service/call_budget.h"
#include "service/index_holder.h"
#include "service/library_handler.h"
#include "service/limits/api_keys.h"
#include "service/observability/observer.h"
#include "service/patientqa_service.h"

namespace patientqa::service {

namespace {
constexpr char kServiceName[] = "patientqa.v1.PatientQA";
}

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  // protobuf's own messages (for example about invalid UTF-8 in a request) come from bad requests,
  // which are answered INVALID_ARGUMENT and counted in the metrics and the access log: at the
  // default level one line per bad request would let any client flood the log, so they go to
  // debug, through spdlog, in one format.
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel level, const char* file, int line, const std::string& message) {
        spdlog::debug("protobuf {}:{}: {}", file, line, message);
      });
  std::unique_ptr<Server> server(new Server());
  absl::StatusOr<std::unique_ptr<observability::AccessLog>> access_log =
      observability::AccessLog::Open(options.access_log);
  if (!access_log.ok()) return access_log.status();
  if (options.gap_report_min_group < 1) {
    return absl::InvalidArgumentError("--gap_report_min_group must be at least 1");
  }
  server->observer_ = std::make_unique<observability::Observer>(*std::move(access_log),
                                                                options.gap_report_min_group);
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
  if (options.rate_limit.rate < 0 || (options.rate_limit.rate > 0 && options.rate_limit.burst < 1)) {
    return absl::InvalidArgumentError(
        "--rate_limit_per_second must be 0 (off) or more and --rate_limit_burst at least 1");
  }
  server->budget_ = std::make_unique<CallBudget>(limits.max_calls);
  server->limiter_ = std::make_unique<RateLimiter>(options.rate_limit);
  absl::StatusOr<ApiKeys> keys = ApiKeys::Load(options.api_keys_file);
  if (!keys.ok()) return keys.status();
  server->api_keys_ = std::make_unique<ApiKeys>(*std::move(keys));
  server->workers_ = std::make_unique<WorkerPool>(options.worker_threads);
  server->service_ = std::make_unique<PatientQAService>(
      server->handler_.get(), server->library_.get(), server->budget_.get(),
      ServiceGuards{server->limiter_.get(), server->api_keys_.get(), server->observer_.get(),
                    server->workers_.get()});

  AdminHandler::Options admin;
  admin.index = options.index;
  admin.sources.corpus_dir = options.corpus;
  admin.inflight_calls = [o = server->observer_.get()] {
    return static_cast<int>(o->InFlightCalls());
  };
  admin.config = {
      {"listen", options.listen},
      {"http_listen", options.http.listen},
      {"admin_listen", options.admin_listen.empty() ? options.listen : options.admin_listen},
      {"metrics_listen", options.metrics_listen},
      {"index", options.index.string()},
      {"corpus", options.corpus},
      {"tls", options.tls_cert_pem.empty() ? "off" : "on"},
      {"tls_client_ca", options.tls_client_ca_pem.empty() ? "off" : "on"},
      {"http_tls", options.http_tls && !options.tls_cert_pem.empty() && !options.http.listen.empty()
                       ? "on"
                       : "off"},
      {"max_calls", std::to_string(limits.max_calls)},
      {"rate_limit_per_second", absl::StrCat(options.rate_limit.rate)},
      {"rate_limit_burst", absl::StrCat(options.rate_limit.burst)},
      {"api_keys", std::to_string(server->api_keys_->size())},
      {"answer_cache_entries", std::to_string(options.answer_cache_entries)},
      {"access_log", options.access_log.empty() ? "off" : options.access_log},
      {"reload_interval_ms", std::to_string(options.reload_interval.count())},
      {"drain_ms", std::to_string(options.drain.count())},
  };
  server->admin_ =
      std::make_unique<AdminHandler>(server->index_.get(), server->observer_.get(), admin);
  server->admin_service_ =
      std::make_unique<AdminService>(server->admin_.get(), options.admin_token);
  server->drain_ = options.drain;

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
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
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, credentials, &server->port_);
  builder.RegisterService(server->service_.get());
  if (options.admin_listen.empty()) builder.RegisterService(server->admin_service_.get());
  // One server per port: a second one started by mistake must fail, not share the traffic.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
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
    return absl::UnavailableError(
        absl::StrCat("cannot listen for gRPC on ", options.listen, " (in use, or not an address)"));
  }
  grpc::HealthCheckServiceInterface* health = server->grpc_server_->GetHealthCheckService();
  health->SetServingStatus(true);
  health->SetServingStatus(kServiceName, true);
  if (!options.admin_listen.empty()) {
    grpc::ServerBuilder admin_builder;
    admin_builder.AddListeningPort(options.admin_listen, credentials, &server->admin_port_);
    admin_builder.RegisterService(server->admin_service_.get());
    admin_builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    admin_builder.SetMaxReceiveMessageSize(4096);
    server->admin_server_ = admin_builder.BuildAndStart();
    if (!server->admin_server_ || server->admin_port_ == 0) {
      return absl::UnavailableError(absl::StrCat("cannot listen for the admin service on ",
                                                 options.admin_listen,
                                                 " (in use, or not an address)"));
    }
  } else {
    server->admin_port_ = server->port_;
  }
  HttpServices services;
  services.observer = server->observer_.get();
  services.budget = server->budget_.get();
  services.limiter = server->limiter_.get();
  services.ready = [s = server.get()] { return s->serving_.load(); };
  if (!options.http.listen.empty()) {
    HttpOptions http = options.http;
    http.services = services;
    if (options.http_tls && !options.tls_cert_pem.empty()) {
      http.tls_cert_pem = options.tls_cert_pem;
      http.tls_key_pem = options.tls_key_pem;
    }
    auto gateway = HttpGateway::Start(http, server->handler_.get(), server->library_.get());
    if (!gateway.ok()) return gateway.status();
    server->http_ = std::move(*gateway);
  }
  if (!options.metrics_listen.empty()) {
    HttpOptions metrics;
    metrics.listen = options.metrics_listen;
    metrics.worker_threads = 1;
    metrics.max_connections = 16;
    metrics.services = services;
    metrics.services.budget = nullptr;
    metrics.services.limiter = nullptr;
    metrics.services.metrics_only = true;
    auto gateway = HttpGateway::Start(metrics, server->handler_.get(), server->library_.get());
    if (!gateway.ok()) return gateway.status();
    server->metrics_ = std::move(*gateway);
  }
  if (options.reload_interval.count() > 0) {
    server->reload_thread_ =
        std::thread([s = server.get(), i = options.reload_interval] { s->ReloadLoop(i); });
  }
  return server;
}

absl::StatusOr<bool> Server::Reopen() { return admin_->Reopen(); }

void Server::ReloadLoop(std::chrono::milliseconds interval) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_cv_.wait_for(lock, interval, [this] { return stopping_; })) {
    lock.unlock();
    (void)admin_->Reopen();  // logged, counted and kept for status by the handler
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
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto deadline = start + grace;
  // Health first: load balancers stop sending while calls already sent are still answered.
  serving_ = false;
  if (grpc_server_) grpc_server_->GetHealthCheckService()->SetServingStatus(false);
  std::this_thread::sleep_until(std::min(deadline, start + drain_));
  // Calls the transport has accepted but no handler has started yet are not counted in flight:
  // wait for a quiet spell, not only for zero, before the server stops taking calls.
  constexpr std::chrono::milliseconds kQuiet{100};
  auto quiet_since = Clock::now();
  while (Clock::now() < deadline) {
    if (observer_->InFlightCalls() > 0) {
      quiet_since = Clock::now();
    } else if (Clock::now() - quiet_since >= kQuiet) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const auto wall_deadline =
      std::chrono::system_clock::now() + std::max(Clock::duration::zero(), deadline - Clock::now());
  if (grpc_server_) {
    grpc_server_->Shutdown(wall_deadline);
    grpc_server_->Wait();
  }
  if (admin_server_) {
    admin_server_->Shutdown(std::chrono::system_clock::now());
    admin_server_->Wait();
  }
  if (http_) http_->Stop();
  if (metrics_) metrics_->Stop();
  spdlog::info("stopped after {:.0f} ms",
               std::chrono::duration<double, std::milli>(Clock::now() - start).count());
}

Server::~Server() { Shutdown(); }

}  // namespace patientqa::service
