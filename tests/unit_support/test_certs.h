// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Test-only: a throw-away CA and certificates made with OpenSSL in process,
// written as PEM files into a temporary directory.
#ifndef GROUPCACHE_TESTS_UNIT_SUPPORT_TEST_CERTS_H_
#define GROUPCACHE_TESTS_UNIT_SUPPORT_TEST_CERTS_H_

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace groupcache::testing {

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertFree {
  void operator()(X509* c) const { X509_free(c); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

// When a certificate is valid, relative to its issuing.
struct Validity {
  std::chrono::seconds not_before{-3600};
  std::chrono::seconds not_after{30 * 24 * 3600};
};

// A certificate and its key, and where they were written.
struct Issued {
  Key key;
  Cert cert;
  std::string cert_file;
  std::string key_file;
};

class TestPki {
 public:
  // Makes a new CA named `name` in `dir`.
  TestPki(std::filesystem::path dir, const std::string& name) : dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
    ca_ = Make(name, nullptr, "critical,CA:TRUE", "critical,keyCertSign,cRLSign", "", "", 1, Validity{});
    ca_file_ = ca_.cert_file;
  }

  const std::string& ca_file() const { return ca_file_; }

  // Issues a leaf certificate for `san` (e.g. "IP:127.0.0.1,DNS:localhost"),
  // usable as both TLS server and client. A non-empty passphrase encrypts
  // the key file.
  Issued Issue(const std::string& name, const std::string& san, const std::string& passphrase = "") {
    return Issue(name, san, Validity{}, passphrase);
  }
  // The same, valid for `validity` (e.g. {-48h, -24h}: expired yesterday).
  Issued Issue(const std::string& name, const std::string& san, Validity validity,
               const std::string& passphrase = "") {
    return Make(name, &ca_, "critical,CA:FALSE", "critical,digitalSignature,keyEncipherment", san, passphrase,
                ++serial_, validity);
  }

 private:
  Issued Make(const std::string& name, const Issued* issuer, const char* constraints, const char* usage,
              const std::string& san, const std::string& passphrase, long serial, Validity validity) {
    Issued out;
    out.key.reset(EVP_EC_gen("P-256"));
    out.cert.reset(X509_new());
    X509* cert = out.cert.get();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert), static_cast<long>(validity.not_before.count()));
    X509_gmtime_adj(X509_getm_notAfter(cert), static_cast<long>(validity.not_after.count()));
    X509_set_pubkey(cert, out.key.get());
    X509_NAME* subject = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0);
    X509* issuer_cert = issuer ? issuer->cert.get() : cert;
    X509_set_issuer_name(cert, X509_get_subject_name(issuer_cert));
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer_cert, cert, nullptr, nullptr, 0);
    AddExtension(cert, &ctx, NID_basic_constraints, constraints);
    AddExtension(cert, &ctx, NID_key_usage, usage);
    AddExtension(cert, &ctx, NID_subject_key_identifier, "hash");
    if (issuer) {
      AddExtension(cert, &ctx, NID_ext_key_usage, "serverAuth,clientAuth");
      AddExtension(cert, &ctx, NID_authority_key_identifier, "keyid");
    }
    if (!san.empty()) AddExtension(cert, &ctx, NID_subject_alt_name, san.c_str());
    EVP_PKEY* signer = issuer ? issuer->key.get() : out.key.get();
    if (X509_sign(cert, signer, EVP_sha256()) == 0) throw std::runtime_error("X509_sign failed");

    out.cert_file = (dir_ / (name + ".pem")).string();
    out.key_file = (dir_ / (name + ".key")).string();
    FILE* f = std::fopen(out.cert_file.c_str(), "w");
    PEM_write_X509(f, cert);
    std::fclose(f);
    f = std::fopen(out.key_file.c_str(), "w");
    if (passphrase.empty()) {
      PEM_write_PrivateKey(f, out.key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    } else {
      PEM_write_PrivateKey(f, out.key.get(), EVP_aes_256_cbc(),
                           reinterpret_cast<const unsigned char*>(passphrase.data()),
                           static_cast<int>(passphrase.size()), nullptr, nullptr);
    }
    std::fclose(f);
    return out;
  }

  static void AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value);
    if (ext == nullptr) throw std::runtime_error(std::string("bad extension ") + value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }

  std::filesystem::path dir_;
  Issued ca_;
  std::string ca_file_;
  long serial_ = 1;
};

}  // namespace groupcache::testing

#endif  // GROUPCACHE_TESTS_UNIT_SUPPORT_TEST_CERTS_H_
