#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "service/http/gateway.h"
#include "service/limits/rate_limiter.h"
#include "service/limits/worker_pool.h"

namespace grpc {
class Server;
}

namespace patientqa::service {

class AdminHandler;
class AdminService;
class AnswerCache;
class ApiKeys;
class AskHandler;
class CallBudget;
class IndexHolder;
class LibraryHandler;
class PatientQAService;
namespace observability {
class Observer;
}

// Limits of the gRPC port, which phones reach over the internet. Compression is not negotiable:
// the server accepts identity (uncompressed) messages only, so a small compressed request can
// never inflate past `max_message_bytes` (gRPC 1.51 inflates before it checks the size); a
// compressed request gets UNIMPLEMENTED before its message is read.
struct GrpcLimits {
  int max_receive_bytes = 1 << 20;    // a request message; RESOURCE_EXHAUSTED above this
  int max_send_bytes = 4 << 20;       // a response message (a whole article at most)
  int max_metadata_bytes = 16 << 10;  // request headers
  // Calls worked on at once, across connections (unary calls while they run, Chat streams while
  // open); more get RESOURCE_EXHAUSTED at once, while health checks still answer SERVING.
  int max_calls = 256;
  int max_concurrent_streams = 32;  // per connection (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS)
  // Keepalive enforcement: a client pinging more often than this without data gets a strike;
  // after `max_ping_strikes` the connection is closed (GOAWAY ENHANCE_YOUR_CALM).
  std::chrono::milliseconds min_ping_interval{std::chrono::seconds(30)};
  int max_ping_strikes = 2;
  // The server pings an idle client this often, and drops it when no answer comes in time.
  std::chrono::milliseconds keepalive_time{std::chrono::minutes(5)};
  std::chrono::milliseconds keepalive_timeout{std::chrono::seconds(20)};
  // A connection with no call for this long is closed; every connection is closed after
  // `max_connection_age`, with `max_connection_age_grace` for calls in flight (this bounds how
  // long a Chat stream lives).
  std::chrono::milliseconds max_connection_idle{std::chrono::minutes(5)};
  std::chrono::milliseconds max_connection_age{std::chrono::hours(2)};
  std::chrono::milliseconds max_connection_age_grace{std::chrono::minutes(10)};
};

struct ServerOptions {
  std::filesystem::path index;
  std::string listen = "127.0.0.1:50051";  // HOST:PORT; port 0 picks a free port
  // How often to check whether the index link points at a new build (0: never).
  std::chrono::milliseconds reload_interval{2000};
  GrpcLimits grpc;
  HttpOptions http;  // http.listen empty: no HTTP/JSON gateway
  // PEM certificate chain and private key: serve gRPC over TLS, and the HTTP gateway over HTTPS
  // only unless `http_tls` is false (both empty: plaintext). Check files with LoadTlsFiles
  // (service/tls_files.h) first: its errors name the flag and the file.
  std::string tls_cert_pem;
  std::string tls_key_pem;
  // PEM CA certificates: gRPC requires a client certificate signed by one of them (mutual TLS;
  // needs tls_cert_pem). Empty: no client certificate is asked for. The HTTP port never asks:
  // browsers have none.
  std::string tls_client_ca_pem;
  // With tls_cert_pem: false serves plain HTTP on the HTTP port (for a TLS-terminating proxy on
  // the loopback interface) while gRPC keeps TLS.
  bool http_tls = true;
  // Answers to repeated questions kept in memory (service/cache/answer_cache.h); 0: no cache.
  // An answer takes roughly 10-20 KB.
  int answer_cache_entries = 1000;

  // Operations.
  // Access log: "" or "off", "stderr", or a file appended to (service/observability/access_log.h).
  std::string access_log;
  // The content-gap report shows groups of at least this many questions (k-anonymity).
  int gap_report_min_group = 10;
  // Bearer token of the patientqa.admin.v1.Admin service; empty: admin calls get UNAVAILABLE.
  std::string admin_token;
  // HOST:PORT for the admin service alone (plaintext unless TLS is set); empty: on `listen`.
  std::string admin_listen;
  // The corpus folder Admin.Reindex builds from (articles/, questions/, clinical/); empty: the
  // admin can only reopen an index built by patientqa-index.
  std::string corpus;
  // HOST:PORT of a port that serves only /metrics, /healthz and /readyz; empty: none (/metrics
  // is on the HTTP port when there is one).
  std::string metrics_listen;
  // Per-client rate limit for the PatientQA service and the HTTP /v1/ routes (rate 0: off).
  RateLimiter::Options rate_limit;
  // API keys apps must present in `x-api-key` on gRPC (service/limits/api_keys.h); empty: none.
  std::string api_keys_file;
  // On Shutdown: health and /readyz say NOT_SERVING for this long before the server stops taking
  // calls, so load balancers move traffic away first (bounded by the grace).
  std::chrono::milliseconds drain{0};
  // Threads that answer gRPC questions, off gRPC's own threads so that health checks and
  // refusals stay quick under overload (service/limits/worker_pool.h); 0: one per core.
  int worker_threads = 0;
};

// The running server: gRPC service, health service (SERVING once the index is open) and server
// reflection, plus hot reload of rebuilt indexes.
class Server {
 public:
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();

  int port() const { return port_; }
  int http_port() const { return http_ ? http_->port() : 0; }

  int admin_port() const { return admin_port_; }
  int metrics_port() const { return metrics_ ? metrics_->port() : 0; }

  // Drains and stops: health (gRPC and /readyz) says NOT_SERVING at once, calls keep being
  // answered for the drain time and until those in flight finish (both bounded by `grace`), then
  // the server stops taking calls and gives the rest of `grace` to calls still running.
  void Shutdown(std::chrono::milliseconds grace = std::chrono::seconds(5));

  // Switches to a rebuilt index now (SIGHUP). Errors leave the old index serving.
  absl::StatusOr<bool> Reopen();

 private:
  Server() = default;
  void ReloadLoop(std::chrono::milliseconds interval);

  std::unique_ptr<observability::Observer> observer_;
  std::unique_ptr<IndexHolder> index_;
  std::unique_ptr<AnswerCache> cache_;
  std::unique_ptr<AskHandler> handler_;
  std::unique_ptr<LibraryHandler> library_;
  std::unique_ptr<CallBudget> budget_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<ApiKeys> api_keys_;
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<PatientQAService> service_;
  std::unique_ptr<AdminHandler> admin_;
  std::unique_ptr<AdminService> admin_service_;
  std::unique_ptr<grpc::Server> grpc_server_;
  std::unique_ptr<grpc::Server> admin_server_;
  std::unique_ptr<HttpGateway> http_;
  std::unique_ptr<HttpGateway> metrics_;
  int port_ = 0;
  int admin_port_ = 0;
  std::atomic<bool> serving_{true};
  std::chrono::milliseconds drain_{0};

  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread reload_thread_;
};

}  // namespace patientqa::service
