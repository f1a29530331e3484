// patientqa-server: serves the PatientQA gRPC API from an index built by patientqa-index.
#include <signal.h>
#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
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
          "How often to check for a rebuilt index and switch to it (0: never)");

namespace {

// Written atomically, so a reader polling for the file never sees half a number.
void WritePortFile(const std::string& path, int port) {
  if (path.empty()) return;
  const std::string tmp = path + ".tmp";
  std::ofstream(tmp) << port << "\n";
  std::rename(tmp.c_str(), path.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Serves the PatientQA API.\n  patientqa-server --index DIR --listen HOST:PORT\n"
      "Log level from SPDLOG_LEVEL (info by default). Stops cleanly on SIGINT or SIGTERM.");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  spdlog::set_default_logger(spdlog::stderr_color_mt("patientqa"));
  spdlog::cfg::load_env_levels();
  if (args.size() > 1) {
    spdlog::error("unexpected argument '{}' (see --help)", args[1]);
    return 2;
  }
  // Block the stop signals in every thread; main waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  patientqa::service::ServerOptions options;
  options.index = absl::GetFlag(FLAGS_index);
  options.listen = absl::GetFlag(FLAGS_listen);
  options.reload_interval = std::chrono::milliseconds(absl::GetFlag(FLAGS_reload_interval_ms));
  options.answer_cache_entries = absl::GetFlag(FLAGS_answer_cache_entries);
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
  WritePortFile(absl::GetFlag(FLAGS_http_port_file), (*server)->http_port());
  WritePortFile(absl::GetFlag(FLAGS_port_file), (*server)->port());
  int sig = 0;
  sigwait(&stop_signals, &sig);
  spdlog::info("signal {} received, shutting down", sig);
  (*server)->Shutdown(std::chrono::milliseconds(absl::GetFlag(FLAGS_shutdown_grace_ms)));
  spdlog::info("stopped");
  return 0;
}
