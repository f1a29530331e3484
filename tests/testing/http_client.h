#pragma once

// A small blocking HTTP/1.1 client for tests (Boost.Beast), and raw-socket helpers for sending
// malformed, huge or slow requests; both speak HTTPS when given TlsClientOptions.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct ssl_st;
struct ssl_ctx_st;

namespace patientqa::testing {

// How a test client speaks TLS: the server's certificate must chain to the PEM CA in `ca_file`
// and name `verify_host` (an IP address, or a DNS name that is also sent as SNI). With
// `cert_file` and `key_file` the client presents that certificate.
struct TlsClientOptions {
  std::string ca_file;
  std::string verify_host = "127.0.0.1";
  std::string cert_file;
  std::string key_file;
};

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased

  std::string get_header_value(const std::string& name) const;
  bool has_header(const std::string& name) const;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

class HttpClient {
 public:
  explicit HttpClient(int port, std::string host = "127.0.0.1")
      : host_(std::move(host)), port_(port) {}
  // HTTPS, verifying the server as `tls` says.
  HttpClient(int port, TlsClientOptions tls, std::string host = "127.0.0.1")
      : host_(std::move(host)), port_(port), tls_(std::move(tls)) {}

  // nullopt when the connection or the TLS handshake (an unverified server) fails, or the
  // server closes without an answer.
  std::optional<HttpResult> Get(const std::string& target, const HttpHeaders& headers = {});
  std::optional<HttpResult> Post(const std::string& target, const std::string& body,
                                 const std::string& content_type);
  std::optional<HttpResult> Post(const std::string& target, const HttpHeaders& headers,
                                 const std::string& body, const std::string& content_type);
  std::optional<HttpResult> Options(const std::string& target, const HttpHeaders& headers);
  std::optional<HttpResult> Request(const std::string& method, const std::string& target,
                                    const HttpHeaders& headers, const std::string& body);

 private:
  std::string host_;
  int port_;
  std::optional<TlsClientOptions> tls_;
};

// A raw TCP connection to 127.0.0.1:port for protocol-level tests; with TlsClientOptions, a TLS
// connection whose handshake is done in the constructor (connected() is false when it fails,
// tls_error() says why). Not thread-safe: over TLS one thread must both send and read.
class RawConnection {
 public:
  explicit RawConnection(int port);
  RawConnection(int port, const TlsClientOptions& tls);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  const std::string& tls_error() const { return tls_error_; }
  // Sends all of `data`; false when the peer has closed the connection.
  bool Send(const std::string& data);
  // Reads until the peer closes or `timeout` passes; returns what was read.
  std::string ReadAll(std::chrono::milliseconds timeout);
  // Reads one response: its header and a Content-Length body (or until the peer closes or
  // `timeout` passes).
  std::string ReadResponse(std::chrono::milliseconds timeout);
  // Whether the peer has closed the connection within `timeout`.
  bool ClosedWithin(std::chrono::milliseconds timeout);

 private:
  // Waits until `deadline` for bytes and appends them; false on timeout or when the peer closed
  // (then closed_ is set).
  bool RecvSome(std::chrono::steady_clock::time_point deadline, std::string* out);

  int fd_ = -1;
  bool closed_ = false;
  ::ssl_ctx_st* ssl_ctx_ = nullptr;
  ::ssl_st* ssl_ = nullptr;
  std::string tls_error_;
};

// The HTTP status code of a raw response ("HTTP/1.1 413 ..."), or 0.
int StatusOf(const std::string& raw_response);

}  // namespace patientqa::testing
