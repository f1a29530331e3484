// Starts the real patientqa-index, patientqa-server and patientqa binaries and talks to the
// server over a real gRPC channel.
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <set>
#include <sstream>
#include <thread>

#include "health/health_check.h"
#include "patientqa/v1/patientqa.grpc.pb.h"
#include "tests/integration/server_fixture.h"
#include "tests/testing/http_client.h"
#include "tests/testing/test_util.h"

namespace patientqa {
namespace {

namespace fs = std::filesystem;
using testing::ChildProcess;
using testing::CommandResult;
using testing::ReadFile;
using testing::RunCommand;
using testing::ServerTest;
using testing::SourceDir;
using testing::TempDir;
using testing::WriteFile;

TEST_F(ServerTest, SeedPassageOnBloodBorneSpreadRanksFirstOrSecondWithFullCitation) {
  const v1::AskResponse r = AskOk("Where does colon cancer spread first?");
  ASSERT_TRUE(r.answered());
  ASSERT_GE(r.passages_size(), 2);
  int rank = -1;
  for (int i = 0; i < 2; ++i) {
    if (r.passages(i).text().find("first reach the liver") != std::string::npos) rank = i;
  }
  ASSERT_GE(rank, 0) << r.DebugString();
  const v1::Citation& c = r.passages(rank).citation();
  EXPECT_EQ(c.article_id(), "mondo-colorectal-metastasis-mdt");
  EXPECT_EQ(c.title(), "What should I do if colorectal cancer metastasizes?");
  EXPECT_EQ(c.publisher(), "Mondo Health");
  EXPECT_EQ(c.updated(), "2024-02-12");
  EXPECT_FALSE(c.url().empty());
  EXPECT_EQ(c.section(), "Blood metastasis");
  EXPECT_EQ(c.reviewed(), "2026-11-30");
  EXPECT_TRUE(r.passages(rank).text().rfind("Blood metastasis: After intestinal cancer", 0) == 0);
  EXPECT_FALSE(r.index_version().empty());
  EXPECT_NE(r.answer().find("[1]"), std::string::npos);
}

TEST_F(ServerTest, InvalidQuestionsGetInvalidArgumentAndTheServerKeepsServing) {
  struct Case {
    std::string question;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", "question must be 1..4000 characters, got 0"},
      {std::string(5000, 'a'), "question must be 1..4000 characters, got 5000"},
      {"liver \xFF\xFE", "question must be valid UTF-8"},
  };
  for (const Case& c : cases) {
    v1::AskRequest request;
    request.set_question(c.question);
    v1::AskResponse response;
    const grpc::Status status = Ask(request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.message;
    EXPECT_NE(status.error_message().find(c.message), std::string::npos) << status.error_message();
  }
  EXPECT_TRUE(server_->Running());
  EXPECT_EQ(clients::CheckHealth(channel_, "patientqa.v1.PatientQA", std::chrono::seconds(5)),
            clients::HealthStatus::kServing);
  EXPECT_TRUE(AskOk("what is an MDT?").answered());
}

TEST_F(ServerTest, CliPrintsAnswerAndCitationsAndJson) {
  CommandResult r = Cli({"ask", "Where does colon cancer spread first?"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Answer:"), std::string::npos);
  EXPECT_NE(r.out.find("[1] "), std::string::npos);
  EXPECT_NE(r.out.find("Mondo Health, updated 2024-02-12"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Section: Blood metastasis"), std::string::npos);

  r = Cli({"ask", "--json", "--history", "my cancer spread to the liver", "can it be removed?"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  v1::AskResponse parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &parsed).ok()) << r.out;
  EXPECT_NE(r.out.find("\"index_version\""), std::string::npos);  // proto field names kept
  EXPECT_NE(r.out.find("\"article_id\""), std::string::npos);
  ASSERT_GT(parsed.passages_size(), 0);

  r = Cli({"ask", ""});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("INVALID_ARGUMENT: question must be 1..4000 characters, got 0"),
            std::string::npos)
      << r.err;

  r = Cli({"health"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "SERVING\n");

  r = RunCommand({PATIENTQA_CLI_BIN, "--server", "127.0.0.1:1", "--timeout", "2", "ask", "hi"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("UNAVAILABLE"), std::string::npos) << r.err;

  r = Cli({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST_F(ServerTest, BrokenCorpusFailsTheBuildWithFileAndLineAndTheOldIndexKeepsServing) {
  const std::string version_before = AskOk("liver surgery").index_version();
  const fs::path corpus = dir_.path() / "corpus";
  fs::copy(SourceDir() / "corpus", corpus, fs::copy_options::recursive);
  const fs::path broken = corpus / "articles" / "what-is-an-mdt.md";
  std::string text = ReadFile(broken);
  const size_t title = text.find("title:");
  text.erase(title, text.find('\n', title) + 1 - title);
  testing::WriteFile(broken, text);

  const CommandResult r =
      RunCommand({PATIENTQA_INDEX_BIN, "--corpus", corpus.string(), "--out", index_.string()});
  EXPECT_EQ(r.exit_code, 1);
  const std::string expected = broken.string() + ":";
  EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(": missing required field 'title'"), std::string::npos) << r.err;

  EXPECT_TRUE(server_->Running());
  EXPECT_EQ(AskOk("liver surgery").index_version(), version_before);
  // A new server on the same path opens the old index too.
  const CommandResult cli = Cli({"ask", "what is an MDT?"});
  EXPECT_EQ(cli.exit_code, 0);
}

TEST_F(ServerTest, QuestionAndHistoryTextNeverReachTheLog) {
  v1::AskRequest request;
  request.set_question("Quokkaword xylophonia, has my liver cancer spread?");
  request.add_history("Marmaladine is what my aunt calls her chemo");
  v1::AskResponse response;
  ASSERT_TRUE(Ask(request, &response).ok());
  request.set_question("Quokkaword \xFF invalid");
  ASSERT_FALSE(Ask(request, &response).ok());
  // One character over the 4,000-character limit (kMaxQuestionChars in service/ask_handler.h).
  request.set_question(std::string(3991, 'Z') + "quokkaword");
  ASSERT_FALSE(Ask(request, &response).ok());
  patientqa::testing::HttpClient http(http_port_);
  ASSERT_TRUE(http.Post("/v1/ask",
                        R"({"question": "Quokkaword over HTTP", "history": ["Marmaladine"]})",
                        "application/json"));
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  const std::string log = ReadFile(log_);
  EXPECT_NE(log.find("ask id=1"), std::string::npos) << "trace logging did not run:\n" << log;
  for (const char* secret : {"Quokkaword", "quokkaword", "xylophonia", "Marmaladine", "ZZZZZZ"}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " leaked into:\n" << log;
  }
}

TEST_F(ServerTest, StopsCleanlyOnSigint) {
  EXPECT_TRUE(AskOk("what is an MDT?").answered());
  EXPECT_EQ(server_->Stop(SIGINT), 0);
  EXPECT_NE(ReadFile(log_).find("stopped"), std::string::npos);
}

TEST_F(ServerTest, PicksUpARebuiltIndexWithoutRestart) {
  const std::string before = AskOk("liver surgery").index_version();
  const CommandResult r = RunCommand({PATIENTQA_INDEX_BIN, "--corpus",
                                      (SourceDir() / "corpus").string(), "--out", index_.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::string after = before;
  while (after == before && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    after = AskOk("liver surgery").index_version();
  }
  EXPECT_NE(after, before);
}

TEST_F(ServerTest, HttpAskReturnsTheSameAnswerAsGrpc) {
  patientqa::testing::HttpClient http(http_port_);
  auto res = http.Post("/v1/ask", R"({"question": "what is an MDT?"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  v1::AskResponse over_http;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(res->body, &over_http).ok()) << res->body;
  EXPECT_NE(res->body.find("\"index_version\""), std::string::npos);
  const v1::AskResponse over_grpc = AskOk("what is an MDT?");
  ASSERT_GT(over_grpc.passages_size(), 0);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(over_http, over_grpc))
      << over_http.DebugString() << "\nvs\n"
      << over_grpc.DebugString();
}

TEST_F(ServerTest, TriageLevelAndCategoryReachEveryFrontEnd) {
  // gRPC: the new level and the category (new field numbers, nothing renumbered).
  const v1::AskResponse amber = AskOk("My skin has gone yellow and I feel itchy");
  EXPECT_EQ(amber.safety().level(), v1::SafetyNotice::LEVEL_CONTACT_TEAM);
  EXPECT_EQ(amber.safety().category(), "jaundice");
  EXPECT_TRUE(amber.answered());
  const v1::AskResponse red = AskOk("My stoma has turned black today");
  EXPECT_EQ(red.safety().level(), v1::SafetyNotice::LEVEL_URGENT);
  EXPECT_EQ(red.safety().category(), "stoma-emergency");
  // HTTP/JSON: the same notice.
  patientqa::testing::HttpClient http(http_port_);
  auto res = http.Post("/v1/ask", R"({"question": "My skin has gone yellow and I feel itchy"})",
                       "application/json");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("\"level\":\"LEVEL_CONTACT_TEAM\""), std::string::npos) << res->body;
  EXPECT_NE(res->body.find("\"category\":\"jaundice\""), std::string::npos) << res->body;
  // CLI: printed first, and distinct from an emergency.
  CommandResult cli = Cli({"ask", "My skin has gone yellow and I feel itchy"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(cli.out.rfind("** Contact your cancer team today ** (jaundice)", 0), 0u) << cli.out;
  cli = Cli({"ask", "My stoma has turned black today"});
  EXPECT_EQ(cli.out.rfind("!! URGENT: get help now !! (stoma-emergency)", 0), 0u) << cli.out;
  // Another language: the note with the emergency numbers, never an English refusal.
  const v1::AskResponse other = AskOk("我父亲在做化疗，今天发烧38.8度");
  EXPECT_FALSE(other.answered());
  EXPECT_EQ(other.safety().category(), "other-language");
  EXPECT_NE(other.answer().find("999"), std::string::npos);
  EXPECT_NE(other.answer().find("\xE7\xB4\xA7\xE6\x80\xA5"), std::string::npos);  // 紧急
}

TEST_F(ServerTest, PinnedPassagesAreMarkedInEveryFrontEnd) {
  // The bundled pin (corpus/clinical/pinned-answers.txt), built into the index by patientqa-index.
  const char* question = "What should I do if I have a fever during chemotherapy?";
  const v1::AskResponse over_grpc = AskOk(question);
  ASSERT_GE(over_grpc.passages_size(), 3);
  EXPECT_EQ(over_grpc.passages(0).passage_id(), "fever-during-chemotherapy#4");
  EXPECT_TRUE(over_grpc.passages(0).pinned());
  EXPECT_TRUE(over_grpc.passages(1).pinned());
  EXPECT_FALSE(over_grpc.passages(2).pinned());
  EXPECT_FALSE(AskOk("what is an MDT?").passages(0).pinned());
  patientqa::testing::HttpClient http(http_port_);
  auto res = http.Post("/v1/ask", std::string(R"({"question": ")") + question + R"("})",
                       "application/json");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find(R"("pinned":true)"), std::string::npos) << res->body;
  v1::AskResponse over_http;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(res->body, &over_http).ok()) << res->body;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(over_http, over_grpc));
  const CommandResult cli = Cli({"ask", question});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("[1] Why is a fever during chemotherapy an emergency?  (chosen by the "
                         "clinical team)"),
            std::string::npos)
      << cli.out;
}

TEST_F(ServerTest, HttpErrorsAreJsonWithTheGrpcCodeAndStatus) {
  patientqa::testing::HttpClient http(http_port_);
  auto res = http.Post("/v1/ask", R"({"question": ""})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find(R"("code":"INVALID_ARGUMENT")"), std::string::npos) << res->body;
  EXPECT_NE(res->body.find("question must be 1..4000 characters, got 0"), std::string::npos);

  res = http.Post("/v1/ask", "{not json", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("not a valid AskRequest"), std::string::npos) << res->body;
  // The parser's quote of the body around the fault (the person's words) is not echoed back.
  res = http.Post("/v1/ask", R"({"question": what is FOLFOX})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("not a valid AskRequest"), std::string::npos) << res->body;
  EXPECT_EQ(res->body.find("FOLFOX"), std::string::npos) << res->body;
  res = http.Post("/v1/ask", "{\"question\": \"bad \xff\"}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("must be valid UTF-8 (invalid byte at offset 18)"), std::string::npos)
      << res->body;

  res = http.Post("/v1/ask", R"({"question": "hi", "colour": 1})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);

  res = http.Post("/v1/ask", std::string(300 * 1024, 'a'), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);

  res = http.Get("/v1/nothing");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_NE(res->body.find(R"("code":"NOT_FOUND")"), std::string::npos);

  EXPECT_EQ(http.Get("/healthz")->status, 200);
  EXPECT_EQ(http.Get("/readyz")->status, 200);
  EXPECT_TRUE(server_->Running());
}

TEST_F(ServerTest, HttpCorsAllowsOnlyListedOrigins) {
  patientqa::testing::HttpClient http(http_port_);
  auto res = http.Options("/v1/ask", {{"Origin", "https://hospital.example"},
                                      {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 204);
  EXPECT_EQ(res->get_header_value("Access-Control-Allow-Origin"), "https://hospital.example");
  res = http.Post("/v1/ask", {{"Origin", "https://elsewhere.example"}},
                  R"({"question": "what is an MDT?"})", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_FALSE(res->has_header("Access-Control-Allow-Origin"));
}

TEST_F(ServerTest, ArticlesOverGrpcHttpAndCli) {
  grpc::ClientContext context;
  v1::GetArticleRequest get;
  get.set_article_id("mondo-colorectal-metastasis-mdt");
  v1::Article article;
  ASSERT_TRUE(stub_->GetArticle(&context, get, &article).ok());
  EXPECT_EQ(article.title(), "What should I do if colorectal cancer metastasizes?");
  EXPECT_EQ(article.publisher(), "Mondo Health");
  EXPECT_NE(article.body().find("targeted […]"), std::string::npos);
  EXPECT_EQ(article.body().find("Related Pages"), std::string::npos);
  EXPECT_FALSE(article.references().empty());
  // Governance, as the front matter gives it.
  EXPECT_EQ(article.reviewed(), "2026-11-30");
  EXPECT_EQ(article.review_due(), "2027-11-30");
  EXPECT_EQ(article.reviewer(), "pending clinical review");

  grpc::ClientContext missing_context;
  get.set_article_id("no-such-article");
  EXPECT_EQ(stub_->GetArticle(&missing_context, get, &article).error_code(),
            grpc::StatusCode::NOT_FOUND);

  grpc::ClientContext list_context;
  v1::ListArticlesRequest list;
  list.set_topic("mdt");
  v1::ListArticlesResponse listed;
  ASSERT_TRUE(stub_->ListArticles(&list_context, list, &listed).ok());
  ASSERT_GE(listed.articles_size(), 5);
  for (const auto& a : listed.articles()) {
    EXPECT_NE(std::find(a.topics().begin(), a.topics().end(), "mdt"), a.topics().end());
    EXPECT_FALSE(a.reviewed().empty()) << a.article_id();
  }

  patientqa::testing::HttpClient http(http_port_);
  auto res = http.Get("/v1/articles/what-is-an-mdt");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  v1::Article over_http;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(res->body, &over_http).ok());
  EXPECT_EQ(over_http.article_id(), "what-is-an-mdt");
  res = http.Get("/v1/articles?topic=mdt");
  ASSERT_TRUE(res);
  v1::ListArticlesResponse listed_http;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(res->body, &listed_http).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(listed_http, listed));
  EXPECT_EQ(http.Get("/v1/articles/nope")->status, 404);
  EXPECT_EQ(http.Get("/v1/articles?topic=astrology")->status, 400);

  CommandResult cli = Cli({"articles"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("mondo-colorectal-metastasis-mdt"), std::string::npos);
  cli = Cli({"articles", "what-is-an-mdt"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("References:"), std::string::npos);
  cli = Cli({"articles", "nope"});
  EXPECT_EQ(cli.exit_code, 1);
  EXPECT_NE(cli.err.find("NOT_FOUND"), std::string::npos);
}

TEST_F(ServerTest, ChatAnswersAFollowUpInTheContextOfTheStream) {
  grpc::ClientContext context;
  auto stream = stub_->Chat(&context);
  v1::ChatRequest request;
  v1::ChatResponse first, second;
  request.set_question("My dad's bowel cancer has spread to his liver.");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&first));
  EXPECT_EQ(first.turn(), 1);
  request.set_question("can they operate?");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&second));
  EXPECT_EQ(second.turn(), 2);
  ASSERT_TRUE(second.answer().answered());
  // In context, the answer is about liver surgery, as Ask with the same history would give.
  EXPECT_NE(second.answer().passages(0).text().find("liver"), std::string::npos)
      << second.answer().passages(0).text();
  v1::AskRequest ask;
  ask.set_question("can they operate?");
  ask.add_history("My dad's bowel cancer has spread to his liver.");
  v1::AskResponse with_history;
  ASSERT_TRUE(Ask(ask, &with_history).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(second.answer(), with_history));
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());

  EXPECT_TRUE(server_->Running());
}

TEST_F(ServerTest, ABadChatTurnGetsAnErrorForThatTurnAndTheStreamGoesOn) {
  grpc::ClientContext context;
  auto stream = stub_->Chat(&context);
  v1::ChatRequest request;
  v1::ChatResponse response;
  request.set_question("My dad's bowel cancer has spread to his liver.");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_FALSE(response.has_error());
  // Each kind of bad turn: too long, empty, invalid UTF-8, an unknown topic.
  struct Bad {
    std::string question;
    std::string topic;
    std::string message;
  };
  const std::vector<Bad> bad = {
      {std::string(4001, 'a'), "", "question must be 1..4000 characters, got 4001"},
      {"", "", "question must be 1..4000 characters, got 0"},
      {"liver \xFF", "", "must be valid UTF-8"},
      {"can they operate?", "gardening", "topic must be empty or one of"},
  };
  int turn = 1;
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.message);
    request.set_question(b.question);
    request.set_topic(b.topic);
    ASSERT_TRUE(stream->Write(request));
    ASSERT_TRUE(stream->Read(&response));
    EXPECT_EQ(response.turn(), ++turn);
    EXPECT_FALSE(response.has_answer());
    EXPECT_EQ(response.error().code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
    EXPECT_NE(response.error().message().find(b.message), std::string::npos)
        << response.error().message();
  }
  // The conversation is intact: the follow-up is read in the context of the first turn only.
  request.set_question("can they operate?");
  request.set_topic("");
  ASSERT_TRUE(stream->Write(request));
  ASSERT_TRUE(stream->Read(&response));
  EXPECT_EQ(response.turn(), turn + 1);
  ASSERT_FALSE(response.has_error());
  v1::AskRequest ask;
  ask.set_question("can they operate?");
  ask.add_history("My dad's bowel cancer has spread to his liver.");
  v1::AskResponse with_history;
  ASSERT_TRUE(Ask(ask, &with_history).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(response.answer(), with_history));
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
  EXPECT_TRUE(server_->Running());
}

TEST_F(ServerTest, CliChatKeepsTheConversation) {
  const CommandResult r =
      RunCommand({PATIENTQA_CLI_BIN, "--server", address_, "chat", "--json"},
                 "My dad's bowel cancer has spread to his liver.\n\ncan they operate?\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // A line over 4,000 characters gets an error for that turn; the conversation goes on.
  const CommandResult long_line = RunCommand({PATIENTQA_CLI_BIN, "--server", address_, "chat"},
                                             "My dad's bowel cancer has spread to his liver.\n" +
                                                 std::string(4500, 'x') + "\ncan they operate?\n");
  EXPECT_EQ(long_line.exit_code, 1);
  EXPECT_NE(long_line.err.find("error: turn 2: INVALID_ARGUMENT: question must be 1..4000"),
            std::string::npos)
      << long_line.err;
  EXPECT_EQ(long_line.out.find("xxxxxxxx"), std::string::npos);
  // Two answers, and the second is about liver surgery: the first turn is still its context.
  const size_t second = long_line.out.find("Answer:", long_line.out.find("Answer:") + 1);
  ASSERT_NE(second, std::string::npos) << long_line.out;
  EXPECT_NE(long_line.out.find("liver", second), std::string::npos) << long_line.out;
  std::istringstream lines(r.out);
  std::string line;
  std::vector<v1::ChatResponse> responses;
  while (std::getline(lines, line)) {
    v1::ChatResponse response;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &response).ok()) << line;
    responses.push_back(response);
  }
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[1].turn(), 2);
  EXPECT_NE(responses[1].answer().passages(0).text().find("liver"), std::string::npos);
}

TEST_F(ServerTest, SuggestOffersQuestionsFromTheLibrarysHeadings) {
  grpc::ClientContext context;
  v1::SuggestRequest request;
  v1::SuggestResponse starters;
  ASSERT_TRUE(stub_->Suggest(&context, request, &starters).ok());
  ASSERT_EQ(starters.suggestions_size(), 5);
  std::set<std::string> articles;
  for (const auto& s : starters.suggestions()) {
    EXPECT_EQ(s.text().back(), '?') << s.text();
    articles.insert(s.article_id());
  }
  EXPECT_EQ(articles.size(), 5u);  // spread over the library, not one article

  grpc::ClientContext follow_context;
  request.set_after_article_id("liver-metastases");
  request.set_max_suggestions(3);
  v1::SuggestResponse follow_ups;
  ASSERT_TRUE(stub_->Suggest(&follow_context, request, &follow_ups).ok());
  ASSERT_EQ(follow_ups.suggestions_size(), 3);
  EXPECT_EQ(follow_ups.suggestions(0).article_id(), "liver-metastases");

  grpc::ClientContext bad_context;
  request.set_max_suggestions(50);
  EXPECT_EQ(stub_->Suggest(&bad_context, request, &follow_ups).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  patientqa::testing::HttpClient http(http_port_);
  auto res = http.Get("/v1/suggest");
  ASSERT_TRUE(res);
  v1::SuggestResponse over_http;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(res->body, &over_http).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(over_http, starters));
  for (const char* bad : {"/v1/suggest?max_suggestions=-5", "/v1/suggest?max_suggestions=50"}) {
    auto refused = http.Get(bad);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << bad;
    EXPECT_NE(refused->body.find("max_suggestions must be 0..20"), std::string::npos)
        << refused->body;
  }
}

TEST(ServerTlsTest, CliConnectsOverTlsWithTheGivenCa) {
  TempDir dir;
  const std::string cert = (dir.path() / "cert.pem").string();
  const std::string key = (dir.path() / "key.pem").string();
  const CommandResult made =
      RunCommand({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                  "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                  "-keyout", key, "-out", cert});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const fs::path index = dir.path() / "index";
  ASSERT_EQ(RunCommand({PATIENTQA_INDEX_BIN, "--corpus", (SourceDir() / "corpus").string(), "--out",
                        index.string()})
                .exit_code,
            0);
  const fs::path port_file = dir.path() / "port";
  ChildProcess server(
      {PATIENTQA_SERVER_BIN, "--index", index.string(), "--listen", "127.0.0.1:0", "--port_file",
       port_file.string(), "--tls_cert", cert, "--tls_key", key, "--shutdown_grace_ms", "300"},
      dir.path() / "server.log");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!fs::exists(port_file) && std::chrono::steady_clock::now() < deadline &&
         server.Running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(fs::exists(port_file)) << ReadFile(dir.path() / "server.log");
  const std::string address = "127.0.0.1:" + std::to_string(std::stoi(ReadFile(port_file)));

  CommandResult r =
      RunCommand({PATIENTQA_CLI_BIN, "--server", address, "--ca", cert, "ask", "what is an MDT?"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Answer:"), std::string::npos);
  // Without TLS the handshake never happens.
  r = RunCommand({PATIENTQA_CLI_BIN, "--server", address, "--timeout", "2", "ask", "hi"});
  EXPECT_EQ(r.exit_code, 1);
  // A CA that did not sign the server's certificate is refused.
  r = RunCommand({PATIENTQA_CLI_BIN, "--server", address, "--tls", "--timeout", "2", "ask", "hi"});
  EXPECT_EQ(r.exit_code, 1);
  r = RunCommand({PATIENTQA_CLI_BIN, "--ca", (dir.path() / "missing.pem").string(), "health"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--ca: cannot read"), std::string::npos);
}

TEST(IndexToolTest, ExportsThePassagesForScriptindexAndNamesAFileItCannotWrite) {
  TempDir dir;
  CommandResult r =
      RunCommand({PATIENTQA_INDEX_BIN, "export-scriptindex", "--corpus",
                  (SourceDir() / "corpus").string(), "--out", (dir.path() / "export").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string passages = ReadFile(dir.path() / "export" / "passages.txt");
  EXPECT_EQ(passages.rfind("id=", 0), 0u);
  EXPECT_NE(passages.find("\nid=mondo-colorectal-metastasis-mdt#0\n"), std::string::npos);
  EXPECT_NE(ReadFile(dir.path() / "export" / "index.def").find("text : "), std::string::npos);
  // A file where the output folder should be: the error names what could not be written.
  WriteFile(dir.path() / "blocked", "");
  r = RunCommand({PATIENTQA_INDEX_BIN, "export-scriptindex", "--corpus",
                  (SourceDir() / "corpus").string(), "--out", (dir.path() / "blocked").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot write " + (dir.path() / "blocked" / "passages.txt").string()),
            std::string::npos)
      << r.err;
}

TEST(ServerStartTest, MissingIndexExitsNonZeroWithOneClearLine) {
  TempDir dir;
  const CommandResult r =
      RunCommand({PATIENTQA_SERVER_BIN, "--index", (dir.path() / "nope").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot start"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace patientqa
