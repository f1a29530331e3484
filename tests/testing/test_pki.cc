#include "tests/testing/test_pki.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <vector>

#include "tests/testing/test_util.h"

namespace patientqa::testing {

namespace fs = std::filesystem;

namespace {

// One configuration for every command, so that the system's openssl.cnf changes nothing. @DIR@
// is the output directory (`openssl ca` would otherwise write its database in the working
// directory).
constexpr char kConfig[] = R"([req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ca]
default_ca = old_ca
[old_ca]
database = @DIR@/index.txt
new_certs_dir = @DIR@
serial = @DIR@/serial.txt
default_md = sha256
policy = any_name
x509_extensions = server_ext
[any_name]
commonName = supplied
)";

}  // namespace

std::string FindOpenssl() { return FindProgram("openssl"); }

std::string MakeTestPki(const fs::path& dir, TestPki* pki) {
  const std::string openssl = FindOpenssl();
  if (openssl.empty()) return "no openssl command on PATH";
  fs::create_directories(dir);
  const std::string config = (dir / "openssl.cnf").string();
  std::string text = kConfig;
  for (size_t at; (at = text.find("@DIR@")) != std::string::npos;) {
    text.replace(at, 5, dir.string());
  }
  WriteFile(config, text);
  auto file = [&](const char* name) { return dir / name; };
  auto run = [&](std::vector<std::string> args) -> std::string {
    args.insert(args.begin(), openssl);
    const CommandResult r = RunCommand(args);
    if (r.exit_code == 0) return "";
    std::string command;
    for (const std::string& a : args) command += a + " ";
    return command + "failed: " + r.err + r.out;
  };
  const std::vector<std::string> new_key = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                                            "-nodes"};
  // A self-signed CA.
  auto make_ca = [&](const fs::path& cert, const fs::path& key, const std::string& name) {
    std::vector<std::string> args = {"req", "-x509", "-config", config, "-extensions", "ca_ext"};
    args.insert(args.end(), new_key.begin(), new_key.end());
    args.insert(args.end(), {"-days", "2", "-subj", "/CN=" + name, "-keyout", key.string(), "-out",
                             cert.string()});
    return run(args);
  };
  // A key and a certificate for it signed by a CA.
  int serial = 1;
  auto make_leaf = [&](const fs::path& cert, const fs::path& key, const std::string& name,
                       const fs::path& ca_cert, const fs::path& ca_key, const char* extensions) {
    const std::string csr = cert.string() + ".csr";
    std::vector<std::string> args = {"req", "-new", "-config", config};
    args.insert(args.end(), new_key.begin(), new_key.end());
    args.insert(args.end(), {"-subj", "/CN=" + name, "-keyout", key.string(), "-out", csr});
    std::string error = run(args);
    if (!error.empty()) return error;
    return run({"x509", "-req", "-in", csr, "-CA", ca_cert.string(), "-CAkey", ca_key.string(),
                "-set_serial", std::to_string(++serial), "-days", "2", "-extfile", config,
                "-extensions", extensions, "-out", cert.string()});
  };
  TestPki out;
  out.ca_cert = file("ca.pem");
  out.server_cert = file("server.pem");
  out.server_key = file("server.key");
  out.client_cert = file("client.pem");
  out.client_key = file("client.key");
  out.other_ca_cert = file("other-ca.pem");
  out.other_client_cert = file("other-client.pem");
  out.other_client_key = file("other-client.key");
  out.expired_cert = file("expired.pem");
  out.expired_key = file("expired.key");
  const fs::path ca_key = file("ca.key");
  const fs::path other_ca_key = file("other-ca.key");
  for (const std::string& error :
       {make_ca(out.ca_cert, ca_key, "patientqa test CA"),
        make_leaf(out.server_cert, out.server_key, "localhost", out.ca_cert, ca_key, "server_ext"),
        make_leaf(out.client_cert, out.client_key, "patientqa test client", out.ca_cert, ca_key,
                  "client_ext"),
        make_ca(out.other_ca_cert, other_ca_key, "another CA"),
        make_leaf(out.other_client_cert, out.other_client_key, "another client", out.other_ca_cert,
                  other_ca_key, "client_ext")}) {
    if (!error.empty()) return error;
  }
  // `openssl req` and `openssl x509` date certificates from now; `openssl ca` takes any dates.
  WriteFile(dir / "index.txt", "");
  WriteFile(dir / "serial.txt", "01\n");
  std::vector<std::string> args = {"req", "-new", "-config", config};
  args.insert(args.end(), new_key.begin(), new_key.end());
  args.insert(args.end(), {"-subj", "/CN=localhost", "-keyout", out.expired_key.string(), "-out",
                           file("expired.csr").string()});
  std::string error = run(args);
  if (error.empty()) {
    error =
        run({"ca", "-batch", "-config", config, "-name", "old_ca", "-selfsign", "-keyfile",
             out.expired_key.string(), "-in", file("expired.csr").string(), "-startdate",
             "20200101000000Z", "-enddate", "20200102000000Z", "-out", out.expired_cert.string()});
  }
  if (!error.empty()) return error;
  *pki = out;
  return "";
}

}  // namespace patientqa::testing
