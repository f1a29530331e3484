#pragma once

// The HTTP/JSON gateway for browsers and hospital chat widgets, on Boost.Beast. It faces the
// internet, so every resource a client can make it spend is bounded: request line and header
// bytes, header count, body bytes for every transfer encoding (chunked bodies count as they
// arrive), time to send the header, the body and to read the response, idle time between
// requests, connections per client address and in total, and worker threads. A request over a
// limit gets a JSON error (400, 408, 413, 415, 431, 503) and the connection closes; no client can
// make the server buffer more than one header and one body. With a certificate it speaks HTTPS
// only, under the same limits. Routes: service/http/routes.h.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "service/http/routes.h"

namespace patientqa::service {

class AskHandler;
class LibraryHandler;

struct HttpOptions {
  std::string listen;                        // HOST:PORT; port 0 picks a free port
  std::vector<std::string> allowed_origins;  // CORS allow-list ("*" allows any origin)
  std::string web_root;  // if set, its files (the chat widget) are served under /widget/
  // Limits (defaults suit a chat widget: its requests are a few KiB).
  // 413 above this, whatever the transfer encoding: room for a 4,000-character question with 20
  // history turns of the same length in JSON.
  size_t max_body_bytes = 256 * 1024;
  size_t max_header_bytes = 8 * 1024;  // request line and headers together; 431 above this
  size_t max_header_fields = 64;       // 431 above this
  std::chrono::milliseconds header_timeout{5000};      // to send the whole header (slowloris)
  std::chrono::milliseconds body_timeout{10000};       // to send the body
  std::chrono::milliseconds write_timeout{10000};      // to read the response
  std::chrono::milliseconds keep_alive_timeout{5000};  // idle between requests
  int max_connections = 256;                           // in total; more are answered 503 and closed
  int max_connections_per_client = 16;  // per remote address; more are answered 503 and closed
  int worker_threads = 4;
  // Metrics, access log, shared call budget, rate limits and readiness (see HttpServices).
  HttpServices services;
  // PEM certificate chain and private key: serve HTTPS only (both empty: plain HTTP). TLS 1.2 at
  // least, OpenSSL's default ciphers (system security level), no TLS compression and no
  // renegotiation. The handshake counts against `header_timeout`: a client has that long from
  // connecting to send its first request's header. Every limit above applies as over plain HTTP;
  // a plain HTTP request to this port gets a plain 400 telling it to use https.
  std::string tls_cert_pem;
  std::string tls_key_pem;
};

class HttpGateway {
 public:
  // Binds and starts serving. INVALID_ARGUMENT for a malformed address or limit, UNAVAILABLE
  // when the address cannot be bound (for example it is in use).
  static absl::StatusOr<std::unique_ptr<HttpGateway>> Start(const HttpOptions& options,
                                                            const AskHandler* handler,
                                                            const LibraryHandler* library);
  ~HttpGateway();

  int port() const;
  // Stops accepting, closes every connection and joins the workers. Idempotent.
  void Stop();

  struct Impl;  // the network side, private to gateway.cc

 private:
  explicit HttpGateway(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace patientqa::service
