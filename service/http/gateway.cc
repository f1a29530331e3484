#include "service/http/gateway.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "service/http/routes.h"

namespace patientqa::service {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// The two kinds of connection a Session serves (service/http/gateway.h, tls_cert_pem).
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// A TLS server context: TLS 1.2 at least; no TLS compression (CRIME); no renegotiation (it
// would let a client make the server do handshakes without opening connections); OpenSSL's
// default ciphers at the system's security level, in the server's order.
absl::StatusOr<net::ssl::context> MakeTlsContext(const HttpOptions& options) {
  net::ssl::context context(net::ssl::context::tls_server);
  SSL_CTX* ctx = context.native_handle();
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
    return absl::InternalError("OpenSSL cannot require TLS 1.2");
  }
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  // No server-side session cache, whose size a client could drive up: sessions resume from
  // stateless tickets. Idle keep-alive connections give their record buffers back.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  beast::error_code ec;
  context.use_certificate_chain(net::buffer(options.tls_cert_pem), ec);
  if (ec) return absl::InvalidArgumentError("--tls_cert is refused for HTTPS: " + ec.message());
  context.use_private_key(net::buffer(options.tls_key_pem), net::ssl::context::pem, ec);
  if (ec) return absl::InvalidArgumentError("--tls_key is refused for HTTPS: " + ec.message());
  if (SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError("--tls_key does not match the certificate in --tls_cert");
  }
  return context;
}

// Errors of the TLS layer under HTTP (a broken record, a client gone without close_notify):
// the connection cannot carry an answer any more.
bool IsTlsError(const beast::error_code& ec) {
  return ec.category() == net::error::get_ssl_category() || ec == net::ssl::error::stream_truncated;
}

}  // namespace

struct HttpGateway::Impl {
  Impl(const HttpOptions& o, const AskHandler* ask, const LibraryHandler* library)
      : options(o),
        routes(ask, library, HttpRoutesOptions{o.allowed_origins, o.web_root, o.services}),
        acceptor(ioc) {}

  // Counts a new connection from `client`; false when it is over a limit.
  bool Admit(const std::string& client) {
    std::lock_guard<std::mutex> lock(mu);
    if (total >= options.max_connections ||
        per_client[client] >= options.max_connections_per_client) {
      return false;
    }
    ++total;
    ++per_client[client];
    return true;
  }
  void Release(const std::string& client) {
    std::lock_guard<std::mutex> lock(mu);
    --total;
    if (--per_client[client] <= 0) per_client.erase(client);
  }

  void Accept();

  const HttpOptions options;
  const HttpRoutes routes;
  std::mutex mu;  // guards the counts
  int total = 0;
  std::map<std::string, int> per_client;
  std::optional<net::ssl::context> tls;  // set: HTTPS only
  // Declared after what sessions use: destroying the io_context destroys pending sessions.
  net::io_context ioc;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::atomic<bool> stopped{false};
  int port = 0;
};

namespace {

// One connection: read a bounded request, answer it, repeat while the client keeps it alive.
// `Stream` is PlainStream or TlsStream; the TLS handshake and close are the only differences.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  using std::enable_shared_from_this<Session<Stream>>::shared_from_this;

  Session(tcp::socket&& socket, HttpGateway::Impl* gateway, std::string client, bool admitted)
      : stream_(MakeStream(std::move(socket), gateway)),
        timer_(stream_.get_executor()),
        buffer_(gateway->options.max_header_bytes + gateway->options.max_body_bytes + 4096),
        gateway_(gateway),
        client_(std::move(client)),
        admitted_(admitted) {}

  ~Session() {
    if (admitted_) gateway_->Release(client_);
  }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if constexpr (kTls) {
        self->Handshake();
      } else {
        self->Serve(self->gateway_->options.header_timeout);
      }
    });
  }

 private:
  const HttpOptions& options() const { return gateway_->options; }

  static Stream MakeStream(tcp::socket&& socket, HttpGateway::Impl* gateway) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *gateway->tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  // The TCP stream under `stream_` (itself for plain HTTP): timeouts, cancel, close.
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }

  // Over the connection caps the client is told so (after the handshake, so that it can read
  // the answer); otherwise its first request is read, within what is left of `header_timeout`.
  void Serve(std::chrono::milliseconds header_timeout) {
    if (!admitted_) {
      HttpResponse busy = ErrorResponse(absl::StatusCode::kUnavailable,
                                        "too many connections; try again shortly", 503);
      busy.headers.emplace_back("Retry-After", "1");
      Send(std::move(busy), /*close=*/true);
      return;
    }
    ReadHeader(header_timeout);
  }

  // The handshake counts against the header timeout, so a client that connects and never
  // handshakes (or stalls half way) is dropped when it is up, like one that never sends a header.
  void Handshake() {
    const auto start = std::chrono::steady_clock::now();
    ArmReadTimer(options().header_timeout);
    stream_.async_handshake(
        net::ssl::stream_base::server, [self = shared_from_this(), start](beast::error_code ec) {
          self->DisarmReadTimer();
          if (ec) return self->HandshakeFailed(ec);
          const auto left = self->options().header_timeout -
                            std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - start);
          self->Serve(std::max(left, std::chrono::milliseconds(1)));
        });
  }

  void HandshakeFailed(beast::error_code ec) {
    spdlog::debug("http tls handshake failed: {}", timed_out_ ? "timed out" : ec.message());
    if (!timed_out_ && ec.category() == net::error::get_ssl_category() &&
        ERR_GET_LIB(static_cast<unsigned long>(ec.value())) == ERR_LIB_SSL &&
        ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_HTTP_REQUEST) {
      return SendPlainHttpsOnly();
    }
    Close();
  }

  // A plain HTTP request on the HTTPS port: a plain 400 that says to use https (as nginx
  // does), then close. Nothing of the request is answered.
  void SendPlainHttpsOnly() {
    const HttpResponse error = ErrorResponse(absl::StatusCode::kInvalidArgument,
                                             "this port speaks HTTPS only: use https://", 400);
    http::response<http::string_body> res(http::status::bad_request, 11);
    res.set(http::field::server, "patientqa");
    res.set(http::field::content_type, error.content_type);
    res.keep_alive(false);
    res.body() = error.body;
    res.prepare_payload();
    std::ostringstream text;
    text << res;
    auto out = std::make_shared<std::string>(text.str());
    Tcp().expires_after(options().write_timeout);
    net::async_write(Tcp(), net::buffer(*out),
                     [self = shared_from_this(), out](beast::error_code ec, size_t) {
                       if (ec) return self->Close();
                       self->LingeringTcpClose();
                     });
  }

  void ReadHeader(std::chrono::milliseconds timeout) {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options().max_header_bytes));
    parser_->body_limit(options().max_body_bytes);
    ArmReadTimer(timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  // Reads are timed by our own timer, which cancels the read (beast's stream timeout would
  // close the socket, and a client that was too slow should still be told 408). A read such as
  // async_read_header is many socket reads in turn: a cancel that lands between two of them,
  // when none is pending, is lost, and a client dripping a header line at a time would then be
  // read for ever. So once the time is up the cancel repeats every kRecancelInterval until the
  // read ends (DisarmReadTimer). Each arming has its own generation, so that an expiry already
  // queued when the read ended cannot cancel the next read.
  static constexpr std::chrono::milliseconds kRecancelInterval{20};

  void ArmReadTimer(std::chrono::milliseconds timeout) {
    Tcp().expires_never();
    timed_out_ = false;
    ++timer_generation_;
    timer_.expires_after(timeout);
    WaitReadTimer();
  }

  void WaitReadTimer() {
    timer_.async_wait(
        [self = shared_from_this(), generation = timer_generation_](beast::error_code ec) {
          if (ec || generation != self->timer_generation_) return;  // the read ended first
          self->timed_out_ = true;
          beast::error_code ignored;
          self->Tcp().socket().cancel(ignored);
          self->timer_.expires_after(kRecancelInterval);
          self->WaitReadTimer();
        });
  }

  void DisarmReadTimer() {
    ++timer_generation_;
    timer_.cancel();
  }

  void OnHeader(beast::error_code ec) {
    DisarmReadTimer();
    if (ec) return Fail(ec);
    started_ = std::chrono::steady_clock::now();
    const auto& header = parser_->get();
    const size_t fields = static_cast<size_t>(std::distance(header.begin(), header.end()));
    if (fields > options().max_header_fields) {
      return Send(ErrorResponse(absl::StatusCode::kInvalidArgument,
                                absl::StrCat("a request may have at most ",
                                             options().max_header_fields, " header fields"),
                                431),
                  true);
    }
    if (parser_->is_done()) return Handle();
    ArmReadTimer(options().body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->DisarmReadTimer();
                       if (ec) return self->Fail(ec);
                       self->Handle();
                     });
  }

  void Handle() {
    const auto& req = parser_->get();
    HttpRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.body = req.body();
    request.origin = std::string(req[http::field::origin]);
    request.content_encoding = std::string(req[http::field::content_encoding]);
    request.client = client_;
    HttpResponse res = gateway_->routes.Handle(request);
    if (request.method == "HEAD") res.body.clear();
    // Metadata only: bodies and query strings can carry patient text.
    spdlog::debug(
        "http method={} path={} status={} request_bytes={} response_bytes={} ms={:.1f}",
        request.method, request.target.substr(0, request.target.find('?')), res.status,
        request.body.size(), res.body.size(),
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
            .count());
    Send(std::move(res), !req.keep_alive());
  }

  // Answers a request that broke a limit or the protocol, then closes; a client that simply
  // went away, or sat idle past the keep-alive time, is closed without an answer.
  void Fail(beast::error_code ec) {
    if (timed_out_ && ec == net::error::operation_aborted) {
      // Idle between requests: close quietly. Part of a request sent: tell the client.
      if ((!parser_ || !parser_->got_some()) && buffer_.size() == 0) return Close();
      return Send(ErrorResponse(absl::StatusCode::kDeadlineExceeded,
                                "the request was not sent in time", 408),
                  true);
    }
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof || IsTlsError(ec)) {
      return Close();
    }
    if (ec == http::error::header_limit) {
      return Send(ErrorResponse(absl::StatusCode::kInvalidArgument,
                                absl::StrCat("the request line and headers must be at most ",
                                             options().max_header_bytes, " bytes"),
                                431),
                  true);
    }
    if (ec == http::error::body_limit || ec == http::error::buffer_overflow) {
      return Send(ErrorResponse(absl::StatusCode::kInvalidArgument,
                                absl::StrCat("the request body must be at most ",
                                             options().max_body_bytes, " bytes"),
                                413),
                  true);
    }
    return Send(ErrorResponse(absl::StatusCode::kInvalidArgument,
                              absl::StrCat("malformed HTTP request: ", ec.message()), 400),
                true);
  }

  void Send(HttpResponse res, bool close) {
    auto out = std::make_shared<http::response<http::string_body>>();
    out->version(11);
    out->result(static_cast<unsigned>(res.status));
    out->set(http::field::server, "patientqa");
    if (!res.content_type.empty()) out->set(http::field::content_type, res.content_type);
    for (auto& [name, value] : res.headers) out->set(name, value);
    out->keep_alive(!close);
    out->body() = std::move(res.body);
    out->prepare_payload();
    Tcp().expires_after(options().write_timeout);
    http::async_write(stream_, *out,
                      [self = shared_from_this(), out, close](beast::error_code ec, size_t) {
                        if (ec) return self->Close();
                        if (close) return self->LingeringClose();
                        self->ReadHeader(self->options().keep_alive_timeout);
                      });
  }

  // After an answer that closes the connection, the client may still be sending (a body over
  // the limit, say): closing at once would reset the connection and could destroy the answer
  // before the client reads it. So stop sending, then read and discard what still comes, for
  // at most kLingerTime and kLingerBytes, and close (as nginx's lingering_close does). Over TLS,
  // stopping is a close_notify, and OpenSSL discards what comes until the client's own
  // close_notify, for at most kLingerTime.
  static constexpr std::chrono::milliseconds kLingerTime{1000};
  static constexpr size_t kLingerBytes = 1 << 20;

  void LingeringClose() {
    if constexpr (kTls) {
      Tcp().expires_after(kLingerTime);
      stream_.async_shutdown([self = shared_from_this()](beast::error_code) { self->Close(); });
    } else {
      LingeringTcpClose();
    }
  }

  void LingeringTcpClose() {
    beast::error_code ignored;
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Tcp().expires_after(kLingerTime);
    Discard();
  }

  void Discard() {
    Tcp().async_read_some(net::buffer(discard_),
                          [self = shared_from_this()](beast::error_code ec, size_t n) {
                            self->discarded_ += n;
                            if (ec || self->discarded_ >= kLingerBytes) return self->Close();
                            self->Discard();
                          });
  }

  void Close() {
    DisarmReadTimer();
    beast::error_code ignored;
    Tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Tcp().socket().close(ignored);
  }

  Stream stream_;
  net::steady_timer timer_;
  bool timed_out_ = false;
  std::uint64_t timer_generation_ = 0;  // see ArmReadTimer
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpGateway::Impl* gateway_;
  const std::string client_;
  const bool admitted_;
  std::chrono::steady_clock::time_point started_;
  std::array<char, 16 * 1024> discard_;
  size_t discarded_ = 0;
};

}  // namespace

void HttpGateway::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (stopped) return;
    if (!ec) {
      beast::error_code peer_ec;
      const auto peer = socket.remote_endpoint(peer_ec);
      const std::string client = peer_ec ? std::string("?") : peer.address().to_string();
      const bool admitted = Admit(client);
      if (tls) {
        std::make_shared<Session<TlsStream>>(std::move(socket), this, client, admitted)->Start();
      } else {
        std::make_shared<Session<PlainStream>>(std::move(socket), this, client, admitted)->Start();
      }
    }
    Accept();
  });
}

HttpGateway::HttpGateway(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

absl::StatusOr<std::unique_ptr<HttpGateway>> HttpGateway::Start(const HttpOptions& options,
                                                                const AskHandler* handler,
                                                                const LibraryHandler* library) {
  const size_t colon = options.listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos && colon + 1 < options.listen.size() &&
      options.listen.size() - colon - 1 <= 5 &&
      std::all_of(options.listen.begin() + colon + 1, options.listen.end(), ::isdigit)) {
    port = std::stoi(options.listen.substr(colon + 1));
  }
  if (port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http_listen must be HOST:PORT, got '", options.listen, "'"));
  }
  if (options.worker_threads < 1 || options.max_connections < 1 ||
      options.max_connections_per_client < 1 || options.max_body_bytes < 1 ||
      options.max_header_bytes < 256) {
    return absl::InvalidArgumentError("HTTP limits must be positive (header bytes at least 256)");
  }
  if (!options.web_root.empty() && !std::filesystem::is_directory(options.web_root)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--web_root: '", options.web_root, "' is not a readable directory"));
  }
  std::string host = options.listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty() || host == "localhost") host = host.empty() ? "0.0.0.0" : "127.0.0.1";
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http_listen: '", host, "' is not an IP address"));
  }
  if (options.tls_cert_pem.empty() != options.tls_key_pem.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together");
  }
  auto impl = std::make_unique<Impl>(options, handler, library);
  if (!options.tls_cert_pem.empty()) {
    absl::StatusOr<net::ssl::context> tls = MakeTlsContext(options);
    if (!tls.ok()) return tls.status();
    impl->tls.emplace(std::move(*tls));
  }
  const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for HTTP on ", options.listen, ": ", ec.message()));
  }
  impl->port = impl->acceptor.local_endpoint().port();
  impl->Accept();
  for (int i = 0; i < options.worker_threads; ++i) {
    impl->threads.emplace_back([io = &impl->ioc] { io->run(); });
  }
  return std::unique_ptr<HttpGateway>(new HttpGateway(std::move(impl)));
}

int HttpGateway::port() const { return impl_->port; }

void HttpGateway::Stop() {
  if (!impl_ || impl_->stopped.exchange(true)) return;
  net::post(impl_->ioc, [impl = impl_.get()] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
  impl_->ioc.stop();
  for (std::thread& t : impl_->threads) t.join();
  impl_->threads.clear();
}

HttpGateway::~HttpGateway() { Stop(); }

}  // namespace patientqa::service
