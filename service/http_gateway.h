#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace patientqa::service {

class AskHandler;
class LibraryHandler;

struct HttpOptions {
  std::string listen;                        // HOST:PORT; port 0 picks a free port
  std::vector<std::string> allowed_origins;  // CORS allow-list ("*" allows any origin)
  size_t max_body_bytes = 64 * 1024;
  std::string web_root;  // if set, its files (the chat widget) are served under /widget/
};

// HTTP/JSON for browsers and hospital chat widgets, over the same handler as the gRPC service:
//   POST /v1/ask   body and response in protobuf's JSON mapping of AskRequest / AskResponse
//   GET  /v1/articles/{id}           the Article message, as GetArticle returns it
//   GET  /v1/articles[?topic=...]    the ListArticlesResponse message
//   GET  /v1/suggest[?after_article_id=&topic=&max_suggestions=]   the SuggestResponse message
//   GET  /healthz  the process is up
//   GET  /readyz   an index is open and requests are being answered
// Errors are JSON {"code": "INVALID_ARGUMENT", "message": "..."} with the matching HTTP status.
// Like the gRPC service it logs methods, paths, statuses, sizes and timings, never bodies.
class HttpGateway {
 public:
  static absl::StatusOr<std::unique_ptr<HttpGateway>> Start(const HttpOptions& options,
                                                            const AskHandler* handler,
                                                            const LibraryHandler* library);
  ~HttpGateway();

  int port() const { return port_; }
  void Stop();

 private:
  HttpGateway() = default;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace patientqa::service
