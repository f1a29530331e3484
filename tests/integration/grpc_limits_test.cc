// The gRPC port is reached from phones over the internet: compression, message size, the
// concurrency budget, keepalive abuse and connection age are each bounded, and health checks
// still answer SERVING while the service is at its limit.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <thread>

#include "tests/integration/server_fixture.h"

namespace patientqa::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class GrpcLimitsTest : public ServerTest {
 protected:
  std::vector<std::string> ExtraFlags() const override { return {"--max_calls", "2"}; }

  long PeakKib() const { return ReadProcessMemory(server_->pid()).peak_kib; }

  // A Chat stream that has answered one turn (so the server holds it open).
  struct OpenChat {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReaderWriter<v1::ChatRequest, v1::ChatResponse>> stream;
  };
  std::unique_ptr<OpenChat> StartChat(v1::PatientQA::Stub* stub) {
    auto chat = std::make_unique<OpenChat>();
    chat->stream = stub->Chat(&chat->context);
    v1::ChatRequest request;
    request.set_question("What is an MDT?");
    v1::ChatResponse response;
    EXPECT_TRUE(chat->stream->Write(request));
    EXPECT_TRUE(chat->stream->Read(&response));
    return chat;
  }
};

TEST_F(GrpcLimitsTest, ACompressedRequestIsRefusedWithoutBeingInflated) {
  const long before = PeakKib();
  v1::AskRequest request;
  request.set_question(std::string(size_t{100} << 20, 'a'));  // 100 MiB: gzip makes it ~100 KiB
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + seconds(30));
  context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
  v1::AskResponse response;
  const grpc::Status status = stub_->Ask(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED) << status.error_message();
  EXPECT_LT(PeakKib() - before, 32 * 1024) << "the server inflated the request";
  // Deflate too, and a small compressed request: identity only.
  v1::AskRequest small;
  small.set_question("What is an MDT?");
  grpc::ClientContext deflate;
  deflate.set_compression_algorithm(GRPC_COMPRESS_DEFLATE);
  EXPECT_EQ(stub_->Ask(&deflate, small, &response).error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_TRUE(AskOk("What is an MDT?").answered());
}

TEST_F(GrpcLimitsTest, AnOversizedMessageIsRefused) {
  v1::AskRequest request;
  request.set_question(std::string(2 << 20, 'a'));
  v1::AskResponse response;
  const grpc::Status status = Ask(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_TRUE(AskOk("What is an MDT?").answered());
}

TEST_F(GrpcLimitsTest, OverTheCallBudgetCallsAreRefusedAndHealthStillServes) {
  // Two open Chat streams fill a budget of two calls.
  auto first = StartChat(stub_.get());
  auto second = StartChat(stub_.get());
  v1::AskRequest request;
  request.set_question("What is an MDT?");
  v1::AskResponse response;
  grpc::Status status = Ask(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("limit of 2 calls"), std::string::npos)
      << status.error_message();
  grpc::ClientContext third_context;
  auto third = stub_->Chat(&third_context);
  v1::ChatResponse ignored;
  third->Read(&ignored);
  EXPECT_EQ(third->Finish().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(clients::CheckHealth(channel_, "patientqa.v1.PatientQA", seconds(5)),
            clients::HealthStatus::kServing);
  // A closed stream gives its slot back.
  first->stream->WritesDone();
  EXPECT_TRUE(first->stream->Finish().ok());
  bool answered = false;
  for (int i = 0; i < 100 && !answered; ++i) {
    answered = Ask(request, &response).ok();
    if (!answered) std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_TRUE(answered);
  second->stream->WritesDone();
  EXPECT_TRUE(second->stream->Finish().ok());
}

TEST_F(GrpcLimitsTest, AChatStreamHasATurnLimit) {
  grpc::ClientContext context;
  auto stream = stub_->Chat(&context);
  v1::ChatRequest request;
  request.set_question("What is an MDT?");
  v1::ChatResponse response;
  int answered = 0;
  while (stream->Write(request) && stream->Read(&response)) ++answered;
  EXPECT_EQ(answered, 200);
  const grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("at most 200 turns"), std::string::npos);
}

TEST_F(GrpcLimitsTest, APastDeadlineIsNotWorkedOn) {
  v1::AskRequest request;
  request.set_question("What is an MDT?");
  v1::AskResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() - seconds(1));
  EXPECT_EQ(stub_->Ask(&context, request, &response).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_TRUE(AskOk("What is an MDT?").answered());
}

TEST_F(GrpcLimitsTest, AClientThatPingsTooOftenIsDisconnected) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 50);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 1000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  args.SetInt(GRPC_ARG_HTTP2_MIN_SENT_PING_INTERVAL_WITHOUT_DATA_MS, 10);
  auto channel = grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(), args);
  auto stub = v1::PatientQA::NewStub(channel);
  grpc::ClientContext context;
  auto stream = stub->Chat(&context);
  v1::ChatRequest request;
  request.set_question("What is an MDT?");
  v1::ChatResponse response;
  ASSERT_TRUE(stream->Write(request) && stream->Read(&response));
  // Pings every 50 ms against a 30 s minimum: strikes, then GOAWAY and the connection closes,
  // long before its maximum idle time or age.
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(stream->Read(&response));
  const grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_NE(status.error_message().find("pings"), std::string::npos) << status.error_message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(15));
}

class GrpcConnectionLimitsTest : public GrpcLimitsTest {
 protected:
  std::vector<std::string> ExtraFlags() const override {
    return {"--grpc_max_connection_age_ms", "800", "--grpc_max_connection_age_grace_ms", "400"};
  }
};

TEST_F(GrpcConnectionLimitsTest, AStreamLivesNoLongerThanItsConnectionsMaximumAge) {
  auto chat = StartChat(stub_.get());
  std::this_thread::sleep_for(milliseconds(2000));
  v1::ChatRequest request;
  request.set_question("can they operate?");
  v1::ChatResponse response;
  const bool more = chat->stream->Write(request) && chat->stream->Read(&response);
  EXPECT_FALSE(more);
  EXPECT_EQ(chat->stream->Finish().error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(AskOk("What is an MDT?").answered());  // a new connection is fine
}

}  // namespace
}  // namespace patientqa::testing
