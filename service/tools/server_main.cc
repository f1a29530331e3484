// patientqa-server: serves the PatientQA gRPC API from an index built by patientqa-index.
#include <signal.h>
#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/server.h"
#include "service/tls_files.h"

ABSL_FLAG(std::string, index, "var/index", "Index directory written by patientqa-index");
ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "gRPC address HOST:PORT (port 0: any free port)");
ABSL_FLAG(std::string, port_file, "", "If set, write the gRPC port here once serving");
ABSL_FLAG(int, shutdown_grace_ms, 5000,
          "On SIGINT/SIGTERM, how long calls in flight (and idle client connections) may take to "
          "finish before they are cancelled");
ABSL_FLAG(std::string, http_listen, "",
          "HTTP/JSON address HOST:PORT for browsers (POST /v1/ask, /healthz, /readyz); empty: off");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate chain, the server's certificate first: serve gRPC over TLS and the HTTP "
          "port over HTTPS only (TLS 1.2 or later; see --http_tls). Needs --tls_key");
ABSL_FLAG(std::string, tls_key, "", "Unencrypted PEM private key of the --tls_cert certificate");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA certificate(s): gRPC requires a client certificate signed by one of them "
          "(mutual TLS; needs --tls_cert). The HTTP port never asks for one");
ABSL_FLAG(std::string, http_tls, "auto",
          "auto: the HTTP port serves HTTPS only whenever --tls_cert is set; off: plain HTTP "
          "even then (for a TLS-terminating proxy on the loopback interface)");
ABSL_FLAG(std::string, web_root, "",
          "Directory served under /widget/ on the HTTP port (the chat widget: clients/web)");
ABSL_FLAG(std::string, http_port_file, "", "If set, write the HTTP port here once serving");
ABSL_FLAG(std::vector<std::string>, cors_origins, {},
          "Comma-separated origins allowed to call the HTTP API from a browser ('*': any)");
ABSL_FLAG(int, max_calls, 256,
          "gRPC calls worked on at once (open Chat streams count); more get RESOURCE_EXHAUSTED");
ABSL_FLAG(int, grpc_max_message_bytes, 1 << 20, "Largest gRPC request message accepted");
ABSL_FLAG(int, grpc_max_streams_per_connection, 32,
          "HTTP/2 concurrent streams allowed on one gRPC connection");
ABSL_FLAG(int, grpc_min_ping_interval_ms, 30000,
          "A client pinging more often than this (without data) gets a strike; two strikes "
          "close its connection");
ABSL_FLAG(int, grpc_max_connection_idle_ms, 5 * 60 * 1000,
          "A gRPC connection with no call for this long is closed");
ABSL_FLAG(int, grpc_max_connection_age_ms, 2 * 60 * 60 * 1000,
          "Every gRPC connection is closed after this long (bounds a Chat stream's life)");
ABSL_FLAG(int, grpc_max_connection_age_grace_ms, 10 * 60 * 1000,
          "Time calls in flight get to finish when a connection reaches its maximum age");
ABSL_FLAG(int, http_max_body_bytes, 256 * 1024,
          "Largest HTTP request body, whatever its transfer encoding (413 above)");
ABSL_FLAG(int, http_max_header_bytes, 8 * 1024,
          "Largest HTTP request line plus headers (431 above)");
ABSL_FLAG(int, http_header_timeout_ms, 5000,
          "Time a client has to send a request's headers (408 after); over HTTPS the TLS "
          "handshake counts against the first request's time");
ABSL_FLAG(int, http_body_timeout_ms, 10000, "Time a client has to send a request's body");
ABSL_FLAG(int, http_max_connections, 256, "Open HTTP connections in total (503 above)");
ABSL_FLAG(int, http_max_connections_per_client, 16,
          "Open HTTP connections from one client address (503 above)");
ABSL_FLAG(int, http_threads, 4, "HTTP worker threads");
ABSL_FLAG(int, answer_cache_entries, 1000,
          "Answers to repeated questions kept in memory, keyed by a keyed hash (0: no cache)");
ABSL_FLAG(int, reload_interval_ms, 2000,
          "How often to check for a rebuilt index and switch to it (0: never; SIGHUP switches at "
          "once)");
ABSL_FLAG(std::string, access_log, "off",
          "Access log, one JSON line per call with no question text: off, stderr, or a file path "
          "(appended; rotate with logrotate copytruncate)");
ABSL_FLAG(int, gap_report_min_group, 10,
          "Content-gap report: smallest group of questions shown (k-anonymity)");
ABSL_FLAG(std::string, admin_token_file, "",
          "File holding the bearer token of the admin service (or set PATIENTQA_ADMIN_TOKEN); "
          "without one, admin calls get UNAVAILABLE");
ABSL_FLAG(std::string, admin_listen, "",
          "Address HOST:PORT for the admin service alone; empty: on the gRPC port");
ABSL_FLAG(std::string, admin_port_file, "", "If set, write the admin port here once serving");
ABSL_FLAG(std::string, corpus, "",
          "Corpus folder the admin Reindex call rebuilds from (articles/, questions/, clinical/); "
          "empty: Reindex can only reopen");
ABSL_FLAG(std::string, metrics_listen, "",
          "Address HOST:PORT serving only /metrics, /healthz and /readyz (for a private network); "
          "/metrics is also on the HTTP port");
ABSL_FLAG(std::string, metrics_port_file, "", "If set, write the metrics port here once serving");
ABSL_FLAG(double, rate_limit_per_second, 0,
          "Calls per second each client may make on average (per API key, else per address; "
          "gRPC PatientQA calls and HTTP /v1/ routes); 0: no limit");
ABSL_FLAG(double, rate_limit_burst, 20, "Calls a client may make at once before the rate applies");
ABSL_FLAG(std::string, api_keys_file, "",
          "File of API keys ('KEY' or 'NAME KEY' per line): when set, every gRPC PatientQA call "
          "needs one in the metadata x-api-key");
ABSL_FLAG(int, worker_threads, 0,
          "Threads that answer gRPC questions, apart from gRPC's own (0: one per core); keeps "
          "health checks and refusals quick under overload");
ABSL_FLAG(int, drain_ms, 0,
          "On SIGTERM, how long health says NOT_SERVING before the server stops taking calls "
          "(within --shutdown_grace_ms)");

namespace {

// Written atomically, so a reader polling for the file never sees half a number.
void WritePortFile(const std::string& path, int port) {
  if (path.empty()) return;
  const std::string tmp = path + ".tmp";
  std::ofstream(tmp) << port << "\n";
  std::rename(tmp.c_str(), path.c_str());
}

// Every flag may also come from the environment as PATIENTQA_<FLAG NAME IN CAPITALS> (for
// example PATIENTQA_HTTP_LISTEN=0.0.0.0:8080). The command line wins over the environment, and
// the environment over --flagfile and the defaults. Returns false (after logging which variable)
// when a value does not parse.
bool ApplyEnvironment(const std::vector<std::string>& given) {
  for (const auto& [name, flag] : absl::GetAllFlags()) {
    if (!absl::StrContains(flag->Filename(), "server_main")) continue;
    if (std::find(given.begin(), given.end(), std::string(name)) != given.end()) continue;
    const std::string variable = absl::StrCat("PATIENTQA_", absl::AsciiStrToUpper(name));
    const char* value = std::getenv(variable.c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      spdlog::error("{}: {}", variable, error);
      return false;
    }
  }
  return true;
}

// The flag names given on the command line (as --name=value, --name value or --noname).
std::vector<std::string> CommandLineFlags(int argc, char** argv) {
  std::vector<std::string> names;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg.substr(0, 2) != "--") continue;
    arg.remove_prefix(2);
    arg = arg.substr(0, arg.find('='));
    names.emplace_back(arg);
    if (arg.substr(0, 2) == "no") names.emplace_back(arg.substr(2));
  }
  return names;
}

std::string ReadSecret(const std::string& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  if (!in) return "";
  return std::string(absl::StripAsciiWhitespace(content.str()));
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves the PatientQA API.\n  patientqa-server --index DIR --listen HOST:PORT\n"
      "Every flag may also be set as PATIENTQA_<FLAG_NAME> in the environment, or in a file "
      "given with --flagfile.\nLog level from SPDLOG_LEVEL (info by default). Stops cleanly "
      "on SIGINT or SIGTERM; SIGHUP switches to a rebuilt index.");
  const std::vector<std::string> given = CommandLineFlags(argc, argv);
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  spdlog::set_default_logger(spdlog::stderr_color_mt("patientqa"));
  spdlog::cfg::load_env_levels();
  if (!ApplyEnvironment(given)) return 2;
  if (args.size() > 1) {
    spdlog::error("unexpected argument '{}' (see --help)", args[1]);
    return 2;
  }
  // Block the stop signals in every thread; main waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  patientqa::service::ServerOptions options;
  options.index = absl::GetFlag(FLAGS_index);
  options.listen = absl::GetFlag(FLAGS_listen);
  options.reload_interval = std::chrono::milliseconds(absl::GetFlag(FLAGS_reload_interval_ms));
  options.answer_cache_entries = absl::GetFlag(FLAGS_answer_cache_entries);
  options.access_log = absl::GetFlag(FLAGS_access_log);
  options.gap_report_min_group = absl::GetFlag(FLAGS_gap_report_min_group);
  options.admin_listen = absl::GetFlag(FLAGS_admin_listen);
  options.corpus = absl::GetFlag(FLAGS_corpus);
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  options.rate_limit.rate = absl::GetFlag(FLAGS_rate_limit_per_second);
  options.rate_limit.burst = absl::GetFlag(FLAGS_rate_limit_burst);
  options.api_keys_file = absl::GetFlag(FLAGS_api_keys_file);
  options.drain = std::chrono::milliseconds(absl::GetFlag(FLAGS_drain_ms));
  options.worker_threads = absl::GetFlag(FLAGS_worker_threads);
  if (const std::string file = absl::GetFlag(FLAGS_admin_token_file); !file.empty()) {
    options.admin_token = ReadSecret(file);
    if (options.admin_token.empty()) {
      spdlog::error("--admin_token_file: cannot read a token from {}", file);
      return 2;
    }
  } else if (const char* token = std::getenv("PATIENTQA_ADMIN_TOKEN"); token != nullptr) {
    options.admin_token = std::string(absl::StripAsciiWhitespace(token));
  }
  if (!options.admin_token.empty() && options.admin_token.size() < 16) {
    spdlog::error("the admin token must be at least 16 characters");
    return 2;
  }
  options.http.listen = absl::GetFlag(FLAGS_http_listen);
  options.http.allowed_origins = absl::GetFlag(FLAGS_cors_origins);
  options.http.web_root = absl::GetFlag(FLAGS_web_root);
  options.grpc.max_calls = absl::GetFlag(FLAGS_max_calls);
  options.grpc.max_receive_bytes = absl::GetFlag(FLAGS_grpc_max_message_bytes);
  options.grpc.max_concurrent_streams = absl::GetFlag(FLAGS_grpc_max_streams_per_connection);
  options.grpc.min_ping_interval =
      std::chrono::milliseconds(absl::GetFlag(FLAGS_grpc_min_ping_interval_ms));
  options.grpc.max_connection_idle =
      std::chrono::milliseconds(absl::GetFlag(FLAGS_grpc_max_connection_idle_ms));
  options.grpc.max_connection_age =
      std::chrono::milliseconds(absl::GetFlag(FLAGS_grpc_max_connection_age_ms));
  options.grpc.max_connection_age_grace =
      std::chrono::milliseconds(absl::GetFlag(FLAGS_grpc_max_connection_age_grace_ms));
  for (auto [name, value] :
       {std::pair{"--http_max_body_bytes", absl::GetFlag(FLAGS_http_max_body_bytes)},
        std::pair{"--http_max_header_bytes", absl::GetFlag(FLAGS_http_max_header_bytes)},
        std::pair{"--http_header_timeout_ms", absl::GetFlag(FLAGS_http_header_timeout_ms)},
        std::pair{"--http_body_timeout_ms", absl::GetFlag(FLAGS_http_body_timeout_ms)}}) {
    if (value < 1) {
      spdlog::error("{} must be at least 1, got {}", name, value);
      return 2;
    }
  }
  options.http.max_body_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_http_max_body_bytes));
  options.http.max_header_bytes = static_cast<size_t>(absl::GetFlag(FLAGS_http_max_header_bytes));
  options.http.header_timeout =
      std::chrono::milliseconds(absl::GetFlag(FLAGS_http_header_timeout_ms));
  options.http.body_timeout = std::chrono::milliseconds(absl::GetFlag(FLAGS_http_body_timeout_ms));
  options.http.max_connections = absl::GetFlag(FLAGS_http_max_connections);
  options.http.max_connections_per_client = absl::GetFlag(FLAGS_http_max_connections_per_client);
  options.http.worker_threads = absl::GetFlag(FLAGS_http_threads);
  if (absl::GetFlag(FLAGS_tls_cert).empty() != absl::GetFlag(FLAGS_tls_key).empty()) {
    spdlog::error("--tls_cert and --tls_key go together");
    return 2;
  }
  if (absl::GetFlag(FLAGS_tls_cert).empty() && !absl::GetFlag(FLAGS_tls_client_ca).empty()) {
    spdlog::error("--tls_client_ca needs --tls_cert and --tls_key");
    return 2;
  }
  const std::string http_tls = absl::GetFlag(FLAGS_http_tls);
  if (http_tls != "auto" && http_tls != "off") {
    spdlog::error("--http_tls must be auto or off, got '{}'", http_tls);
    return 2;
  }
  options.http_tls = http_tls == "auto";
  // Checked with OpenSSL here, so that a wrong file is named before gRPC or the gateway see it.
  absl::StatusOr<patientqa::service::TlsPem> tls =
      patientqa::service::LoadTlsFiles({absl::GetFlag(FLAGS_tls_cert), absl::GetFlag(FLAGS_tls_key),
                                        absl::GetFlag(FLAGS_tls_client_ca)});
  if (!tls.ok()) {
    spdlog::error("cannot start: {}", std::string(tls.status().message()));
    return 1;
  }
  for (const std::string& warning : tls->warnings) spdlog::warn("{}", warning);
  options.tls_cert_pem = std::move(tls->cert_chain);
  options.tls_key_pem = std::move(tls->private_key);
  options.tls_client_ca_pem = std::move(tls->client_ca);
  auto server = patientqa::service::Server::Start(options);
  if (!server.ok()) {
    spdlog::error("cannot start: {}", std::string(server.status().message()));
    return 1;
  }
  const bool tls_on = !options.tls_cert_pem.empty();
  spdlog::info("serving gRPC on port {} ({})", (*server)->port(),
               !tls_on                             ? "plaintext"
               : options.tls_client_ca_pem.empty() ? "TLS"
                                                   : "TLS, client certificates required");
  if ((*server)->http_port() > 0) {
    spdlog::info("serving {} on port {}", tls_on && options.http_tls ? "HTTPS" : "HTTP",
                 (*server)->http_port());
  }
  if ((*server)->metrics_port() > 0) {
    spdlog::info("serving metrics on port {}", (*server)->metrics_port());
  }
  WritePortFile(absl::GetFlag(FLAGS_http_port_file), (*server)->http_port());
  WritePortFile(absl::GetFlag(FLAGS_metrics_port_file), (*server)->metrics_port());
  WritePortFile(absl::GetFlag(FLAGS_admin_port_file), (*server)->admin_port());
  WritePortFile(absl::GetFlag(FLAGS_port_file), (*server)->port());
  int sig = 0;
  while (sigwait(&stop_signals, &sig) == 0 && sig == SIGHUP) {
    spdlog::info("SIGHUP: switching to a rebuilt index if there is one");
    (void)(*server)->Reopen();  // errors are logged and leave the old index serving
  }
  spdlog::info("signal {} received, draining", sig);
  (*server)->Shutdown(std::chrono::milliseconds(absl::GetFlag(FLAGS_shutdown_grace_ms)));
  spdlog::info("stopped");
  return 0;
}
