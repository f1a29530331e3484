#include "tests/testing/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cstring>

namespace patientqa::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {
std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
}  // namespace

std::string HttpResult::get_header_value(const std::string& name) const {
  auto it = headers.find(Lower(name));
  return it == headers.end() ? "" : it->second;
}

bool HttpResult::has_header(const std::string& name) const {
  return headers.count(Lower(name)) > 0;
}

std::optional<HttpResult> HttpClient::Request(const std::string& method, const std::string& target,
                                              const HttpHeaders& headers, const std::string& body) {
  try {
    net::io_context ioc;
    net::ip::tcp::resolver resolver(ioc);
    beast::tcp_stream stream(ioc);
    stream.expires_after(std::chrono::seconds(30));
    stream.connect(resolver.resolve(host_, std::to_string(port_)));
    http::request<http::string_body> req(http::string_to_verb(method), target, 11);
    req.method_string(method);
    req.set(http::field::host, host_);
    for (const auto& [name, value] : headers) req.set(name, value);
    if (!body.empty() || method == "POST") {
      req.body() = body;
      req.prepare_payload();
    }
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(stream, buffer, parser);
    const auto& res = parser.get();
    HttpResult out;
    out.status = static_cast<int>(res.result_int());
    out.body = res.body();
    for (const auto& field : res) {
      out.headers[Lower(std::string(field.name_string()))] = std::string(field.value());
    }
    beast::error_code ignored;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<HttpResult> HttpClient::Get(const std::string& target, const HttpHeaders& headers) {
  return Request("GET", target, headers, "");
}

std::optional<HttpResult> HttpClient::Post(const std::string& target, const std::string& body,
                                           const std::string& content_type) {
  return Request("POST", target, {{"Content-Type", content_type}}, body);
}

std::optional<HttpResult> HttpClient::Post(const std::string& target, const HttpHeaders& headers,
                                           const std::string& body,
                                           const std::string& content_type) {
  HttpHeaders all = headers;
  all.emplace_back("Content-Type", content_type);
  return Request("POST", target, all, body);
}

std::optional<HttpResult> HttpClient::Options(const std::string& target,
                                              const HttpHeaders& headers) {
  return Request("OPTIONS", target, headers, "");
}

RawConnection::RawConnection(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::Send(const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool RawConnection::RecvSome(std::chrono::steady_clock::time_point deadline, std::string* out) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now())
                        .count();
  if (left <= 0) return false;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
  char buf[4096];
  const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) {
    closed_ = true;
    return false;
  }
  out->append(buf, static_cast<size_t>(n));
  return true;
}

std::string RawConnection::ReadAll(std::chrono::milliseconds timeout) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (RecvSome(deadline, &out)) {
  }
  return out;
}

std::string RawConnection::ReadResponse(std::chrono::milliseconds timeout) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    const size_t end = out.find("\r\n\r\n");
    if (end == std::string::npos) continue;
    std::string lower = out.substr(0, end);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const size_t at = lower.find("\r\ncontent-length:");
    const size_t length =
        at == std::string::npos ? 0 : std::strtoul(lower.c_str() + at + 17, nullptr, 10);
    if (out.size() >= end + 4 + length) break;
  } while (RecvSome(deadline, &out));
  return out;
}

bool RawConnection::ClosedWithin(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string ignored;
  while (RecvSome(deadline, &ignored)) ignored.clear();
  return closed_;
}

int StatusOf(const std::string& raw) {
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12) return 0;
  return std::atoi(raw.substr(9, 3).c_str());
}

}  // namespace patientqa::testing
