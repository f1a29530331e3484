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
#include "service/http_gateway.h"

namespace grpc {
class Server;
}

namespace patientqa::service {

class AskHandler;
class IndexHolder;
class LibraryHandler;
class PatientQAService;

struct ServerOptions {
  std::filesystem::path index;
  std::string listen = "127.0.0.1:50051";  // HOST:PORT; port 0 picks a free port
  // How often to check whether the index link points at a new build (0: never).
  std::chrono::milliseconds reload_interval{2000};
  HttpOptions http;  // http.listen empty: no HTTP/JSON gateway
  // PEM certificate chain and private key: serve gRPC over TLS (both empty: plaintext).
  std::string tls_cert_pem;
  std::string tls_key_pem;
};

// The running server: gRPC service, health service (SERVING once the index is open) and server
// reflection, plus hot reload of rebuilt indexes.
class Server {
 public:
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();

  int port() const { return port_; }
  int http_port() const { return http_ ? http_->port() : 0; }

  // Marks NOT_SERVING, stops accepting calls and waits (up to `grace`) for calls in flight.
  void Shutdown(std::chrono::milliseconds grace = std::chrono::seconds(5));

 private:
  Server() = default;
  void ReloadLoop(std::chrono::milliseconds interval);

  std::unique_ptr<IndexHolder> index_;
  std::unique_ptr<AskHandler> handler_;
  std::unique_ptr<LibraryHandler> library_;
  std::unique_ptr<PatientQAService> service_;
  std::unique_ptr<grpc::Server> grpc_server_;
  std::unique_ptr<HttpGateway> http_;
  int port_ = 0;

  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread reload_thread_;
};

}  // namespace patientqa::service
