#pragma once

// A throwaway public-key infrastructure for TLS tests, made at test time with the openssl
// command in a temporary directory: nothing secret is checked in, and nothing expires in the
// repository.

#include <filesystem>
#include <string>

namespace patientqa::testing {

// PEM files, EC P-256 keys unencrypted, certificates valid for two days from now.
struct TestPki {
  std::filesystem::path ca_cert;  // "patientqa test CA"
  // Signed by the CA: a server certificate for DNS:localhost and IP:127.0.0.1 (subjectAltName,
  // serverAuth) and a client certificate (clientAuth).
  std::filesystem::path server_cert, server_key;
  std::filesystem::path client_cert, client_key;
  // Another CA, and a client certificate it signed: what a server must refuse.
  std::filesystem::path other_ca_cert;
  std::filesystem::path other_client_cert, other_client_key;
  // A self-signed certificate that expired on 2 January 2020 (made with `openssl ca`).
  std::filesystem::path expired_cert, expired_key;
};

// The openssl command on PATH, or empty when there is none (tests then GTEST_SKIP).
std::string FindOpenssl();

// Makes the files under `dir`. Returns "" on success, else the openssl command that failed and
// its output.
std::string MakeTestPki(const std::filesystem::path& dir, TestPki* pki);

}  // namespace patientqa::testing
