#pragma once

#include "patientqa/v1/patientqa.pb.h"
#include "service/ask_handler.h"
#include "service/library_handler.h"

namespace patientqa::service {

// The only place domain structs and API messages meet.
AskQuery FromProto(const v1::AskRequest& request);
void ToProto(const AskResult& result, v1::AskResponse* response);
void ToProto(const index::ArticleRecord& article, v1::Article* out);
void ToProto(const std::vector<index::ArticleRecord>& articles, v1::ListArticlesResponse* out);
void ToProto(const std::vector<LibraryHandler::Suggestion>& suggestions, v1::SuggestResponse* out);

}  // namespace patientqa::service
