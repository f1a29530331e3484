// Fuzzes the HTTP gateway's POST /v1/ask body: JSON -> AskRequest -> AskQuery -> validation, as
// service/http/routes.cc does it (unknown fields are refused).

#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/json_util.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "patientqa/v1/patientqa.pb.h"
#include "service/ask_handler.h"
#include "service/proto_mapping.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);  // parse errors are expected; keep the log quiet
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  patientqa::v1::AskRequest request;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  if (!google::protobuf::util::JsonStringToMessage(body, &request, options).ok()) return 0;
  patientqa::service::ValidateAskQuery(patientqa::service::FromProto(request)).IgnoreError();
  return 0;
}
