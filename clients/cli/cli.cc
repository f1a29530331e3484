#include "cli/cli.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <istream>
#include <ostream>
#include <sstream>
#include <tuple>

#include "cli/admin_command.h"
#include "health/health_check.h"
#include "patientqa/v1/patientqa.grpc.pb.h"

namespace patientqa::cli {
namespace {

constexpr char kUsage[] =
    "usage: patientqa [--server HOST:PORT] [--timeout SECONDS] [--tls] [--ca FILE]\n"
    "                 [--cert FILE --key FILE] COMMAND ...\n"
    "  --tls       connect with TLS, checking the server against the system's CA certificates\n"
    "  --ca FILE   connect with TLS, checking the server against this PEM CA certificate\n"
    "  --cert FILE, --key FILE\n"
    "              connect with TLS and present this PEM client certificate and its unencrypted\n"
    "              key (for a server started with --tls_client_ca)\n"
    "commands:\n"
    "  ask [--json] [--history TEXT]... [--max-passages N] [--topic TOPIC] QUESTION...\n"
    "      Ask one question. --history gives earlier turns, oldest first (repeatable).\n"
    "      --json prints the AskResponse in protobuf's JSON mapping (proto field names).\n"
    "  chat [--json] [--max-passages N] [--topic TOPIC]\n"
    "      A conversation over the Chat stream: one question per line on standard input, each\n"
    "      answered in the context of the earlier ones. --json prints one ChatResponse a line.\n"
    "      A line that cannot be answered (too long, say) gets an error and the conversation\n"
    "      goes on; the exit status is then 1.\n"
    "  articles [--json] [--topic TOPIC] [ARTICLE_ID]\n"
    "      List the library's articles, or print one whole article.\n"
    "  health\n"
    "      Print the server's health (SERVING exits 0, anything else 1).\n"
    "  admin [--token-file FILE] status | reindex [--reopen] | gaps\n"
    "      Hospital IT: the server's status, rebuild (or reopen) its index, the content-gap\n"
    "      report. The admin token comes from --token-file or $PATIENTQA_ADMIN_TOKEN.\n"
    "The server defaults to $PATIENTQA_SERVER, else 127.0.0.1:50051.\n";

const char* StatusCodeName(grpc::StatusCode code) {
  static const char* const kNames[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  return i >= 0 && i < 17 ? kNames[i] : "UNKNOWN";
}

// Word-wraps `text` at `width` columns with `indent` before each line.
void PrintWrapped(std::ostream& out, const std::string& text, const std::string& indent,
                  size_t width = 100) {
  std::istringstream words(text);
  std::string word, line;
  while (words >> word) {
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
      out << indent << line << "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out << indent << line << "\n";
}

// Whether the notice must be read first: urgent, or contact the team today.
bool TriageNotice(const v1::SafetyNotice& s) {
  return s.level() == v1::SafetyNotice::LEVEL_URGENT ||
         s.level() == v1::SafetyNotice::LEVEL_CONTACT_TEAM;
}

void PrintHuman(const v1::AskResponse& r, std::ostream& out) {
  if (TriageNotice(r.safety())) {
    out << (r.safety().level() == v1::SafetyNotice::LEVEL_URGENT
                ? "!! URGENT: get help now !!"
                : "** Contact your cancer team today **");
    if (!r.safety().category().empty()) out << " (" << r.safety().category() << ")";
    out << "\n";
    PrintWrapped(out, r.safety().message(), "   ");
    out << "\n";
  }
  if (!r.did_you_mean().empty()) out << "Did you mean: " << r.did_you_mean() << "\n\n";
  out << (r.answered() ? "Answer:\n" : "No answer:\n");
  PrintWrapped(out, r.answer(), "  ");
  for (int i = 0; i < r.passages_size(); ++i) {
    const v1::Passage& p = r.passages(i);
    const v1::Citation& c = p.citation();
    out << "\n[" << (i + 1) << "] " << c.title()
        << (p.pinned() ? "  (chosen by the clinical team)" : "") << "\n";
    out << "    " << c.publisher() << ", updated " << c.updated()
        << (c.reviewed().empty() ? "" : ", reviewed " + c.reviewed()) << ", " << c.url() << "\n";
    if (!c.section().empty()) out << "    Section: " << c.section() << "\n";
    PrintWrapped(out, p.text(), "    ");
  }
  if (!TriageNotice(r.safety()) && !r.safety().message().empty() &&
      r.safety().message() != r.answer()) {
    out << "\n";
    PrintWrapped(out, "Note: " + r.safety().message(), "");
  }
}

// Prints `message` as one JSON object in protobuf's JSON mapping with proto field names.
int PrintJson(const google::protobuf::Message& message, std::ostream& out, std::ostream& err) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string text;
  const auto s = google::protobuf::util::MessageToJsonString(message, &text, options);
  if (!s.ok()) {
    err << "error: cannot print JSON: " << s.message() << "\n";
    return 1;
  }
  out << text << "\n";
  return 0;
}

int PrintError(const grpc::Status& status, std::ostream& err) {
  err << "error: " << StatusCodeName(status.error_code()) << ": " << status.error_message() << "\n";
  return 1;
}

int Chat(v1::PatientQA::Stub& stub, const std::vector<std::string>& args, size_t i,
         std::istream& in, std::ostream& out, std::ostream& err) {
  bool json = false;
  v1::ChatRequest base;
  for (; i < args.size(); ++i) {
    if (args[i] == "--json") {
      json = true;
    } else if (args[i] == "--max-passages" && i + 1 < args.size()) {
      base.set_max_passages(std::atoi(args[++i].c_str()));
    } else if (args[i] == "--topic" && i + 1 < args.size()) {
      base.set_topic(args[++i]);
    } else {
      err << "patientqa chat: unexpected argument " << args[i] << "\n" << kUsage;
      return 2;
    }
  }
  const bool interactive = isatty(STDIN_FILENO) && !json;
  grpc::ClientContext context;
  auto stream = stub.Chat(&context);
  std::string line;
  int failed_turns = 0;
  while ((interactive ? (err << "> " << std::flush) : err) && std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    v1::ChatRequest request = base;
    request.set_question(line);
    v1::ChatResponse response;
    if (!stream->Write(request) || !stream->Read(&response)) break;
    if (response.has_error()) {
      // This turn only: the conversation goes on, without it.
      ++failed_turns;
      err << "error: turn " << response.turn() << ": "
          << StatusCodeName(static_cast<grpc::StatusCode>(response.error().code())) << ": "
          << response.error().message() << "\n";
      if (json && PrintJson(response, out, err) != 0) return 1;
      continue;
    }
    if (json) {
      if (PrintJson(response, out, err) != 0) return 1;
    } else {
      PrintHuman(response.answer(), out);
      out << "\n";
    }
  }
  stream->WritesDone();
  const grpc::Status status = stream->Finish();
  if (!status.ok()) return PrintError(status, err);
  return failed_turns == 0 ? 0 : 1;
}

int Articles(v1::PatientQA::Stub& stub, double timeout_s, const std::vector<std::string>& args,
             size_t i, std::ostream& out, std::ostream& err) {
  bool json = false;
  std::string topic, id;
  for (; i < args.size(); ++i) {
    if (args[i] == "--json") {
      json = true;
    } else if (args[i] == "--topic" && i + 1 < args.size()) {
      topic = args[++i];
    } else if (args[i].rfind("--", 0) == 0 || !id.empty()) {
      err << "patientqa articles: unexpected argument " << args[i] << "\n" << kUsage;
      return 2;
    } else {
      id = args[i];
    }
  }
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000)));
  if (!id.empty()) {
    v1::GetArticleRequest request;
    request.set_article_id(id);
    v1::Article article;
    const grpc::Status status = stub.GetArticle(&context, request, &article);
    if (!status.ok()) return PrintError(status, err);
    if (json) return PrintJson(article, out, err);
    out << article.title() << "\n"
        << article.publisher() << ", updated " << article.updated() << ", " << article.url()
        << "\n";
    if (!article.reviewed().empty()) {
      out << "Reviewed " << article.reviewed() << " (" << article.reviewer()
          << "), next review due " << article.review_due() << "\n";
    }
    out << "\n" << article.body() << "\nReferences:\n";
    for (const auto& r : article.references()) out << "  - " << r << "\n";
    return 0;
  }
  v1::ListArticlesRequest request;
  request.set_topic(topic);
  v1::ListArticlesResponse response;
  const grpc::Status status = stub.ListArticles(&context, request, &response);
  if (!status.ok()) return PrintError(status, err);
  if (json) return PrintJson(response, out, err);
  for (const auto& a : response.articles()) {
    out << a.article_id() << "  " << a.title() << " (" << a.publisher() << ", " << a.updated()
        << ")\n";
  }
  return 0;
}

int Ask(v1::PatientQA::Stub& stub, double timeout_s, const std::vector<std::string>& args, size_t i,
        std::ostream& out, std::ostream& err) {
  v1::AskRequest request;
  bool json = false;
  std::string question;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag) -> const std::string* {
      if (i + 1 >= args.size()) {
        err << "patientqa ask: " << flag << " needs a value\n" << kUsage;
        return nullptr;
      }
      return &args[++i];
    };
    if (a == "--json") {
      json = true;
    } else if (a == "--history") {
      const std::string* v = value("--history");
      if (!v) return 2;
      request.add_history(*v);
    } else if (a == "--max-passages") {
      const std::string* v = value("--max-passages");
      if (!v) return 2;
      char* end = nullptr;
      const long n = std::strtol(v->c_str(), &end, 10);
      if (v->empty() || *end != '\0') {
        err << "patientqa ask: --max-passages must be a number, got '" << *v << "'\n";
        return 2;
      }
      request.set_max_passages(static_cast<int>(n));
    } else if (a == "--topic") {
      const std::string* v = value("--topic");
      if (!v) return 2;
      request.set_topic(*v);
    } else if (a == "--") {
      for (++i; i < args.size(); ++i) question += (question.empty() ? "" : " ") + args[i];
    } else if (a.rfind("--", 0) == 0) {
      err << "patientqa ask: unknown option " << a << "\n" << kUsage;
      return 2;
    } else {
      question += (question.empty() ? "" : " ") + a;
    }
  }
  request.set_question(question);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000)));
  v1::AskResponse response;
  const grpc::Status status = stub.Ask(&context, request, &response);
  if (!status.ok()) return PrintError(status, err);
  if (json) {
    return PrintJson(response, out, err);
  } else {
    PrintHuman(response, out);
  }
  return 0;
}

}  // namespace

int RunCli(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
           std::ostream& err) {
  const char* env_server = std::getenv("PATIENTQA_SERVER");
  std::string server = env_server && *env_server ? env_server : "127.0.0.1:50051";
  double timeout_s = 10;
  bool tls = false;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  size_t i = 0;
  for (; i < args.size() && args[i].rfind("--", 0) == 0; ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      out << kUsage;
      return 0;
    }
    if (args[i] == "--tls") {
      tls = true;
      continue;
    }
    if (i + 1 >= args.size()) {
      err << "patientqa: " << args[i] << " needs a value\n" << kUsage;
      return 2;
    }
    if (args[i] == "--server") {
      server = args[++i];
    } else if (args[i] == "--ca") {
      ca_file = args[++i];
      tls = true;
    } else if (args[i] == "--cert") {
      cert_file = args[++i];
      tls = true;
    } else if (args[i] == "--key") {
      key_file = args[++i];
      tls = true;
    } else if (args[i] == "--timeout") {
      char* end = nullptr;
      timeout_s = std::strtod(args[++i].c_str(), &end);
      if (*end != '\0' || timeout_s <= 0) {
        err << "patientqa: --timeout must be a positive number of seconds\n";
        return 2;
      }
    } else {
      err << "patientqa: unknown option " << args[i] << "\n" << kUsage;
      return 2;
    }
  }
  if (i >= args.size()) {
    err << kUsage;
    return 2;
  }
  const std::string command = args[i++];
  if (cert_file.empty() != key_file.empty()) {
    err << "patientqa: --cert and --key go together\n";
    return 2;
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (tls) {
    grpc::SslCredentialsOptions ssl;
    for (auto [flag, file, pem] : {std::tuple{"--ca", &ca_file, &ssl.pem_root_certs},
                                   std::tuple{"--cert", &cert_file, &ssl.pem_cert_chain},
                                   std::tuple{"--key", &key_file, &ssl.pem_private_key}}) {
      if (file->empty()) continue;
      std::ifstream in(*file);
      std::stringstream text;
      text << in.rdbuf();
      if (!in || text.str().empty()) {
        err << "patientqa: " << flag << ": cannot read " << *file << "\n";
        return 2;
      }
      *pem = text.str();
    }
    credentials = grpc::SslCredentials(ssl);
  }
  auto channel = grpc::CreateChannel(server, credentials);
  auto stub = v1::PatientQA::NewStub(channel);
  if (command == "ask") return Ask(*stub, timeout_s, args, i, out, err);
  if (command == "articles") return Articles(*stub, timeout_s, args, i, out, err);
  if (command == "chat") return Chat(*stub, args, i, in, out, err);
  if (command == "admin") return Admin(channel, timeout_s, args, i, out, err);
  if (command == "health") {
    const clients::HealthStatus health = clients::CheckHealth(
        channel, "", std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000)));
    out << clients::HealthStatusName(health) << "\n";
    return health == clients::HealthStatus::kServing ? 0 : 1;
  }
  err << "patientqa: unknown command '" << command << "'\n" << kUsage;
  return 2;
}

}  // namespace patientqa::cli
