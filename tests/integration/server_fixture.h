#pragma once

// The fixture of the integration tests: the real patientqa-index builds an index of the bundled
// corpus, and the real patientqa-server serves it on free gRPC and HTTP ports.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "health/health_check.h"
#include "patientqa/v1/patientqa.grpc.pb.h"
#include "tests/testing/test_util.h"

namespace patientqa::testing {

namespace fs = std::filesystem;

// A server on 127.0.0.1:0 over an index of the bundled corpus, logging at trace level.
// Subclasses may add server flags (tighter limits, the widget's web root) with ExtraFlags().
class ServerTest : public ::testing::Test {
 protected:
  virtual std::vector<std::string> ExtraFlags() const { return {}; }
  // How channel_ reaches the gRPC port (a TLS server needs TLS credentials).
  virtual std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials() const {
    return grpc::InsecureChannelCredentials();
  }

  void SetUp() override {
    index_ = dir_.path() / "index";
    const CommandResult built =
        RunCommand({PATIENTQA_INDEX_BIN, "--corpus", (SourceDir() / "corpus").string(), "--out",
                    index_.string()});
    ASSERT_EQ(built.exit_code, 0) << built.err;
    ASSERT_NE(built.out.find("indexed"), std::string::npos);
    log_ = dir_.path() / "server.log";
    const fs::path port_file = dir_.path() / "port";
    const fs::path http_port_file = dir_.path() / "http_port";
    std::vector<std::string> argv = {PATIENTQA_SERVER_BIN,
                                     "--index",
                                     index_.string(),
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--port_file",
                                     port_file.string(),
                                     "--reload_interval_ms",
                                     "200",
                                     "--shutdown_grace_ms",
                                     "300",
                                     "--http_listen",
                                     "127.0.0.1:0",
                                     "--http_port_file",
                                     http_port_file.string(),
                                     "--cors_origins",
                                     "https://hospital.example"};
    for (const std::string& flag : ExtraFlags()) argv.push_back(flag);
    server_ =
        std::make_unique<ChildProcess>(argv, log_, std::vector<std::string>{"SPDLOG_LEVEL=trace"});
    // Poll for the port, then for health: no fixed sleeps.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!fs::exists(port_file) && std::chrono::steady_clock::now() < deadline) {
      ASSERT_TRUE(server_->Running()) << ReadFile(log_);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(fs::exists(port_file)) << ReadFile(log_);
    address_ = "127.0.0.1:" + std::to_string(std::stoi(ReadFile(port_file)));
    http_port_ = std::stoi(ReadFile(http_port_file));
    channel_ = grpc::CreateChannel(address_, ChannelCredentials());
    stub_ = v1::PatientQA::NewStub(channel_);
    // The first call on a new channel can fail at once (UNAVAILABLE) on a loaded machine even
    // though the port is open: ask again until SERVING or the deadline.
    clients::HealthStatus health = clients::HealthStatus::kUnknown;
    while (std::chrono::steady_clock::now() < deadline) {
      health = clients::CheckHealth(channel_, "", std::chrono::seconds(5));
      if (health == clients::HealthStatus::kServing) break;
      ASSERT_TRUE(server_->Running()) << ReadFile(log_);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(health, clients::HealthStatus::kServing) << clients::HealthStatusName(health) << "\n"
                                                       << ReadFile(log_);
  }

  grpc::Status Ask(const v1::AskRequest& request, v1::AskResponse* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return stub_->Ask(&context, request, response);
  }

  v1::AskResponse AskOk(const std::string& question) {
    v1::AskRequest request;
    request.set_question(question);
    v1::AskResponse response;
    const grpc::Status status = Ask(request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  CommandResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), {PATIENTQA_CLI_BIN, "--server", address_});
    return RunCommand(args);
  }

  TempDir dir_;
  fs::path index_;
  fs::path log_;
  std::unique_ptr<ChildProcess> server_;
  std::string address_;
  int http_port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::PatientQA::Stub> stub_;
};

}  // namespace patientqa::testing
