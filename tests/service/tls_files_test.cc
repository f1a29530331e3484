// LoadTlsFiles on good and wrong files from a throwaway CA (made with the openssl command).
#include "service/tls_files.h"

#include <gtest/gtest.h>

#include <memory>

#include "tests/testing/test_pki.h"
#include "tests/testing/test_util.h"

namespace patientqa::service {
namespace {

namespace fs = std::filesystem;
using testing::FindOpenssl;
using testing::ReadFile;
using testing::RunCommand;
using testing::TempDir;
using testing::TestPki;
using testing::WriteFile;

class TlsFilesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (FindOpenssl().empty()) return;
    dir_ = new TempDir();
    pki_ = new TestPki();
    error_ = new std::string(testing::MakeTestPki(dir_->path() / "pki", pki_));
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete error_;
    delete dir_;
    pki_ = nullptr;
    error_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (FindOpenssl().empty()) {
      GTEST_SKIP() << "the openssl command is not on PATH: TLS tests make their throwaway CA "
                      "with it";
    }
    ASSERT_EQ(*error_, "");
  }

  // A file under the suite's directory holding `text`.
  static std::string File(const std::string& name, const std::string& text) {
    const fs::path path = dir_->path() / name;
    WriteFile(path, text);
    return path.string();
  }

  static TempDir* dir_;
  static TestPki* pki_;
  static std::string* error_;
};

TempDir* TlsFilesTest::dir_ = nullptr;
TestPki* TlsFilesTest::pki_ = nullptr;
std::string* TlsFilesTest::error_ = nullptr;

TEST_F(TlsFilesTest, NoFilesMeansPlaintext) {
  absl::StatusOr<TlsPem> pem = LoadTlsFiles({});
  ASSERT_TRUE(pem.ok()) << pem.status();
  EXPECT_TRUE(pem->cert_chain.empty());
  EXPECT_TRUE(pem->private_key.empty());
  EXPECT_TRUE(pem->client_ca.empty());
}

TEST_F(TlsFilesTest, GoodFilesAreReturnedAsTheyAre) {
  const std::string cert = pki_->server_cert.string();
  const std::string key = pki_->server_key.string();
  const std::string ca = pki_->ca_cert.string();
  absl::StatusOr<TlsPem> pem = LoadTlsFiles({cert, key, ca});
  ASSERT_TRUE(pem.ok()) << pem.status();
  EXPECT_EQ(pem->cert_chain, ReadFile(cert));
  EXPECT_EQ(pem->private_key, ReadFile(key));
  EXPECT_EQ(pem->client_ca, ReadFile(ca));
  EXPECT_TRUE(pem->warnings.empty());

  // A chain (the server's certificate, then its CA's) and a key file that also holds other
  // blocks are fine.
  const std::string chain = File("chain.pem", ReadFile(cert) + ReadFile(ca));
  const std::string key_and_cert = File("key-and-cert.pem", ReadFile(cert) + ReadFile(key));
  pem = LoadTlsFiles({chain, key_and_cert, ""});
  ASSERT_TRUE(pem.ok()) << pem.status();
  EXPECT_TRUE(pem->client_ca.empty());
}

TEST_F(TlsFilesTest, AnExpiredCertificateIsAWarningNotARefusal) {
  absl::StatusOr<TlsPem> pem =
      LoadTlsFiles({pki_->expired_cert.string(), pki_->expired_key.string(), ""});
  ASSERT_TRUE(pem.ok()) << pem.status();
  ASSERT_EQ(pem->warnings.size(), 1u);
  EXPECT_EQ(pem->warnings[0], "--tls_cert " + pki_->expired_cert.string() +
                                  ": the certificate expired on Jan  2 00:00:00 2020 GMT; "
                                  "clients will refuse it");
}

TEST_F(TlsFilesTest, WrongFilesAreRefusedNamingTheFlagAndTheFile) {
  const std::string cert = pki_->server_cert.string();
  const std::string key = pki_->server_key.string();
  const std::string other_key = pki_->client_key.string();
  const std::string missing = (dir_->path() / "missing.pem").string();
  const std::string directory = dir_->path().string();
  const std::string empty = File("empty.pem", "");
  const std::string text = File("text.pem", "not a certificate\n");
  const std::string huge = File("huge.pem", std::string((1 << 20) + 1, 'a'));
  std::string broken_text = ReadFile(cert);
  broken_text.replace(broken_text.size() / 2, 4, "!!!!");
  const std::string broken = File("broken.pem", broken_text);
  std::string broken_key_text = ReadFile(key);
  broken_key_text.replace(broken_key_text.size() / 2, 4, "!!!!");
  const std::string broken_key = File("broken.key", broken_key_text);
  const std::string encrypted = (dir_->path() / "encrypted.key").string();
  const testing::CommandResult made = RunCommand(
      {FindOpenssl(), "pkey", "-in", key, "-aes256", "-passout", "pass:secret", "-out", encrypted});
  ASSERT_EQ(made.exit_code, 0) << made.err;

  struct Case {
    TlsFiles files;
    std::string message;  // the whole message, or its start when it ends with "..."
  };
  const std::vector<Case> cases = {
      {{cert, other_key, ""},
       "--tls_key " + other_key + " does not match the certificate in --tls_cert " + cert},
      {{missing, key, ""}, "--tls_cert " + missing + " cannot be read: No such file or directory"},
      {{cert, missing, ""}, "--tls_key " + missing + " cannot be read: No such file or directory"},
      {{cert, key, directory}, "--tls_client_ca " + directory + " cannot be read: Is a directory"},
      {{empty, key, ""}, "--tls_cert " + empty + " is empty"},
      {{huge, key, ""}, "--tls_cert " + huge + " is larger than 1 MiB: not a PEM file"},
      {{text, key, ""},
       "--tls_cert " + text + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)"},
      {{key, key, ""},
       "--tls_cert " + key + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)"},
      {{broken, key, ""},
       "--tls_cert " + broken + ": certificate 1 is not a valid PEM certificate (OpenSSL: ..."},
      {{cert, cert, ""},
       "--tls_key " + cert + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)"},
      {{cert, broken_key, ""},
       "--tls_key " + broken_key + " is not a valid PEM private key (OpenSSL: ..."},
      {{cert, encrypted, ""}, "--tls_key " + encrypted + " is encrypted: ..."},
      {{cert, key, other_key},
       "--tls_client_ca " + other_key + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)"},
      {{cert, key, text},
       "--tls_client_ca " + text + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)"},
      {{cert, "", ""}, "--tls_cert and --tls_key go together: give both or neither"},
      {{"", key, ""}, "--tls_cert and --tls_key go together: give both or neither"},
      {{"", "", pki_->ca_cert.string()}, "--tls_client_ca needs --tls_cert and --tls_key: ..."},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    absl::StatusOr<TlsPem> pem = LoadTlsFiles(c.files);
    ASSERT_FALSE(pem.ok());
    EXPECT_EQ(pem.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string message(pem.status().message());
    if (c.message.size() > 3 && c.message.compare(c.message.size() - 3, 3, "...") == 0) {
      const std::string start = c.message.substr(0, c.message.size() - 3);
      EXPECT_EQ(message.substr(0, start.size()), start) << message;
      EXPECT_GT(message.size(), start.size()) << message;
    } else {
      EXPECT_EQ(message, c.message);
    }
  }
}

}  // namespace
}  // namespace patientqa::service
