#include "service/tls_files.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"

namespace patientqa::service {
namespace {

constexpr size_t kMaxFileBytes = 1 << 20;

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyFree>;
using CtxPtr = std::unique_ptr<SSL_CTX, CtxFree>;

// OpenSSL's reason for the last error on this thread's queue ("ee key too small"), and clears
// the queue.
std::string OpenSslReason() {
  const unsigned long e = ERR_peek_last_error();
  const char* reason = e == 0 ? nullptr : ERR_reason_error_string(e);
  ERR_clear_error();
  return reason ? reason : "unknown error";
}

absl::StatusOr<std::string> ReadPemFile(const char* flag, const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " ", path, " cannot be read: ", std::strerror(errno)));
  }
  std::string text;
  char buf[16 * 1024];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return absl::InvalidArgumentError(
          absl::StrCat(flag, " ", path, " cannot be read: ", std::strerror(error)));
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > kMaxFileBytes) {
      ::close(fd);
      return absl::InvalidArgumentError(
          absl::StrCat(flag, " ", path, " is larger than 1 MiB: not a PEM file"));
    }
  }
  ::close(fd);
  if (text.empty()) return absl::InvalidArgumentError(absl::StrCat(flag, " ", path, " is empty"));
  return text;
}

BioPtr MemoryBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// Every CERTIFICATE block of `pem`, in order (other blocks, such as a key, are skipped).
absl::StatusOr<std::vector<X509Ptr>> ParseCertificates(const char* flag, const std::string& path,
                                                       const std::string& pem) {
  ERR_clear_error();
  BioPtr bio = MemoryBio(pem);
  std::vector<X509Ptr> certs;
  while (X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) certs.emplace_back(x);
  // The loop ends when no block is left ("no start line"); any other error is a broken block.
  const unsigned long e = ERR_peek_last_error();
  if (e != 0 && !(ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE)) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " ", path, ": certificate ", certs.size() + 1,
                     " is not a valid PEM certificate (OpenSSL: ", OpenSslReason(), ")"));
  }
  ERR_clear_error();
  if (certs.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " ", path, " holds no PEM certificate (-----BEGIN CERTIFICATE-----)"));
  }
  return certs;
}

int NoPassphrase(char*, int, int, void*) { return -1; }

absl::StatusOr<KeyPtr> ParseKey(const std::string& path, const std::string& pem) {
  if (pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string::npos ||
      pem.find("Proc-Type: 4,ENCRYPTED") != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_key ", path,
                     " is encrypted: give the key unencrypted (openssl pkey -in KEY -out "
                     "PLAIN_KEY) and protect it with file permissions"));
  }
  ERR_clear_error();
  BioPtr bio = MemoryBio(pem);
  KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (!key) {
    const std::string reason = OpenSslReason();
    if (pem.find("PRIVATE KEY-----") == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--tls_key ", path, " holds no PEM private key (-----BEGIN PRIVATE KEY-----)"));
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "--tls_key ", path, " is not a valid PEM private key (OpenSSL: ", reason, ")"));
  }
  return key;
}

// "Jan  1 00:00:00 2030 GMT"
std::string TimeText(const ASN1_TIME* t) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  ASN1_TIME_print(bio.get(), t);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

}  // namespace

absl::StatusOr<TlsPem> LoadTlsFiles(const TlsFiles& files) {
  TlsPem out;
  if (files.cert.empty() != files.key.empty()) {
    return absl::InvalidArgumentError("--tls_cert and --tls_key go together: give both or neither");
  }
  if (files.cert.empty()) {
    if (!files.client_ca.empty()) {
      return absl::InvalidArgumentError(
          "--tls_client_ca needs --tls_cert and --tls_key: client certificates are asked for "
          "over TLS only");
    }
    return out;
  }
  absl::StatusOr<std::string> cert_pem = ReadPemFile("--tls_cert", files.cert);
  if (!cert_pem.ok()) return cert_pem.status();
  absl::StatusOr<std::string> key_pem = ReadPemFile("--tls_key", files.key);
  if (!key_pem.ok()) return key_pem.status();
  absl::StatusOr<std::vector<X509Ptr>> chain =
      ParseCertificates("--tls_cert", files.cert, *cert_pem);
  if (!chain.ok()) return chain.status();
  absl::StatusOr<KeyPtr> key = ParseKey(files.key, *key_pem);
  if (!key.ok()) return key.status();
  X509* leaf = chain->front().get();
  if (X509_check_private_key(leaf, key->get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(absl::StrCat(
        "--tls_key ", files.key, " does not match the certificate in --tls_cert ", files.cert));
  }
  // What a server context will refuse at the system's security level (Debian: level 2).
  CtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) return absl::InternalError("OpenSSL cannot make a TLS context: " + OpenSslReason());
  if (SSL_CTX_use_certificate(ctx.get(), leaf) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_cert ", files.cert, " is refused by OpenSSL: ", OpenSslReason()));
  }
  for (size_t i = 1; i < chain->size(); ++i) {
    if (SSL_CTX_add1_chain_cert(ctx.get(), (*chain)[i].get()) != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("--tls_cert ", files.cert, ": certificate ", i + 1,
                       " of the chain is refused by OpenSSL: ", OpenSslReason()));
    }
  }
  if (SSL_CTX_use_PrivateKey(ctx.get(), key->get()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls_key ", files.key, " is refused by OpenSSL: ", OpenSslReason()));
  }
  if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0) {
    out.warnings.push_back(absl::StrCat("--tls_cert ", files.cert, ": the certificate expired on ",
                                        TimeText(X509_get0_notAfter(leaf)),
                                        "; clients will refuse it"));
  } else if (X509_cmp_current_time(X509_get0_notBefore(leaf)) > 0) {
    out.warnings.push_back(absl::StrCat("--tls_cert ", files.cert,
                                        ": the certificate is not valid before ",
                                        TimeText(X509_get0_notBefore(leaf))));
  }
  if (!files.client_ca.empty()) {
    absl::StatusOr<std::string> ca_pem = ReadPemFile("--tls_client_ca", files.client_ca);
    if (!ca_pem.ok()) return ca_pem.status();
    absl::StatusOr<std::vector<X509Ptr>> cas =
        ParseCertificates("--tls_client_ca", files.client_ca, *ca_pem);
    if (!cas.ok()) return cas.status();
    out.client_ca = std::move(*ca_pem);
  }
  out.cert_chain = std::move(*cert_pem);
  out.private_key = std::move(*key_pem);
  return out;
}

}  // namespace patientqa::service
