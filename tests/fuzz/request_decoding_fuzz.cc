// Fuzzes the decoding of serialized gRPC requests (AskRequest and ChatRequest) with arbitrary
// bytes.

#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "patientqa/v1/patientqa.pb.h"
#include "service/request_decoding.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);  // invalid UTF-8 is expected; keep the log quiet
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  patientqa::v1::AskRequest ask;
  patientqa::service::DecodeRequest(bytes, &ask).IgnoreError();
  patientqa::v1::ChatRequest chat;
  patientqa::service::DecodeRequest(bytes, &chat).IgnoreError();
  return 0;
}
