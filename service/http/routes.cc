#include "service/http/routes.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "corpus/text.h"
#include "service/ask_handler.h"
#include "service/call_budget.h"
#include "service/library_handler.h"
#include "service/limits/rate_limiter.h"
#include "service/observability/observer.h"
#include "service/proto_mapping.h"

namespace patientqa::service {
namespace {

// Headers every response carries: nothing here may be sniffed, cached or leak a referrer.
void AddCommonHeaders(HttpResponse* res) {
  res->headers.emplace_back("X-Content-Type-Options", "nosniff");
  res->headers.emplace_back("Referrer-Policy", "no-referrer");
  const bool cache_set = std::any_of(res->headers.begin(), res->headers.end(),
                                     [](const auto& h) { return h.first == "Cache-Control"; });
  if (!cache_set) res->headers.emplace_back("Cache-Control", "no-store");  // answers are private
}

// JSON nesting deeper than this is refused before any parser sees it: an AskRequest needs two
// levels (the object and `history`), and protobuf's JSON parser takes time that grows faster
// than the depth for deeply nested arrays (50,000 brackets, 100 KB, held a core for minutes).
constexpr int kMaxJsonDepth = 8;

// Why `body` (valid UTF-8, without a byte order mark) cannot be a `Message` in JSON, judged on
// its shape alone: nesting deeper than kMaxJsonDepth, a top level that is not an object, or a
// repeated string field that is not an array of strings (protobuf's parser would read a lone
// `"history": "..."` as a one-turn list and flatten `[["..."]]`). Linear in the body's size
// before the depth is known to be small. nullopt when the shape is right, or when the body is not
// JSON at all (the message parser says why).
template <typename Message>
std::optional<std::string> FindJsonShapeFault(std::string_view body) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) {
        return absl::StrCat("JSON nested deeper than ", kMaxJsonDepth, " levels");
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  const size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] != '{') {
    return absl::StrCat("the body must be a JSON object (", Message::descriptor()->name(), ")");
  }
  google::protobuf::Struct json;
  if (!google::protobuf::util::JsonStringToMessage(body, &json).ok()) return std::nullopt;
  const google::protobuf::Descriptor* descriptor = Message::descriptor();
  for (int f = 0; f < descriptor->field_count(); ++f) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(f);
    if (!field->is_repeated() || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
      continue;
    }
    for (const std::string& key : {field->name(), field->json_name()}) {
      const auto found = json.fields().find(key);
      if (found == json.fields().end() || found->second.has_null_value()) continue;
      if (!found->second.has_list_value()) return absl::StrCat(key, " must be an array of strings");
      const auto& items = found->second.list_value().values();
      for (int n = 0; n < items.size(); ++n) {
        if (!items[n].has_string_value()) return absl::StrCat(key, "[", n, "] must be a string");
      }
    }
  }
  return std::nullopt;
}

// The widget's own files may only load scripts, styles and data from this server.
// How long an HTTP Ask may work: a browser behind the gateway's 10 s write timeout has stopped
// waiting by then.
constexpr std::chrono::seconds kAskDeadline{10};

constexpr char kWidgetCsp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

// `text` with invalid UTF-8 replaced, quotes and backslashes escaped and control characters
// turned into spaces: safe inside a JSON string.
std::string JsonEscape(std::string_view text) {
  std::string valid(text);
  while (auto bad = corpus::FindInvalidUtf8(valid)) {
    valid.replace(*bad, 1, "\xEF\xBF\xBD");
  }
  std::string out;
  out.reserve(valid.size());
  for (char c : valid) {
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

HttpResponse JsonMessage(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions print;
  print.preserve_proto_field_names = true;
  print.always_print_primitive_fields = true;
  HttpResponse res;
  if (!google::protobuf::util::MessageToJsonString(message, &res.body, print).ok()) {
    return ErrorResponse(absl::StatusCode::kInternal, "cannot encode the response");
  }
  return res;
}

// The handler's result as the API message `Proto`, or its error.
template <typename Proto, typename T>
HttpResponse Reply(const absl::StatusOr<T>& result) {
  if (!result.ok()) {
    return ErrorResponse(result.status().code(), std::string(result.status().message()));
  }
  Proto out;
  ToProto(*result, &out);
  return JsonMessage(out);
}

// The route a path belongs to, as a metrics label: a fixed set, never the path itself (an
// article id or a typo would make one series per request).
std::string RouteLabel(const std::string& path, bool metrics_only) {
  if (path == "/metrics" || path == "/healthz" || path == "/readyz") return path;
  if (metrics_only) return "other";
  if (path == "/v1/ask" || path == "/v1/articles" || path == "/v1/suggest") return path;
  if (path.rfind("/v1/articles/", 0) == 0) return "/v1/articles/{id}";
  if (path.rfind("/widget/", 0) == 0) return "/widget/";
  return "other";
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

absl::StatusOr<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || HexValue(s[i + 1]) < 0 || HexValue(s[i + 2]) < 0) {
        return absl::InvalidArgumentError(
            "the request path has a '%' not followed by two hex digits");
      }
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  if (out.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError("the request path must not contain NUL");
  }
  if (corpus::FindInvalidUtf8(out)) {
    return absl::InvalidArgumentError("the request path must be valid UTF-8");
  }
  return out;
}

std::string ContentTypeFor(const std::string& name) {
  const std::string ext = std::filesystem::path(name).extension().string();
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".json") return "application/json; charset=utf-8";
  return "";
}

}  // namespace

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

HttpResponse ErrorResponse(absl::StatusCode code, std::string_view message, int status) {
  HttpResponse res;
  res.status = status != 0 ? status : HttpStatusFor(code);
  res.body = absl::StrCat("{\"code\":\"", absl::StatusCodeToString(code), "\",\"message\":\"",
                          JsonEscape(message), "\"}");
  return res;
}

absl::StatusOr<ParsedTarget> ParseTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return absl::InvalidArgumentError("the request target must be an absolute path");
  }
  ParsedTarget parsed;
  const size_t question = target.find('?');
  absl::StatusOr<std::string> path = PercentDecode(target.substr(0, question), false);
  if (!path.ok()) return path.status();
  parsed.path = std::move(*path);
  if (question == std::string_view::npos) return parsed;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    absl::StatusOr<std::string> key = PercentDecode(pair.substr(0, eq), true);
    absl::StatusOr<std::string> value =
        PercentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!key.ok()) return key.status();
    if (!value.ok()) return value.status();
    if (!key->empty()) parsed.query[*key] = *value;
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return parsed;
}

HttpResponse HttpRoutes::Handle(const HttpRequest& request) const {
  const auto start = std::chrono::steady_clock::now();
  observability::Observer* observer = options_.services.observer;
  std::optional<observability::Observer::InFlight> in_flight;
  if (observer != nullptr) in_flight.emplace(observer, "http");
  HttpResponse res;
  std::optional<observability::AskSummary> ask;
  std::string question_hash;
  std::string route = "other";
  absl::StatusOr<ParsedTarget> target = ParseTarget(request.target);
  if (!target.ok()) {
    res = ErrorResponse(absl::StatusCode::kInvalidArgument, std::string(target.status().message()));
  } else {
    route = RouteLabel(target->path, options_.services.metrics_only);
    if (std::optional<HttpResponse> refused = Admit(request, *target)) {
      res = *std::move(refused);
    } else {
      res = Route(request, *target, &ask, &question_hash);
    }
  }
  // CORS: only for origins on the allow-list.
  const auto& origins = options_.allowed_origins;
  const bool any = std::find(origins.begin(), origins.end(), "*") != origins.end();
  if (!request.origin.empty() &&
      (any || std::find(origins.begin(), origins.end(), request.origin) != origins.end())) {
    res.headers.emplace_back("Access-Control-Allow-Origin", any ? "*" : request.origin);
    res.headers.emplace_back("Vary", "Origin");
    res.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    res.headers.emplace_back("Access-Control-Allow-Headers", "Content-Type");
    res.headers.emplace_back("Access-Control-Max-Age", "600");
  }
  AddCommonHeaders(&res);
  if (observer != nullptr) {
    observability::CallOutcome call;
    call.surface = "http";
    call.method = route;
    call.code = std::to_string(res.status);
    call.latency = std::chrono::steady_clock::now() - start;
    call.request_id = observer->NextRequestId();
    call.ask = ask ? &*ask : nullptr;
    call.question_hash = std::move(question_hash);
    observer->Record(call);
  }
  return res;
}

std::optional<HttpResponse> HttpRoutes::Admit(const HttpRequest& request,
                                              const ParsedTarget& target) const {
  RateLimiter* limiter = options_.services.limiter;
  if (limiter == nullptr || !limiter->enabled() || target.path.rfind("/v1/", 0) != 0 ||
      request.method == "OPTIONS") {
    return std::nullopt;
  }
  const RateLimiter::Decision d = limiter->Take(request.client);
  if (d.allowed) return std::nullopt;
  if (options_.services.observer != nullptr) {
    options_.services.observer->Rejected("http", "rate_limited");
  }
  const long seconds = d.RetryAfterSeconds();
  HttpResponse res = ErrorResponse(
      absl::StatusCode::kResourceExhausted,
      absl::StrCat("too many requests from this address; retry in ", seconds, " s"), 429);
  res.headers.emplace_back("Retry-After", std::to_string(seconds));
  return res;
}

HttpResponse HttpRoutes::Route(const HttpRequest& request, const ParsedTarget& target,
                               std::optional<observability::AskSummary>* summary,
                               std::string* question_hash) const {
  const std::string& path = target.path;
  const std::string& method = request.method;
  auto param = [&](const char* key) {
    auto it = target.query.find(key);
    return it == target.query.end() ? std::string() : it->second;
  };
  auto only = [&](std::initializer_list<const char*> allowed) -> std::optional<HttpResponse> {
    for (const char* m : allowed) {
      if (method == m || (method == "HEAD" && std::string(m) == "GET")) return std::nullopt;
    }
    // UNIMPLEMENTED, as gRPC-gateway answers a method a route does not have: the request is
    // not wrong in itself, this path just does not do it.
    HttpResponse res =
        ErrorResponse(absl::StatusCode::kUnimplemented,
                      absl::StrCat("method ", method, " is not allowed on ", path), 405);
    std::string allow;
    for (const char* m : allowed) absl::StrAppend(&allow, allow.empty() ? "" : ", ", m);
    res.headers.emplace_back("Allow", allow);
    return res;
  };
  if (method == "OPTIONS") {
    HttpResponse res;
    res.status = 204;
    res.content_type.clear();
    return res;
  }
  if (path == "/healthz" || path == "/readyz") {
    if (auto bad = only({"GET"})) return *bad;
    HttpResponse res;
    res.body = "{\"status\":\"SERVING\"}";
    if (path == "/readyz" && options_.services.ready && !options_.services.ready()) {
      res.status = 503;
      res.body = "{\"status\":\"NOT_SERVING\"}";
    }
    return res;
  }
  if (path == "/metrics" && options_.services.observer != nullptr) {
    if (auto bad = only({"GET"})) return *bad;
    HttpResponse res;
    res.content_type = "text/plain; version=0.0.4; charset=utf-8";
    res.body = options_.services.observer->RenderMetrics();
    return res;
  }
  if (options_.services.metrics_only) {
    return ErrorResponse(absl::StatusCode::kNotFound,
                         absl::StrCat("no route ", path, " on the metrics port"));
  }
  if (path == "/v1/ask") {
    if (auto bad = only({"POST"})) return *bad;
    if (!request.content_encoding.empty() && request.content_encoding != "identity") {
      return ErrorResponse(absl::StatusCode::kInvalidArgument,
                           "compressed request bodies are not accepted (Content-Encoding: "
                           "identity only)",
                           415);
    }
    if (auto bad = corpus::FindInvalidUtf8(request.body)) {
      return ErrorResponse(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("request body must be valid UTF-8 (invalid byte at offset ", *bad, ")"));
    }
    // A byte order mark is allowed before JSON text (RFC 8259, 8.1) and ignored.
    std::string_view body = request.body;
    if (body.rfind("\xEF\xBB\xBF", 0) == 0) body.remove_prefix(3);
    if (auto fault = FindJsonShapeFault<v1::AskRequest>(body)) {
      return ErrorResponse(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("request body is not a valid AskRequest in JSON: ", *fault));
    }
    v1::AskRequest ask;
    google::protobuf::util::JsonParseOptions parse;
    parse.ignore_unknown_fields = false;
    const auto parsed = google::protobuf::util::JsonStringToMessage(body, &ask, parse);
    if (!parsed.ok()) {
      // The parser's first line says what is wrong; the lines after it quote the body around
      // the fault, which may be the person's own words: they are not sent back.
      const std::string what(parsed.message());
      return ErrorResponse(absl::StatusCode::kInvalidArgument,
                           absl::StrCat("request body is not a valid AskRequest in JSON: ",
                                        what.substr(0, what.find('\n'))));
    }
    BudgetSlot slot(options_.services.budget);
    if (!slot.held()) {
      if (options_.services.observer != nullptr) {
        options_.services.observer->Rejected("http", "overload");
      }
      HttpResponse busy =
          ErrorResponse(absl::StatusCode::kUnavailable, std::string(slot.status().message()), 503);
      busy.headers.emplace_back("Retry-After", "1");
      return busy;
    }
    AskQuery query = FromProto(ask);
    // A browser waits no longer than the gateway's write timeout: stop working after that.
    query.deadline = std::chrono::steady_clock::now() + kAskDeadline;
    absl::StatusOr<AskResult> result = ask_->Ask(query);
    if (result.ok()) *summary = observability::Summarize(*result);
    *question_hash = observability::Observer::QuestionHash(query.question);
    return Reply<v1::AskResponse>(result);
  }
  if (path == "/v1/articles") {
    if (auto bad = only({"GET"})) return *bad;
    return Reply<v1::ListArticlesResponse>(library_->ListArticles(param("topic")));
  }
  if (path.rfind("/v1/articles/", 0) == 0 && path.size() > 13 &&
      path.find('/', 13) == std::string::npos) {
    if (auto bad = only({"GET"})) return *bad;
    return Reply<v1::Article>(library_->GetArticle(path.substr(13)));
  }
  if (path == "/v1/suggest") {
    if (auto bad = only({"GET"})) return *bad;
    int max = 0;
    if (const std::string raw = param("max_suggestions"); !raw.empty()) {
      if (raw.size() > 6 || !std::all_of(raw.begin(), raw.end(), ::isdigit)) {
        return ErrorResponse(absl::StatusCode::kInvalidArgument,
                             "max_suggestions must be 0..20 (0 means 5)");
      }
      max = std::stoi(raw);
    }
    return Reply<v1::SuggestResponse>(
        library_->Suggest(param("after_article_id"), param("topic"), max));
  }
  if (path.rfind("/widget/", 0) == 0 && !options_.web_root.empty()) {
    if (auto bad = only({"GET"})) return *bad;
    return StaticFile(path.substr(8));
  }
  return ErrorResponse(absl::StatusCode::kNotFound, absl::StrCat("no route ", path));
}

HttpResponse HttpRoutes::StaticFile(const std::string& name) const {
  // One plain file name: no directories, no dot files, a known type, at most 1 MiB.
  const bool plain =
      !name.empty() && name.front() != '.' && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
      });
  const std::string type = plain ? ContentTypeFor(name) : "";
  const std::filesystem::path file = std::filesystem::path(options_.web_root) / name;
  std::error_code ec;
  if (type.empty() || !std::filesystem::is_regular_file(file, ec) ||
      std::filesystem::file_size(file, ec) > (1u << 20)) {
    return ErrorResponse(absl::StatusCode::kNotFound, absl::StrCat("no file /widget/", name));
  }
  std::ifstream in(file, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  HttpResponse res;
  res.content_type = type;
  res.body = content.str();
  // Range requests are ignored: the whole (small) file is always sent, once.
  res.headers.emplace_back("Content-Security-Policy", kWidgetCsp);
  res.headers.emplace_back("Cache-Control", "public, max-age=300");
  return res;
}

}  // namespace patientqa::service
