// The HTTP port faces the internet: each test sends one kind of hostile or odd input to the real
// server and asserts the bounded behaviour (status code, time, memory) and that it keeps serving.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "corpus/text.h"
#include "tests/integration/server_fixture.h"
#include "tests/testing/http_client.h"

namespace patientqa::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

constexpr long kMemorySlackKib = 48 * 1024;  // what a bounded attack may add to peak memory

class HttpLimitsTest : public ServerTest {
 protected:
  std::vector<std::string> ExtraFlags() const override {
    return {"--web_root",
            (SourceDir() / "clients" / "web").string(),
            "--http_header_timeout_ms",
            "1000",
            "--http_body_timeout_ms",
            "1000"};
  }

  long PeakKib() const { return ReadProcessMemory(server_->pid()).peak_kib; }

  // /healthz answers 200, and how long it took.
  milliseconds HealthzTime() {
    const auto start = Clock::now();
    auto res = HttpClient(http_port_).Get("/healthz");
    EXPECT_TRUE(res && res->status == 200);
    return std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  }

  // Sends `head`, then `piece` over and over (from another thread) until `total` bytes are sent
  // or the server stops reading; returns what the server answered and how much was sent.
  std::pair<std::string, size_t> Flood(const std::string& head, const std::string& piece,
                                       size_t total) {
    RawConnection c(http_port_);
    EXPECT_TRUE(c.connected());
    std::atomic<size_t> sent{0};
    std::thread sender([&] {
      if (!c.Send(head)) return;
      while (sent < total && c.Send(piece)) sent += piece.size();
    });
    std::string answer = c.ReadAll(seconds(20));
    sender.join();
    return {answer, sent.load()};
  }

  // With `cap` connections open, one more is told to come back later (503, Retry-After); once
  // they are closed, the client is served again.
  void ExpectConnectionCap(int cap) {
    std::vector<std::unique_ptr<RawConnection>> open;
    for (int i = 0; i < cap; ++i) {
      open.push_back(std::make_unique<RawConnection>(http_port_));
      ASSERT_TRUE(open.back()->connected());
    }
    std::this_thread::sleep_for(milliseconds(50));
    RawConnection extra(http_port_);
    ASSERT_TRUE(extra.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    const std::string answer = extra.ReadAll(seconds(3));
    EXPECT_EQ(StatusOf(answer), 503) << answer.substr(0, 200);
    EXPECT_NE(answer.find("Retry-After: 1"), std::string::npos);
    ExpectJsonError(BodyOf(answer));
    open.clear();
    bool served = false;
    for (int i = 0; i < 50 && !served; ++i) {
      auto res = HttpClient(http_port_).Get("/healthz");
      served = res && res->status == 200;
      if (!served) std::this_thread::sleep_for(milliseconds(20));
    }
    EXPECT_TRUE(served);
  }

  // The body of a raw response.
  static std::string BodyOf(const std::string& raw) {
    const size_t at = raw.find("\r\n\r\n");
    return at == std::string::npos ? "" : raw.substr(at + 4);
  }

  // An error body is valid UTF-8 JSON with `code` and `message`.
  static void ExpectJsonError(const std::string& body) {
    EXPECT_FALSE(corpus::FindInvalidUtf8(body).has_value()) << body;
    google::protobuf::Struct parsed;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(body, &parsed).ok()) << body;
    EXPECT_TRUE(parsed.fields().contains("code")) << body;
    EXPECT_TRUE(parsed.fields().contains("message")) << body;
  }
};

TEST_F(HttpLimitsTest, AHugeChunkedBodyIsRefusedAsItArrives) {
  const long before = PeakKib();
  const std::string chunk = "10000\r\n" + std::string(0x10000, 'a') + "\r\n";
  auto [answer, sent] = Flood(
      "POST /v1/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n",
      chunk, size_t{300} << 20);
  EXPECT_EQ(StatusOf(answer), 413) << answer.substr(0, 200);
  EXPECT_NE(BodyOf(answer).find("at most 262144 bytes"), std::string::npos);
  ExpectJsonError(BodyOf(answer));
  EXPECT_LT(sent, size_t{64} << 20) << "the server kept reading";
  EXPECT_LT(PeakKib() - before, kMemorySlackKib);
  EXPECT_LT(HealthzTime(), seconds(2));
}

TEST_F(HttpLimitsTest, AContentLengthOverTheLimitIsRefusedBeforeTheBody) {
  RawConnection c(http_port_);
  ASSERT_TRUE(c.Send("POST /v1/ask HTTP/1.1\r\nHost: x\r\nContent-Length: 314572800\r\n\r\n{"));
  const std::string answer = c.ReadAll(seconds(5));
  EXPECT_EQ(StatusOf(answer), 413);
  ExpectJsonError(BodyOf(answer));
}

TEST_F(HttpLimitsTest, AnEndlessRequestLineIsRefused) {
  const long before = PeakKib();
  auto [answer, sent] = Flood("GET /", std::string(1 << 16, 'a'), size_t{200} << 20);
  EXPECT_EQ(StatusOf(answer), 431) << answer.substr(0, 200);
  ExpectJsonError(BodyOf(answer));
  EXPECT_LT(sent, size_t{64} << 20);
  EXPECT_LT(PeakKib() - before, kMemorySlackKib);
  EXPECT_LT(HealthzTime(), seconds(2));
}

TEST_F(HttpLimitsTest, TooManyOrTooLargeHeadersAreRefused) {
  std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 65; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  RawConnection a(http_port_);
  ASSERT_TRUE(a.Send(many + "\r\n"));
  std::string answer = a.ReadAll(seconds(5));
  EXPECT_EQ(StatusOf(answer), 431);
  EXPECT_NE(BodyOf(answer).find("at most 64 header fields"), std::string::npos);
  ExpectJsonError(BodyOf(answer));

  RawConnection b(http_port_);
  ASSERT_TRUE(
      b.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'b') + "\r\n\r\n"));
  answer = b.ReadAll(seconds(5));
  EXPECT_EQ(StatusOf(answer), 431);
  ExpectJsonError(BodyOf(answer));
}

TEST_F(HttpLimitsTest, SlowClientsTimeOutAndDoNotStarveOthers) {
  // Eight clients send a header line every 200 ms and never finish (slowloris).
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 8; ++i) {
    slow.push_back(std::make_unique<RawConnection>(http_port_));
    ASSERT_TRUE(slow.back()->Send("POST /v1/ask HTTP/1.1\r\nHost: x\r\n"));
  }
  std::atomic<bool> stop{false};
  std::thread dripper([&] {
    for (int k = 0; !stop && k < 25; ++k) {
      for (auto& c : slow) c->Send("X-Drip-" + std::to_string(k) + ": 1\r\n");
      std::this_thread::sleep_for(milliseconds(200));
    }
  });
  // Meanwhile /healthz answers at once, every time.
  for (int i = 0; i < 5; ++i) {
    EXPECT_LT(HealthzTime(), milliseconds(500));
    std::this_thread::sleep_for(milliseconds(100));
  }
  // Each slow client is answered 408 once its second to send the header is up.
  const auto start = Clock::now();
  for (auto& c : slow) {
    const std::string answer = c->ReadAll(seconds(5));
    EXPECT_EQ(StatusOf(answer), 408) << answer.substr(0, 200);
  }
  EXPECT_LT(Clock::now() - start, seconds(3));
  stop = true;
  dripper.join();
}

// A header read is many socket reads, and a timeout that falls between two of them must not be
// lost: clients dripping a byte every few milliseconds are each told 408 soon after their second.
TEST_F(HttpLimitsTest, ClientsDrippingAByteAtATimeStillTimeOut) {
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 8; ++i) {
    slow.push_back(std::make_unique<RawConnection>(http_port_));
    ASSERT_TRUE(slow.back()->Send("GET /healthz HTTP/1.1\r\nX-Drip: "));
  }
  std::atomic<bool> stop{false};
  std::thread dripper([&] {
    for (int k = 0; !stop && k < 2000; ++k) {  // at most 10 s
      for (auto& c : slow) c->Send("a");
      std::this_thread::sleep_for(milliseconds(5));
    }
  });
  const auto start = Clock::now();
  int told = 0;
  for (auto& c : slow) told += StatusOf(c->ReadResponse(seconds(6))) == 408;
  EXPECT_EQ(told, 8);
  EXPECT_LT(Clock::now() - start, seconds(6));
  stop = true;
  dripper.join();
}

TEST_F(HttpLimitsTest, ABodyThatNeverArrivesTimesOut) {
  RawConnection c(http_port_);
  const auto start = Clock::now();
  ASSERT_TRUE(c.Send("POST /v1/ask HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"q"));
  const std::string answer = c.ReadAll(seconds(5));
  EXPECT_EQ(StatusOf(answer), 408);
  ExpectJsonError(BodyOf(answer));
  EXPECT_LT(Clock::now() - start, seconds(3));
}

TEST_F(HttpLimitsTest, AnIdleConnectionIsClosedWithoutAnswer) {
  RawConnection c(http_port_);
  EXPECT_TRUE(c.ClosedWithin(seconds(3)));
}

TEST_F(HttpLimitsTest, ConnectionsPerClientAreCapped) { ExpectConnectionCap(16); }

TEST_F(HttpLimitsTest, RangeIsIgnoredAndTheFileIsSentOnce) {
  const std::string file = ReadFile(SourceDir() / "clients" / "web" / "patientqa-widget.js");
  std::string ranges = "bytes=0-";
  for (int i = 1; i < 2000; ++i) ranges += ",0-";
  // 2,000 overlapping ranges fit in a 6 KiB header; eight such requests at once.
  const long before = PeakKib();
  std::vector<std::thread> clients;
  std::atomic<int> full{0};
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&] {
      auto res = HttpClient(http_port_).Get("/widget/patientqa-widget.js", {{"Range", ranges}});
      if (res && res->status == 200 && res->body == file && !res->has_header("Content-Range")) {
        ++full;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(full, 8);
  EXPECT_LT(PeakKib() - before, kMemorySlackKib);
}

TEST_F(HttpLimitsTest, WidgetFilesCarrySecurityHeaders) {
  auto res = HttpClient(http_port_).Get("/widget/patientqa-widget.js");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->get_header_value("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_FALSE(res->get_header_value("Referrer-Policy").empty());
  // And no file outside the web root, however the path is spelled.
  for (const char* path : {"/widget/../CMakeLists.txt", "/widget/%2e%2e/CMakeLists.txt",
                           "/widget/..%2fCMakeLists.txt", "/widget/.hidden"}) {
    auto bad = HttpClient(http_port_).Get(path);
    ASSERT_TRUE(bad) << path;
    EXPECT_TRUE(bad->status == 404 || bad->status == 400) << path << " " << bad->status;
    ExpectJsonError(bad->body);
  }
}

TEST_F(HttpLimitsTest, AJsonBodySentAsAFormIsAnswered) {
  // What `curl -d` sends: 8.5 KB of JSON with a form content type.
  std::string history;
  for (int i = 0; i < 9; ++i) {
    history += std::string(i ? "," : "") + "\"" + std::string(950, 'a') + " liver\"";
  }
  const std::string body =
      R"({"question": "Can liver metastases be removed?", "history": [)" + history + "]}";
  ASSERT_GT(body.size(), 8500u);
  auto res = HttpClient(http_port_).Post("/v1/ask", body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body.substr(0, 300);
  EXPECT_NE(res->body.find("\"answered\":true"), std::string::npos);
}

TEST_F(HttpLimitsTest, AHistoryThatIsNotAListIsRefusedNamingTheField) {
  // protobuf's JSON parser would read a lone string as a one-turn history; the API says a list.
  const auto ask_with_history = [this](const std::string& history) {
    return HttpClient(http_port_)
        .Post("/v1/ask",
              R"({"question": "How long is recovery from that?", "history": )" + history + "}",
              "application/json");
  };
  for (const std::string history : {R"("my liver tumours might be operable")", "{}", "7"}) {
    SCOPED_TRACE(history);
    auto res = ask_with_history(history);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << res->body;
    ExpectJsonError(res->body);
    EXPECT_NE(res->body.find("history"), std::string::npos) << res->body;
  }
  // Turns that are not strings are named too, not flattened or skipped.
  for (const auto& [history, field] : std::vector<std::pair<std::string, std::string>>{
           {R"([["I am on FOLFOX"]])", "history[0]"}, {R"(["a", null])", "history[1]"}}) {
    auto res = ask_with_history(history);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << res->body;
    EXPECT_NE(res->body.find(field + " must be a string"), std::string::npos) << res->body;
  }
  for (const std::string history : {"[]", "null", R"(["my liver tumours might be operable"])"}) {
    auto res = ask_with_history(history);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << history << " " << res->body.substr(0, 300);
  }
}

TEST_F(HttpLimitsTest, DeeplyNestedJsonIsRefusedAtOnceAndOthersAreStillServed) {
  // 50,000 brackets (100 KB) once held a core for minutes inside the JSON parser.
  const std::string deep = R"({"question":"hi","history":)" + std::string(50000, '[') + "\"x\"" +
                           std::string(50000, ']') + "}";
  std::vector<std::thread> senders;
  std::vector<int> statuses(4, 0);
  for (int i = 0; i < 4; ++i) {
    senders.emplace_back([&, i] {
      auto res = HttpClient(http_port_).Post("/v1/ask", deep, "application/json");
      if (res) statuses[i] = res->status;
    });
  }
  for (std::thread& t : senders) t.join();
  for (int status : statuses) EXPECT_EQ(status, 400);
  auto res = HttpClient(http_port_).Post("/v1/ask", deep, "application/json");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("nested deeper than"), std::string::npos) << res->body.substr(0, 300);
  EXPECT_LT(HealthzTime(), seconds(1));
}

TEST_F(HttpLimitsTest, ABodyThatIsNotAnObjectIsToldSoAndAByteOrderMarkIsIgnored) {
  for (const std::string body : {"[1,2]", R"("hi")", "null"}) {
    auto res = HttpClient(http_port_).Post("/v1/ask", body, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << body;
    EXPECT_NE(res->body.find("must be a JSON object"), std::string::npos) << res->body;
  }
  auto bom =
      HttpClient(http_port_)
          .Post("/v1/ask", "\xEF\xBB\xBF{\"question\": \"What is an MDT?\"}", "application/json");
  ASSERT_TRUE(bom);
  EXPECT_EQ(bom->status, 200) << bom->body.substr(0, 300);
}

TEST_F(HttpLimitsTest, AValidChunkedBodyIsAnswered) {
  RawConnection c(http_port_);
  const std::string json = R"({"question": "What is an MDT?"})";
  char size[16];
  std::snprintf(size, sizeof size, "%zx", json.size());
  ASSERT_TRUE(c.Send(std::string("POST /v1/ask HTTP/1.1\r\nHost: x\r\nConnection: close\r\n") +
                     "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + size +
                     "\r\n" + json + "\r\n0\r\n\r\n"));
  const std::string answer = c.ReadAll(seconds(5));
  EXPECT_EQ(StatusOf(answer), 200) << answer.substr(0, 300);
  EXPECT_NE(answer.find("multidisciplinary"), std::string::npos);
}

TEST_F(HttpLimitsTest, BadMethodsPathsAndBytesGetJsonErrors) {
  struct Case {
    std::string request;
    int status;
  };
  const std::vector<Case> cases = {
      {"TRACE /v1/ask HTTP/1.1\r\nHost: x\r\n\r\n", 405},
      {"DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 405},
      {"GET /v1/articles/%00x HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"GET /v1/articles/%FF%FE HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"GET /v1/articles/%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"GET /v1/articles/caf\xC3 HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {std::string("GET /he") + '\0' + "lthz HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http\r\n\r\n", 400},
      {"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", 400},
      {"POST /v1/ask HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}",
       415},
      {"POST /v1/ask HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n{}", 400},
      // From the reliability probe: garbage, and a POST with no length (and so no body), are
      // client errors answered at once, never a 500 or a wait.
      {"GARBAGE\r\n\r\n", 400},
      {"POST /v1/ask HTTP/1.1\r\nHost: x\r\n\r\n", 400},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.request.substr(0, 40));
    RawConnection conn(http_port_);
    ASSERT_TRUE(conn.Send(c.request));
    const std::string answer = conn.ReadResponse(seconds(3));
    EXPECT_EQ(StatusOf(answer), c.status) << answer.substr(0, 300);
    ExpectJsonError(BodyOf(answer));
    if (c.status == 405) {
      EXPECT_NE(answer.find("Allow: "), std::string::npos);
      EXPECT_NE(answer.find("\"code\":\"UNIMPLEMENTED\""), std::string::npos) << answer;
    } else {
      EXPECT_NE(answer.find("\"code\":\"INVALID_ARGUMENT\""), std::string::npos) << answer;
    }
  }
  EXPECT_LT(HealthzTime(), seconds(1));
}

class HttpSmallCapsTest : public HttpLimitsTest {
 protected:
  std::vector<std::string> ExtraFlags() const override {
    return {"--http_max_connections", "4", "--http_threads", "1"};
  }
};

TEST_F(HttpSmallCapsTest, TotalConnectionsAreCapped) { ExpectConnectionCap(4); }

}  // namespace
}  // namespace patientqa::testing
