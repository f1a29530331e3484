#include "cli/admin_command.h"

#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "patientqa/admin/v1/admin.grpc.pb.h"

namespace patientqa::cli {

namespace {

std::string Trim(std::string s) {
  const auto space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (!s.empty() && space(s.back())) s.pop_back();
  size_t start = 0;
  while (start < s.size() && space(s[start])) ++start;
  return s.substr(start);
}

int Print(const grpc::Status& status, const google::protobuf::Message& reply, std::ostream& out,
          std::ostream& err) {
  if (!status.ok()) {
    err << "patientqa admin: " << status.error_message() << " (code "
        << static_cast<int>(status.error_code()) << ")\n";
    return 1;
  }
  google::protobuf::util::JsonPrintOptions print;
  print.add_whitespace = true;
  print.preserve_proto_field_names = true;
  print.always_print_primitive_fields = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(reply, &json, print);
  out << json;
  return 0;
}

}  // namespace

int Admin(const std::shared_ptr<grpc::Channel>& channel, double timeout_s,
          const std::vector<std::string>& args, size_t i, std::ostream& out, std::ostream& err) {
  constexpr char kUsage[] =
      "usage: patientqa admin [--token-file FILE] status | reindex [--reopen] | gaps\n"
      "  The token comes from --token-file or $PATIENTQA_ADMIN_TOKEN.\n";
  std::string token;
  if (const char* env = std::getenv("PATIENTQA_ADMIN_TOKEN")) token = Trim(env);
  if (i + 1 < args.size() && args[i] == "--token-file") {
    std::ifstream in(args[i + 1]);
    std::stringstream content;
    content << in.rdbuf();
    if (!in) {
      err << "patientqa admin: --token-file: cannot read " << args[i + 1] << "\n";
      return 2;
    }
    token = Trim(content.str());
    i += 2;
  }
  if (i >= args.size()) {
    err << kUsage;
    return 2;
  }
  const std::string command = args[i++];
  const bool reopen = i < args.size() && args[i] == "--reopen";
  if (reopen) ++i;
  if (i != args.size() || (reopen && command != "reindex")) {
    err << kUsage;
    return 2;
  }
  auto stub = admin::v1::Admin::NewStub(channel);
  grpc::ClientContext context;
  // A rebuild takes seconds; give it at least a minute.
  const double seconds = command == "reindex" && !reopen ? std::max(timeout_s, 60.0) : timeout_s;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  if (command == "status") {
    admin::v1::StatusResponse reply;
    return Print(stub->GetStatus(&context, admin::v1::GetStatusRequest(), &reply), reply, out, err);
  }
  if (command == "reindex") {
    admin::v1::ReindexRequest request;
    request.set_reopen_only(reopen);
    admin::v1::ReindexResponse reply;
    return Print(stub->Reindex(&context, request, &reply), reply, out, err);
  }
  if (command == "gaps") {
    admin::v1::ContentGapsResponse reply;
    return Print(stub->GetContentGaps(&context, admin::v1::GetContentGapsRequest(), &reply), reply,
                 out, err);
  }
  err << "patientqa admin: unknown command '" << command << "'\n" << kUsage;
  return 2;
}

}  // namespace patientqa::cli
