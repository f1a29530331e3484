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

ABSL_FLAG(std::string, index, "var/index", "Index directory written by patientqa-index");
ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "gRPC address HOST:PORT (port 0: any free port)");
ABSL_FLAG(std::string, port_file, "", "If set, write the gRPC port here once serving");
ABSL_FLAG(int, shutdown_grace_ms, 5000,
          "On SIGINT/SIGTERM, how long calls in flight (and idle client connections) may take to "
          "finish before they are cancelled");
ABSL_FLAG(int, reload_interval_ms, 2000,
          "How often to check for a rebuilt index and switch to it (0: never)");

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
  auto server = patientqa::service::Server::Start(options);
  if (!server.ok()) {
    spdlog::error("cannot start: {}", std::string(server.status().message()));
    return 1;
  }
  spdlog::info("serving gRPC on port {}", (*server)->port());
  if (const std::string port_file = absl::GetFlag(FLAGS_port_file); !port_file.empty()) {
    const std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << (*server)->port() << "\n";
    std::rename(tmp.c_str(), port_file.c_str());
  }
  int sig = 0;
  sigwait(&stop_signals, &sig);
  spdlog::info("signal {} received, shutting down", sig);
  (*server)->Shutdown(std::chrono::milliseconds(absl::GetFlag(FLAGS_shutdown_grace_ms)));
  spdlog::info("stopped");
  return 0;
}
