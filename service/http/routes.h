#pragma once

// The HTTP/JSON API as plain functions: a parsed request in, a response out. The network side
// (service/http/gateway.h) bounds and parses connections; this file decides what each route
// answers, so that tests and fuzzers call it without a socket.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace patientqa::service {

class AskHandler;
class CallBudget;
class LibraryHandler;
class RateLimiter;
namespace observability {
class Observer;
struct AskSummary;
}  // namespace observability

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as received: "/v1/suggest?topic=spread"
  std::string body;
  std::string origin;            // the Origin header, if any
  std::string content_encoding;  // the Content-Encoding header, if any
  std::string client;            // the peer address (rate limits count per client)
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// What the routes share with the rest of the server; every member is optional.
struct HttpServices {
  // Metrics and the access log for every request; also answers GET /metrics (Prometheus text).
  observability::Observer* observer = nullptr;
  // Shared with gRPC: an Ask that finds no free slot gets 503 with Retry-After.
  CallBudget* budget = nullptr;
  // Per client address, for /v1/ routes: 429 with Retry-After when a client's bucket is empty.
  RateLimiter* limiter = nullptr;
  // /readyz answers 503 {"status":"NOT_SERVING"} while this returns false (draining at stop).
  std::function<bool()> ready;
  // A metrics-only port (--metrics_listen): /metrics, /healthz and /readyz, nothing else.
  bool metrics_only = false;
};

struct HttpRoutesOptions {
  std::vector<std::string> allowed_origins;  // CORS allow-list ("*" allows any origin)
  std::string web_root;                      // if set, its files are served under /widget/
  HttpServices services;
};

// The HTTP status for a gRPC/absl code: 400 for client errors (INVALID_ARGUMENT, OUT_OF_RANGE,
// FAILED_PRECONDITION), 404, 429 (RESOURCE_EXHAUSTED), 503, 504, 501; 500 otherwise.
int HttpStatusFor(absl::StatusCode code);

// A JSON error response {"code": "INVALID_ARGUMENT", "message": "..."} with `status` (or the
// HTTP status for `code` when 0). The body is always valid UTF-8 JSON: invalid bytes in the
// message become U+FFFD and control characters spaces.
HttpResponse ErrorResponse(absl::StatusCode code, std::string_view message, int status = 0);

// Splits a request target into its percent-decoded path and query parameters. INVALID_ARGUMENT
// when the path is not absolute, decodes to NUL or invalid UTF-8, or has a "%" not followed by
// two hex digits.
struct ParsedTarget {
  std::string path;
  std::map<std::string, std::string> query;
};
absl::StatusOr<ParsedTarget> ParseTarget(std::string_view target);

// Routes:
//   POST /v1/ask            AskRequest -> AskResponse in protobuf's JSON mapping (any content type)
//   GET  /v1/articles/{id}  Article;  GET /v1/articles[?topic=]  ListArticlesResponse
//   GET  /v1/suggest[?after_article_id=&topic=&max_suggestions=]  SuggestResponse
//   GET  /healthz, /readyz  {"status":"SERVING"} (/readyz: 503 NOT_SERVING while draining)
//   GET  /metrics           Prometheus text exposition (with HttpServices::observer)
//   GET  /widget/<file>     files of `web_root` (no directories, no dot files, no Range)
//   OPTIONS *               CORS preflight (204)
// Other methods get 405 with an Allow header; unknown paths 404; a compressed request body 415.
class HttpRoutes {
 public:
  HttpRoutes(const AskHandler* ask, const LibraryHandler* library, HttpRoutesOptions options)
      : ask_(ask), library_(library), options_(std::move(options)) {}

  HttpResponse Handle(const HttpRequest& request) const;

 private:
  // `ask` is set when the request was an Ask that got an answer (for metrics and the access log).
  HttpResponse Route(const HttpRequest& request, const ParsedTarget& target,
                     std::optional<observability::AskSummary>* ask,
                     std::string* question_hash) const;
  // A refusal (429) when the client is over its rate limit; nullopt to go on.
  std::optional<HttpResponse> Admit(const HttpRequest& request, const ParsedTarget& target) const;
  HttpResponse StaticFile(const std::string& path) const;

  const AskHandler* ask_;
  const LibraryHandler* library_;
  const HttpRoutesOptions options_;
};

}  // namespace patientqa::service
