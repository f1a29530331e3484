#include "service/http_gateway.h"

#include <google/protobuf/util/json_util.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "service/ask_handler.h"
#include "service/library_handler.h"
#include "service/proto_mapping.h"

namespace patientqa::service {
namespace {

int HttpStatusFor(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kFailedPrecondition:
      return 400;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    case absl::StatusCode::kUnimplemented:
      return 501;
    default:
      return 500;
  }
}

void SendError(httplib::Response& res, absl::StatusCode code, const std::string& message);

// Writes `message` in protobuf's JSON mapping with proto field names, as the CLI's --json does.
void SendMessage(httplib::Response& res, const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  print.always_print_primitive_fields = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, print).ok()) {
    SendError(res, absl::StatusCode::kInternal, "cannot encode the response");
    return;
  }
  res.set_content(json, "application/json");
}

// Sends the handler's result as the API message `Proto`, or its error.
template <typename Proto, typename T>
void Reply(httplib::Response& res, const absl::StatusOr<T>& result) {
  if (!result.ok()) {
    SendError(res, result.status().code(), std::string(result.status().message()));
    return;
  }
  Proto out;
  ToProto(*result, &out);
  SendMessage(res, out);
}

void SendError(httplib::Response& res, absl::StatusCode code, const std::string& message) {
  std::string escaped;
  for (char c : message) {
    switch (c) {
      case '"':
        escaped += "\\\"";
        break;
      case '\\':
        escaped += "\\\\";
        break;
      case '\n':
        escaped += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          escaped += ' ';
        } else {
          escaped += c;
        }
    }
  }
  res.status = HttpStatusFor(code);
  res.set_content(absl::StrCat("{\"code\":\"", absl::StatusCodeToString(code), "\",\"message\":\"",
                               escaped, "\"}"),
                  "application/json");
}

}  // namespace

absl::StatusOr<std::unique_ptr<HttpGateway>> HttpGateway::Start(const HttpOptions& options,
                                                                const AskHandler* handler,
                                                                const LibraryHandler* library) {
  const size_t colon = options.listen.rfind(':');
  if (colon == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http_listen must be HOST:PORT, got '", options.listen, "'"));
  }
  const std::string host = options.listen.substr(0, colon);
  int port = 0;
  try {
    port = std::stoi(options.listen.substr(colon + 1));
  } catch (const std::exception&) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http_listen must be HOST:PORT, got '", options.listen, "'"));
  }
  std::unique_ptr<HttpGateway> gateway(new HttpGateway());
  gateway->server_ = std::make_unique<httplib::Server>();
  httplib::Server& server = *gateway->server_;
  server.set_payload_max_length(options.max_body_bytes);
  if (!options.web_root.empty() && !server.set_mount_point("/widget", options.web_root)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--web_root: '", options.web_root, "' is not a readable directory"));
  }

  const std::vector<std::string> origins = options.allowed_origins;
  server.set_pre_routing_handler([origins](const httplib::Request& req, httplib::Response& res) {
    const std::string origin = req.get_header_value("Origin");
    const bool any = std::find(origins.begin(), origins.end(), "*") != origins.end();
    if (!origin.empty() &&
        (any || std::find(origins.begin(), origins.end(), origin) != origins.end())) {
      res.set_header("Access-Control-Allow-Origin", any ? "*" : origin);
      res.set_header("Vary", "Origin");
      res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      res.set_header("Access-Control-Allow-Headers", "Content-Type");
      res.set_header("Access-Control-Max-Age", "600");
    }
    if (req.method == "OPTIONS") {
      res.status = 204;
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"SERVING\"}", "application/json");
  });
  server.Get("/readyz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"SERVING\"}", "application/json");
  });
  server.Post("/v1/ask", [handler](const httplib::Request& req, httplib::Response& res) {
    v1::AskRequest request;
    google::protobuf::util::JsonParseOptions parse;
    parse.ignore_unknown_fields = false;
    const auto parsed = google::protobuf::util::JsonStringToMessage(req.body, &request, parse);
    if (!parsed.ok()) {
      SendError(res, absl::StatusCode::kInvalidArgument,
                absl::StrCat("request body is not a valid AskRequest in JSON: ",
                             std::string(parsed.message())));
      return;
    }
    Reply<v1::AskResponse>(res, handler->Ask(FromProto(request)));
  });
  server.Get(R"(/v1/articles/([^/]+))",
             [library](const httplib::Request& req, httplib::Response& res) {
               Reply<v1::Article>(res, library->GetArticle(req.matches[1].str()));
             });
  server.Get("/v1/suggest", [library](const httplib::Request& req, httplib::Response& res) {
    int max = 0;
    if (req.has_param("max_suggestions")) {
      try {
        max = std::stoi(req.get_param_value("max_suggestions"));
      } catch (const std::exception&) {
        SendError(res, absl::StatusCode::kInvalidArgument, "max_suggestions must be a number");
        return;
      }
    }
    Reply<v1::SuggestResponse>(res, library->Suggest(req.get_param_value("after_article_id"),
                                                     req.get_param_value("topic"), max));
  });
  server.Get("/v1/articles", [library](const httplib::Request& req, httplib::Response& res) {
    Reply<v1::ListArticlesResponse>(res, library->ListArticles(req.get_param_value("topic")));
  });
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // a handler already wrote a JSON error
    if (res.status == 413) {
      SendError(res, absl::StatusCode::kInvalidArgument, "request body is too large");
      res.status = 413;
    } else if (res.status == 404) {
      SendError(res, absl::StatusCode::kNotFound, absl::StrCat("no route ", req.path));
    } else {
      SendError(res, absl::StatusCode::kUnknown, absl::StrCat("HTTP ", res.status));
    }
  });
  // Metadata only: bodies carry patient text.
  server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    spdlog::debug("http method={} path={} status={} request_bytes={} response_bytes={}", req.method,
                  req.path, res.status, req.body.size(), res.body.size());
  });

  gateway->port_ =
      port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (gateway->port_ <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen for HTTP on ", options.listen));
  }
  gateway->thread_ = std::thread([s = gateway->server_.get()] { s->listen_after_bind(); });
  return gateway;
}

void HttpGateway::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

HttpGateway::~HttpGateway() { Stop(); }

}  // namespace patientqa::service
