#pragma once

#include <google/protobuf/message.h>

#include <string>

#include "absl/status/status.h"

namespace patientqa::service {

// Parses a serialized request into `message`. Unlike ParseFromString, a failure says what is
// wrong: a string field that is not valid UTF-8 is named ("question must be valid UTF-8"), so
// clients get INVALID_ARGUMENT with a useful message instead of a generic transport error.
absl::Status DecodeRequest(const std::string& bytes, google::protobuf::Message* message);

}  // namespace patientqa::service
