// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/tls_check.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "daemon/node_settings.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_certs.h"

namespace groupcached {
namespace {

using groupcache::testing::Issued;
using groupcache::testing::TestPki;
using groupcache::testing::Validity;
using std::chrono::hours;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr const char* kName = "/etc/groupcached.toml";

std::vector<std::string> Messages(const std::vector<TlsProblem>& problems) {
  std::vector<std::string> out;
  for (const TlsProblem& p : problems) out.push_back(p.message);
  return out;
}

class TlsCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/groupcached_tls_check_test.XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    pki_ = std::make_unique<TestPki>(dir_ / "pki", "test-ca");
    chmod((dir_ / "pki").c_str(), 0700);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The config text naming these files; tls.ca is on line 5, tls.cert on 6
  // and tls.key on 7.
  static std::string Toml(const std::string& self, const std::string& ca, const std::string& cert,
                          const std::string& key) {
    return "[node]\nself = \"" + self + "\"\npeer_listen = \"127.0.0.1:9000\"\n[tls]\nca = \"" + ca +
           "\"\ncert = \"" + cert + "\"\nkey = \"" + key +
           "\"\n[[group]]\nname = \"g\"\ncache_bytes = 0\nsource = { type = \"static\", values = {} }\n";
  }

  TlsFileReport Check(const std::string& self, const std::string& ca, const Issued& cert, const Issued& key) {
    auto config = LoadConfigFromString(Toml(self, ca, cert.cert_file, key.key_file), kName);
    EXPECT_TRUE(config.ok()) << config.status().message();
    if (!config.ok()) return {};
    return CheckTlsFiles(*config, "");
  }
  TlsFileReport Check(const Issued& issued, const std::string& self = "https://127.0.0.1:9000") {
    return Check(self, pki_->ca_file(), issued, issued);
  }

  std::filesystem::path dir_;
  std::unique_ptr<TestPki> pki_;
};

TEST_F(TlsCheckTest, GoodFilesPass) {
  TlsFileReport report = Check(pki_->Issue("node", "IP:127.0.0.1"));
  EXPECT_THAT(Messages(report.errors), IsEmpty());
  EXPECT_THAT(Messages(report.warnings), IsEmpty());
}

TEST_F(TlsCheckTest, KeyOfAnotherCertificateIsAnError) {
  Issued node = pki_->Issue("node", "IP:127.0.0.1");
  Issued other = pki_->Issue("other", "IP:127.0.0.1");
  TlsFileReport report = Check("https://127.0.0.1:9000", pki_->ca_file(), node, other);
  EXPECT_THAT(Messages(report.errors),
              ElementsAre(AllOf(HasSubstr(std::string(kName) + ":7: tls.key: key file " + other.key_file),
                                HasSubstr("is not the key of the certificate " + node.cert_file))));
}

TEST_F(TlsCheckTest, GarbageCaFileIsAnError) {
  const std::string garbage = (dir_ / "garbage.pem").string();
  std::ofstream(garbage) << "not a certificate\n";
  Issued node = pki_->Issue("node", "IP:127.0.0.1");
  TlsFileReport report = Check("https://127.0.0.1:9000", garbage, node, node);
  EXPECT_THAT(Messages(report.errors),
              ElementsAre(AllOf(HasSubstr(std::string(kName) + ":5: tls.ca: CA file " + garbage),
                                HasSubstr("no PEM certificate"))));
}

TEST_F(TlsCheckTest, CertificateOfAnotherCaIsAnError) {
  TestPki other(dir_ / "other", "other-ca");
  Issued node = other.Issue("node", "IP:127.0.0.1");
  TlsFileReport report = Check(node);
  EXPECT_THAT(Messages(report.errors), ElementsAre(AllOf(HasSubstr(":6: tls.cert: "),
                                                         HasSubstr("does not chain to the CA of tls.ca"))));
}

TEST_F(TlsCheckTest, ExpiredCertificateIsAnError) {
  TlsFileReport report = Check(pki_->Issue("node", "IP:127.0.0.1", Validity{-hours(48), -hours(24)}));
  EXPECT_THAT(Messages(report.errors),
              ElementsAre(AllOf(HasSubstr(":6: tls.cert: "), HasSubstr("has expired"))));
}

TEST_F(TlsCheckTest, CertificateNotYetValidIsAnError) {
  TlsFileReport report = Check(pki_->Issue("node", "IP:127.0.0.1", Validity{hours(24), hours(48)}));
  EXPECT_THAT(Messages(report.errors),
              ElementsAre(AllOf(HasSubstr(":6: tls.cert: "), HasSubstr("is not valid yet"))));
}

TEST_F(TlsCheckTest, CertificateExpiringWithinAWeekIsAWarning) {
  TlsFileReport report = Check(pki_->Issue("node", "IP:127.0.0.1", Validity{-hours(1), hours(3 * 24 + 2)}));
  EXPECT_THAT(Messages(report.errors), IsEmpty());
  EXPECT_THAT(Messages(report.warnings),
              ElementsAre(AllOf(HasSubstr(":6: tls.cert: "), HasSubstr("expires in 3 days"))));
}

TEST_F(TlsCheckTest, CertificateMustNameTheIpOfSelf) {
  TlsFileReport report = Check(pki_->Issue("node", "IP:127.0.0.2,DNS:localhost"));
  EXPECT_THAT(Messages(report.errors),
              ElementsAre(AllOf(HasSubstr(":6: tls.cert: "), HasSubstr("does not name 127.0.0.1"),
                                HasSubstr("SAN IP:127.0.0.1"))));
  EXPECT_THAT(Messages(Check(pki_->Issue("node6", "IP:::1"), "https://[::1]:9000").errors), IsEmpty());
}

TEST_F(TlsCheckTest, CertificateMustNameTheHostOfSelf) {
  Issued wildcard = pki_->Issue("node", "DNS:*.cache.example");
  EXPECT_THAT(Messages(Check(wildcard, "https://node1.cache.example:9000").errors), IsEmpty());
  // A wildcard stands for one label only.
  EXPECT_THAT(Messages(Check(wildcard, "https://a.node1.cache.example:9000").errors),
              ElementsAre(HasSubstr("does not name a.node1.cache.example")));
  EXPECT_THAT(
      Messages(
          Check(pki_->Issue("exact", "DNS:node1.cache.example"), "https://node2.cache.example:9000").errors),
      ElementsAre(HasSubstr("SAN DNS:node2.cache.example")));
}

TEST_F(TlsCheckTest, LoadNodeSettingsReportsEveryFileProblem) {
  Issued expired = pki_->Issue("expired", "IP:127.0.0.2", Validity{-hours(48), -hours(24)});
  Issued other = pki_->Issue("other", "IP:127.0.0.1");
  const std::string garbage = (dir_ / "pki" / "garbage.pem").string();
  std::ofstream(garbage) << "garbage\n";
  chmod(other.key_file.c_str(), 0600);
  const std::string path = (dir_ / "groupcached.toml").string();
  std::ofstream(path) << Toml("https://127.0.0.1:9000", garbage, expired.cert_file, other.key_file);
  chmod(path.c_str(), 0600);
  chmod(dir_.c_str(), 0700);

  auto settings = LoadNodeSettings(path);
  ASSERT_FALSE(settings.ok());
  const std::string& message = settings.status().message();
  EXPECT_THAT(message, HasSubstr(path + ":5: tls.ca: CA file " + garbage + ": no PEM certificate"));
  EXPECT_THAT(message, HasSubstr(path + ":7: tls.key: key file " + other.key_file + ": is not the key"));
  EXPECT_THAT(message, HasSubstr(path + ":6: tls.cert: certificate " + expired.cert_file));
  EXPECT_THAT(message, HasSubstr("has expired"));
  EXPECT_THAT(message, HasSubstr("does not name 127.0.0.1"));
}

TEST_F(TlsCheckTest, LoadNodeSettingsReportsModeAndContentProblemsTogether) {
  Issued node = pki_->Issue("node", "IP:127.0.0.1");
  Issued other = pki_->Issue("other", "IP:127.0.0.1");
  chmod(other.key_file.c_str(), 0600);
  chmod(node.cert_file.c_str(), 0666);  // writable by others
  const std::string path = (dir_ / "groupcached.toml").string();
  std::ofstream(path) << Toml("https://127.0.0.1:9000", pki_->ca_file(), node.cert_file, other.key_file);
  chmod(path.c_str(), 0600);
  chmod(dir_.c_str(), 0700);

  auto settings = LoadNodeSettings(path);
  ASSERT_FALSE(settings.ok());
  EXPECT_THAT(settings.status().message(),
              AllOf(HasSubstr(":6: tls.cert: certificate file " + node.cert_file + ": has mode 0666"),
                    HasSubstr(":7: tls.key: key file " + other.key_file + ": is not the key")));
}

TEST_F(TlsCheckTest, LoadNodeSettingsPassesWarningsOn) {
  Issued node = pki_->Issue("node", "IP:127.0.0.1", Validity{-hours(1), hours(24)});
  chmod(node.key_file.c_str(), 0600);
  const std::string path = (dir_ / "groupcached.toml").string();
  std::ofstream(path) << Toml("https://127.0.0.1:9000", pki_->ca_file(), node.cert_file, node.key_file);
  chmod(path.c_str(), 0600);
  chmod(dir_.c_str(), 0700);

  auto settings = LoadNodeSettings(path);
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  EXPECT_THAT(settings->warnings, ElementsAre(HasSubstr(":6: tls.cert: ")));
}

TEST_F(TlsCheckTest, DescribeCertificateReadsTheNodeCertificate) {
  const auto before = std::chrono::system_clock::now();
  const Issued node = pki_->Issue("node", "IP:127.0.0.1", Validity{-hours(1), hours(24 * 10)});
  auto info = DescribeCertificate(node.cert_file);
  ASSERT_TRUE(info.ok()) << info.status().message();
  // Ten days from issuing, to the second the certificate can say.
  EXPECT_GE(info->not_after, before + hours(24 * 10) - std::chrono::seconds(2));
  EXPECT_LE(info->not_after, std::chrono::system_clock::now() + hours(24 * 10) + std::chrono::seconds(2));
  EXPECT_THAT(info->subject, HasSubstr("node"));
  EXPECT_EQ(info->sha256.size(), 64u);
  EXPECT_FALSE(info->serial.empty());

  auto missing = DescribeCertificate((dir_ / "absent.pem").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("absent.pem: cannot be read"));
  std::ofstream(dir_ / "garbage.pem") << "not a certificate\n";
  auto garbage = DescribeCertificate((dir_ / "garbage.pem").string());
  ASSERT_FALSE(garbage.ok());
  EXPECT_THAT(garbage.status().message(), HasSubstr("garbage.pem: no PEM certificate"));
}

}  // namespace
}  // namespace groupcached
