// TLS on both ports of the real server, with a throwaway CA made by the openssl command: HTTPS
// on the HTTP port under the same limits as plain HTTP, gRPC with client certificates (mutual
// TLS), and start-up errors that name the flag and the file of a wrong certificate or key.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <thread>

#include "corpus/text.h"
#include "patientqa/v1/patientqa.grpc.pb.h"
#include "tests/integration/server_fixture.h"
#include "tests/testing/http_client.h"
#include "tests/testing/test_pki.h"
#include "tests/testing/test_util.h"

namespace patientqa::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

constexpr char kNoOpenssl[] =
    "the openssl command is not on PATH: TLS tests make their throwaway CA with it";

// The body of a raw response.
std::string BodyOf(const std::string& raw) {
  const size_t at = raw.find("\r\n\r\n");
  return at == std::string::npos ? "" : raw.substr(at + 4);
}

// An error body is valid UTF-8 JSON with `code` and `message`.
void ExpectJsonError(const std::string& body) {
  EXPECT_FALSE(corpus::FindInvalidUtf8(body).has_value()) << body;
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(body, &parsed).ok()) << body;
  EXPECT_TRUE(parsed.fields().contains("code")) << body;
  EXPECT_TRUE(parsed.fields().contains("message")) << body;
}

std::shared_ptr<grpc::ChannelCredentials> GrpcTls(const fs::path& ca, const fs::path& cert = {},
                                                  const fs::path& key = {}) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFile(ca);
  if (!cert.empty()) {
    ssl.pem_cert_chain = ReadFile(cert);
    ssl.pem_private_key = ReadFile(key);
  }
  return grpc::SslCredentials(ssl);
}

// The server with --tls_cert/--tls_key (gRPC over TLS, HTTPS only on the HTTP port) and
// --tls_client_ca (gRPC requires a client certificate from the test CA); tight HTTP limits.
class TlsServerTest : public ServerTest {
 protected:
  void SetUp() override {
    if (FindOpenssl().empty()) GTEST_SKIP() << kNoOpenssl;
    const std::string error = MakeTestPki(dir_.path() / "pki", &pki_);
    ASSERT_EQ(error, "");
    WriteFile(dir_.path() / "admin-token", "tls-test-admin-token\n");
    ServerTest::SetUp();
  }

  std::vector<std::string> ExtraFlags() const override {
    return {"--tls_cert",
            pki_.server_cert.string(),
            "--tls_key",
            pki_.server_key.string(),
            "--tls_client_ca",
            pki_.ca_cert.string(),
            "--http_header_timeout_ms",
            "1000",
            "--http_body_timeout_ms",
            "1000",
            "--http_max_connections_per_client",
            "4",
            "--admin_token_file",
            (dir_.path() / "admin-token").string(),
            "--admin_listen",
            "127.0.0.1:0",
            "--admin_port_file",
            (dir_.path() / "admin-port").string()};
  }

  std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials() const override {
    return GrpcTls(pki_.ca_cert, pki_.client_cert, pki_.client_key);
  }

  TlsClientOptions Tls() const { return TlsClientOptions{pki_.ca_cert.string()}; }
  HttpClient Https() const { return HttpClient(http_port_, Tls()); }

  // The gRPC status of an Ask over a channel with `credentials`.
  grpc::StatusCode AskWith(std::shared_ptr<grpc::ChannelCredentials> credentials) {
    auto stub = v1::PatientQA::NewStub(grpc::CreateChannel(address_, credentials));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + seconds(5));
    v1::AskRequest request;
    request.set_question("what is an MDT?");
    v1::AskResponse response;
    return stub->Ask(&context, request, &response).error_code();
  }

  bool HttpsHealthy() {
    auto res = Https().Get("/healthz");
    return res && res->status == 200;
  }

  TestPki pki_;
};

TEST_F(TlsServerTest, HttpsAskAndHealthzRoundTripWithTheServerVerifiedAgainstTheCa) {
  auto health = Https().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_NE(health->body.find("SERVING"), std::string::npos) << health->body;

  auto res = Https().Post("/v1/ask", R"({"question": "what is an MDT?"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body.substr(0, 300);
  v1::AskResponse over_https;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(res->body, &over_https).ok())
      << res->body.substr(0, 300);
  const v1::AskResponse over_grpc = AskOk("what is an MDT?");
  ASSERT_GT(over_grpc.passages_size(), 0);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(over_https, over_grpc));

  // The certificate also names localhost (checked as a DNS name, sent as SNI).
  TlsClientOptions by_name = Tls();
  by_name.verify_host = "localhost";
  auto named = HttpClient(http_port_, by_name).Get("/healthz");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->status, 200);

  // The client really verifies: another CA, or another name, and it refuses the server.
  TlsClientOptions wrong_ca = Tls();
  wrong_ca.ca_file = pki_.other_ca_cert.string();
  EXPECT_FALSE(HttpClient(http_port_, wrong_ca).Get("/healthz"));
  TlsClientOptions wrong_name = Tls();
  wrong_name.verify_host = "qa.hospital.example";
  EXPECT_FALSE(HttpClient(http_port_, wrong_name).Get("/healthz"));
}

TEST_F(TlsServerTest, PlainHttpToTheHttpsPortIsToldToUseHttpsAndTheServerKeepsServing) {
  // A plain request is not served; it gets a plain 400 saying why.
  auto plain = HttpClient(http_port_).Get("/healthz");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 400) << plain->body;
  EXPECT_NE(plain->body.find("HTTPS only"), std::string::npos) << plain->body;
  ExpectJsonError(plain->body);
  auto post = HttpClient(http_port_)
                  .Post("/v1/ask", R"({"question": "what is an MDT?"})", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 400) << post->body.substr(0, 300);
  EXPECT_EQ(post->body.find("multidisciplinary"), std::string::npos);

  // Bytes that are neither HTTP nor TLS: the connection is closed, without an answer.
  RawConnection junk(http_port_);
  ASSERT_TRUE(junk.Send(std::string(64, '\x7f') + "\r\n\r\n"));
  EXPECT_EQ(junk.ReadAll(seconds(5)), "");

  EXPECT_TRUE(server_->Running());
  EXPECT_TRUE(HttpsHealthy());
}

TEST_F(TlsServerTest, AClientThatConnectsAndNeverHandshakesIsDroppedAtTheHeaderTimeout) {
  const auto start = Clock::now();
  RawConnection silent(http_port_);
  ASSERT_TRUE(silent.connected());
  EXPECT_TRUE(silent.ClosedWithin(seconds(5)));
  EXPECT_GE(Clock::now() - start, milliseconds(900)) << "dropped before its time was up";
  EXPECT_LT(Clock::now() - start, seconds(4));

  // Half a ClientHello, then nothing: dropped too.
  RawConnection stalled(http_port_);
  ASSERT_TRUE(stalled.Send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)));
  EXPECT_EQ(stalled.ReadAll(seconds(5)), "");
  EXPECT_TRUE(stalled.ClosedWithin(milliseconds(100)));

  EXPECT_TRUE(HttpsHealthy());
}

TEST_F(TlsServerTest, AHeaderThatNeverEndsOverHttpsGets408) {
  RawConnection c(http_port_, Tls());
  ASSERT_TRUE(c.connected()) << c.tls_error();
  const auto start = Clock::now();
  ASSERT_TRUE(c.Send("POST /v1/ask HTTP/1.1\r\nHost: x\r\n"));
  const std::string answer = c.ReadAll(seconds(5));
  EXPECT_EQ(StatusOf(answer), 408) << answer.substr(0, 300);
  ExpectJsonError(BodyOf(answer));
  EXPECT_LT(Clock::now() - start, seconds(3));
}

TEST_F(TlsServerTest, SizeLimitsHoldOverHttps) {
  RawConnection big_body(http_port_, Tls());
  ASSERT_TRUE(big_body.connected()) << big_body.tls_error();
  ASSERT_TRUE(
      big_body.Send("POST /v1/ask HTTP/1.1\r\nHost: x\r\nContent-Length: 314572800\r\n\r\n{"));
  std::string answer = big_body.ReadAll(seconds(5));
  EXPECT_EQ(StatusOf(answer), 413) << answer.substr(0, 300);
  EXPECT_NE(BodyOf(answer).find("at most 262144 bytes"), std::string::npos);
  ExpectJsonError(BodyOf(answer));

  RawConnection big_header(http_port_, Tls());
  ASSERT_TRUE(big_header.connected()) << big_header.tls_error();
  ASSERT_TRUE(big_header.Send(
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'b') + "\r\n\r\n"));
  answer = big_header.ReadAll(seconds(5));
  EXPECT_EQ(StatusOf(answer), 431) << answer.substr(0, 300);
  ExpectJsonError(BodyOf(answer));

  EXPECT_TRUE(HttpsHealthy());
}

TEST_F(TlsServerTest, ConnectionsPerClientAreCappedOverHttps) {
  // A handshake completes only once the server has accepted, and counted, the connection.
  std::vector<std::unique_ptr<RawConnection>> open;
  for (int i = 0; i < 4; ++i) {
    open.push_back(std::make_unique<RawConnection>(http_port_, Tls()));
    ASSERT_TRUE(open.back()->connected()) << open.back()->tls_error();
  }
  RawConnection extra(http_port_, Tls());
  ASSERT_TRUE(extra.connected()) << extra.tls_error();
  ASSERT_TRUE(extra.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string answer = extra.ReadAll(seconds(3));
  EXPECT_EQ(StatusOf(answer), 503) << answer.substr(0, 300);
  EXPECT_NE(answer.find("Retry-After: 1"), std::string::npos);
  ExpectJsonError(BodyOf(answer));
  open.clear();
  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    served = HttpsHealthy();
    if (!served) std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_TRUE(served);
}

TEST_F(TlsServerTest, GrpcRequiresAClientCertificateSignedByTheClientCa) {
  EXPECT_TRUE(AskOk("what is an MDT?").answered());  // channel_ presents the test client's cert
  EXPECT_EQ(AskWith(GrpcTls(pki_.ca_cert)), grpc::StatusCode::UNAVAILABLE)
      << "no client certificate";
  EXPECT_EQ(AskWith(GrpcTls(pki_.ca_cert, pki_.other_client_cert, pki_.other_client_key)),
            grpc::StatusCode::UNAVAILABLE)
      << "a client certificate from another CA";
  EXPECT_EQ(AskWith(grpc::InsecureChannelCredentials()), grpc::StatusCode::UNAVAILABLE)
      << "plaintext";
  // The HTTP port asks browsers for no certificate (Https() presents none).
  EXPECT_TRUE(HttpsHealthy());
  EXPECT_TRUE(server_->Running());
}

TEST_F(TlsServerTest, TheAdminPortRequiresTheSameClientCertificate) {
  const std::string admin =
      "127.0.0.1:" + std::to_string(std::stoi(ReadFile(dir_.path() / "admin-port")));
  const std::string token = (dir_.path() / "admin-token").string();
  CommandResult r =
      RunCommand({PATIENTQA_CLI_BIN, "--server", admin, "--ca", pki_.ca_cert.string(), "--cert",
                  pki_.client_cert.string(), "--key", pki_.client_key.string(), "admin",
                  "--token-file", token, "status"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("index_version"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"tls_client_ca\": \"on\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"http_tls\": \"on\""), std::string::npos) << r.out;
  r = RunCommand({PATIENTQA_CLI_BIN, "--server", admin, "--ca", pki_.ca_cert.string(), "--timeout",
                  "3", "admin", "--token-file", token, "status"});
  EXPECT_EQ(r.exit_code, 1) << "no client certificate: " << r.out;
  EXPECT_NE(r.err.find("UNAVAILABLE"), std::string::npos) << r.err;
  r = RunCommand({PATIENTQA_CLI_BIN, "--server", admin, "--timeout", "3", "admin", "--token-file",
                  token, "status"});
  EXPECT_EQ(r.exit_code, 1) << "plaintext: " << r.out;
}

TEST_F(TlsServerTest, CliPresentsAClientCertificateWithCertAndKey) {
  CommandResult r = Cli({"--ca", pki_.ca_cert.string(), "--cert", pki_.client_cert.string(),
                         "--key", pki_.client_key.string(), "ask", "what is an MDT?"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Answer:"), std::string::npos);

  r = Cli({"--ca", pki_.ca_cert.string(), "--timeout", "3", "ask", "what is an MDT?"});
  EXPECT_EQ(r.exit_code, 1) << "no client certificate: " << r.out;
  EXPECT_NE(r.err.find("UNAVAILABLE"), std::string::npos) << r.err;

  r = Cli({"--ca", pki_.ca_cert.string(), "--cert", pki_.client_cert.string(), "health"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--cert and --key go together"), std::string::npos) << r.err;

  r = Cli({"--ca", pki_.ca_cert.string(), "--cert", pki_.client_cert.string(), "--key",
           (dir_.path() / "missing.key").string(), "health"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--key: cannot read"), std::string::npos) << r.err;
}

// --http_tls=off: gRPC keeps TLS, the HTTP port speaks plain HTTP (for a proxy on loopback).
class HttpTlsOffTest : public TlsServerTest {
 protected:
  std::vector<std::string> ExtraFlags() const override {
    std::vector<std::string> flags = TlsServerTest::ExtraFlags();
    flags.push_back("--http_tls=off");
    return flags;
  }
};

TEST_F(HttpTlsOffTest, TheHttpPortSpeaksPlainHttpWhileGrpcKeepsTls) {
  auto plain = HttpClient(http_port_).Get("/healthz");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 200);
  EXPECT_FALSE(Https().Get("/healthz"));
  EXPECT_TRUE(AskOk("what is an MDT?").answered());
  EXPECT_EQ(AskWith(grpc::InsecureChannelCredentials()), grpc::StatusCode::UNAVAILABLE);
}

// Start-up with wrong TLS files: exit non-zero with one line naming the flag and the file,
// before the index is opened or a port is bound.
TEST(TlsStartTest, WrongTlsFilesExitNonZeroNamingTheFlagAndTheFile) {
  if (FindOpenssl().empty()) GTEST_SKIP() << kNoOpenssl;
  TempDir dir;
  TestPki pki;
  ASSERT_EQ(MakeTestPki(dir.path() / "pki", &pki), "");
  const std::string not_pem = (dir.path() / "not-pem.pem").string();
  WriteFile(not_pem, "this is not a certificate\n");
  const std::string missing = (dir.path() / "missing.pem").string();
  const std::string cert = pki.server_cert.string();
  const std::string key = pki.server_key.string();
  struct Case {
    std::vector<std::string> flags;
    int exit_code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--tls_cert", cert, "--tls_key", pki.client_key.string()},
       1,
       "--tls_key " + pki.client_key.string() + " does not match the certificate in --tls_cert " +
           cert},
      {{"--tls_cert", missing, "--tls_key", key},
       1,
       "--tls_cert " + missing + " cannot be read: No such file or directory"},
      {{"--tls_cert", not_pem, "--tls_key", key},
       1,
       "--tls_cert " + not_pem + " holds no PEM certificate"},
      {{"--tls_cert", cert, "--tls_key", not_pem}, 1, "--tls_key " + not_pem + " holds no PEM"},
      {{"--tls_cert", cert, "--tls_key", key, "--tls_client_ca", key},
       1,
       "--tls_client_ca " + key + " holds no PEM certificate"},
      {{"--tls_cert", cert, "--tls_key", key, "--tls_client_ca", missing},
       1,
       "--tls_client_ca " + missing + " cannot be read"},
      {{"--tls_client_ca", pki.ca_cert.string()}, 2, "--tls_client_ca needs --tls_cert"},
      {{"--tls_cert", cert}, 2, "--tls_cert and --tls_key go together"},
      {{"--tls_cert", cert, "--tls_key", key, "--http_tls", "on"},
       2,
       "--http_tls must be auto or off"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> argv = {
        PATIENTQA_SERVER_BIN, "--index",     (dir.path() / "no-index").string(),
        "--listen",           "127.0.0.1:0", "--http_listen",
        "127.0.0.1:0"};
    argv.insert(argv.end(), c.flags.begin(), c.flags.end());
    SCOPED_TRACE(c.message);
    const CommandResult r = RunCommand(argv);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("cannot listen"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("no-index"), std::string::npos) << "checked before the index: " << r.err;
  }
}

}  // namespace
}  // namespace patientqa::testing
