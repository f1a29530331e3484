#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace patientqa::cli {

// Runs the `patientqa` command line:
//   patientqa [--server HOST:PORT] [--timeout SECONDS] ask [--json] [--history TEXT]...
//             [--max-passages N] [--topic TOPIC] QUESTION...
//   patientqa ... chat | articles | health   (see --help)
// Returns the process exit code: 0 on success, 1 when the server returns an error (printed with
// its status code and message), 2 for a usage error.
int RunCli(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
           std::ostream& err);

}  // namespace patientqa::cli
