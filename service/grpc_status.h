#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace patientqa::service {

// The one place an absl::Status becomes a grpc::Status (their codes are the same numbers).
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace patientqa::service
