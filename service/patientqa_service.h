#pragma once

#include <atomic>

#include "patientqa/v1/patientqa.grpc.pb.h"
#include "service/ask_handler.h"
#include "service/library_handler.h"

namespace patientqa::service {

// The gRPC front end: decodes and validates through the handler, maps to and from proto, logs
// metadata only (ids, sizes, timings; never patient text). Ask takes raw bytes so that a request
// with invalid UTF-8 gets INVALID_ARGUMENT naming the field, not a transport-level error.
class PatientQAService final  // every method raw: requests are decoded by DecodeRequest
    : public v1::PatientQA::WithRawCallbackMethod_Ask<
          v1::PatientQA::WithRawCallbackMethod_GetArticle<
              v1::PatientQA::WithRawCallbackMethod_ListArticles<
                  v1::PatientQA::WithRawCallbackMethod_Chat<
                      v1::PatientQA::WithRawCallbackMethod_Suggest<v1::PatientQA::Service>>>>> {
 public:
  PatientQAService(const AskHandler* handler, const LibraryHandler* library)
      : handler_(handler), library_(library) {}

  grpc::ServerUnaryReactor* Ask(grpc::CallbackServerContext* context,
                                const grpc::ByteBuffer* request,
                                grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetArticle(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListArticles(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* Suggest(grpc::CallbackServerContext* context,
                                    const grpc::ByteBuffer* request,
                                    grpc::ByteBuffer* response) override;
  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* Chat(
      grpc::CallbackServerContext* context) override;

 private:
  const AskHandler* handler_;
  const LibraryHandler* library_;
  std::atomic<uint64_t> next_request_id_{1};
};

}  // namespace patientqa::service
