#pragma once

// The server's TLS material, read from the files its flags name and checked with OpenSSL before
// gRPC or Boost.Beast see it: a wrong file is one start-up error naming the flag and the file,
// not gRPC's "cannot listen".

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace patientqa::service {

// Paths as given on the command line; empty: not given.
struct TlsFiles {
  std::string cert;       // --tls_cert: PEM certificate chain, the server's own certificate first
  std::string key;        // --tls_key: the unencrypted PEM private key of that certificate
  std::string client_ca;  // --tls_client_ca: PEM CA certificate(s) for gRPC client certificates
};

struct TlsPem {
  std::string cert_chain;
  std::string private_key;
  std::string client_ca;              // empty: gRPC asks for no client certificate
  std::vector<std::string> warnings;  // worth a start-up line, not a refusal (an expired cert)
};

// Reads and checks the files; all paths empty gives an empty TlsPem (plaintext).
// INVALID_ARGUMENT, with a message that names the flag and the file, when:
//   - only one of cert and key is given, or client_ca without them;
//   - a file cannot be read, is empty or is larger than 1 MiB;
//   - cert or client_ca holds no PEM certificate, or a certificate block that does not decode;
//   - key holds no PEM private key, or an encrypted one;
//   - the key does not match the first certificate of cert;
//   - OpenSSL refuses the certificate or key at its configured security level (an RSA key under
//     2048 bits, a SHA-1 signature), as it would when serving.
absl::StatusOr<TlsPem> LoadTlsFiles(const TlsFiles& files);

}  // namespace patientqa::service
