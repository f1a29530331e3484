#include "tests/testing/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <climits>
#include <csignal>
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

std::string OpenSslError() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  char text[256];
  ERR_error_string_n(e, text, sizeof text);
  return text;
}

// Verify servers against the CA (and present the client certificate, if any); "" or an error.
std::string ConfigureClient(SSL_CTX* ctx, const TlsClientOptions& tls) {
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_locations(ctx, tls.ca_file.c_str(), nullptr) != 1) {
    return "cannot load CA " + tls.ca_file + ": " + OpenSslError();
  }
  if (!tls.cert_file.empty() &&
      (SSL_CTX_use_certificate_chain_file(ctx, tls.cert_file.c_str()) != 1 ||
       SSL_CTX_use_PrivateKey_file(ctx, tls.key_file.c_str(), SSL_FILETYPE_PEM) != 1)) {
    return "cannot load client certificate " + tls.cert_file + ": " + OpenSslError();
  }
  return "";
}

// The server's certificate must name `host`: an IP address (subjectAltName IP) or a DNS name,
// which is also sent as SNI.
void VerifyHost(SSL* ssl, const std::string& host) {
  if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1) return;
  SSL_set1_host(ssl, host.c_str());
  SSL_set_tlsext_host_name(ssl, host.c_str());
}

template <class Stream>
HttpResult Exchange(Stream& stream, const std::string& host, const std::string& method,
                    const std::string& target, const HttpHeaders& headers,
                    const std::string& body) {
  http::request<http::string_body> req(http::string_to_verb(method), target, 11);
  req.method_string(method);
  req.set(http::field::host, host);
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
  return out;
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
    const auto endpoints = resolver.resolve(host_, std::to_string(port_));
    beast::error_code ignored;
    if (!tls_) {
      beast::tcp_stream stream(ioc);
      stream.connect(endpoints);
      HttpResult out = Exchange(stream, host_, method, target, headers, body);
      stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
      return out;
    }
    net::ssl::context context(net::ssl::context::tls_client);
    if (!ConfigureClient(context.native_handle(), *tls_).empty()) return std::nullopt;
    beast::ssl_stream<beast::tcp_stream> stream(ioc, context);
    beast::get_lowest_layer(stream).connect(endpoints);
    VerifyHost(stream.native_handle(), tls_->verify_host);
    stream.handshake(net::ssl::stream_base::client);
    HttpResult out = Exchange(stream, host_, method, target, headers, body);
    beast::get_lowest_layer(stream).socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
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

RawConnection::RawConnection(int port, const TlsClientOptions& tls) : RawConnection(port) {
  if (fd_ < 0) return;
  // OpenSSL writes with write(2), which cannot be told MSG_NOSIGNAL: a server that closes first
  // must not kill the test with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  ssl_ctx_ = SSL_CTX_new(TLS_client_method());
  tls_error_ = ConfigureClient(ssl_ctx_, tls);
  if (tls_error_.empty()) {
    ssl_ = SSL_new(ssl_ctx_);
    // Return from SSL_read after a record that carries no data (a TLS 1.3 session ticket), so
    // that reads keep to their deadlines.
    SSL_clear_mode(ssl_, SSL_MODE_AUTO_RETRY);
    SSL_set_fd(ssl_, fd_);
    VerifyHost(ssl_, tls.verify_host);
    const timeval handshake_limit{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &handshake_limit, sizeof handshake_limit);
    if (SSL_connect(ssl_) != 1) tls_error_ = "TLS handshake failed: " + OpenSslError();
  }
  if (!tls_error_.empty()) {
    ::close(fd_);
    fd_ = -1;
  }
}

RawConnection::~RawConnection() {
  if (ssl_) SSL_free(ssl_);
  if (ssl_ctx_) SSL_CTX_free(ssl_ctx_);
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::Send(const std::string& data) {
  if (ssl_) {
    size_t sent = 0;
    while (sent < data.size()) {
      const int n = SSL_write(ssl_, data.data() + sent,
                              static_cast<int>(std::min<size_t>(data.size() - sent, INT_MAX)));
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }
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
  if (ssl_) {
    char buf[4096];
    while (true) {
      if (SSL_pending(ssl_) == 0) {
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
                              deadline - std::chrono::steady_clock::now())
                              .count();
        pollfd p{fd_, POLLIN, 0};
        if (wait <= 0 || ::poll(&p, 1, static_cast<int>(wait)) <= 0) return false;
      }
      const int n = SSL_read(ssl_, buf, sizeof buf);
      if (n > 0) {
        out->append(buf, static_cast<size_t>(n));
        return true;
      }
      if (SSL_get_error(ssl_, n) == SSL_ERROR_WANT_READ) continue;  // no data in that record
      ERR_clear_error();
      closed_ = true;  // close_notify, or the connection is gone
      return false;
    }
  }
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
