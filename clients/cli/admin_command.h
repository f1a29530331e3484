#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace patientqa::cli {

// `patientqa admin [--token-file FILE] status|reindex [--reopen]|gaps`: calls the
// patientqa.admin.v1.Admin service and prints its reply as JSON. The bearer token comes from
// --token-file or $PATIENTQA_ADMIN_TOKEN, never from the command line (where `ps` would show it).
// Exit codes: 0 success, 1 the call failed (status printed to `err`), 2 bad usage.
int Admin(const std::shared_ptr<grpc::Channel>& channel, double timeout_s,
          const std::vector<std::string>& args, size_t i, std::ostream& out, std::ostream& err);

}  // namespace patientqa::cli
