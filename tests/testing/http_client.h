#pragma once

// A small blocking HTTP/1.1 client for tests (Boost.Beast), and raw-socket helpers for sending
// malformed, huge or slow requests.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace patientqa::testing {

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

  // nullopt when the connection fails or the server closes without an answer.
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
};

// A raw TCP connection to 127.0.0.1:port for protocol-level tests.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
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
};

// The HTTP status code of a raw response ("HTTP/1.1 413 ..."), or 0.
int StatusOf(const std::string& raw_response);

}  // namespace patientqa::testing
