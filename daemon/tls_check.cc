// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/tls_check.h"

#include <errno.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <ctime>
#include <memory>
#include <optional>
#include <utility>

#include "daemon/config_peers.h"

namespace groupcached {
namespace {

struct Free {
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
  void operator()(ASN1_TIME* p) const { ASN1_TIME_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

void Add(std::vector<TlsProblem>& to, const Config& config, const std::string& key, const std::string& what) {
  to.push_back({key, config.Where(key) + what});
}

// OpenSSL's reason for the last failure, and the error queue emptied.
std::string OpenSslReason() {
  const unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  if (code == 0) return "not PEM";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof buffer);
  return buffer;
}

// The certificates of a PEM file, in order; errors go to `error`.
std::vector<Owned<X509>> ReadCertificates(const std::string& path, std::string& error) {
  std::vector<Owned<X509>> certs;
  Owned<BIO> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    const int e = errno;
    ERR_clear_error();
    error = "cannot be read by the user running groupcached: " + std::string(std::strerror(e));
    return certs;
  }
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) certs.emplace_back(cert);
  // The loop ends at the end of the file, which OpenSSL reports as an error too.
  const unsigned long last = ERR_peek_last_error();
  if (ERR_GET_REASON(last) == PEM_R_NO_START_LINE && !certs.empty()) {
    ERR_clear_error();
  } else if (last != 0 || certs.empty()) {
    error = "no PEM certificate could be read (" + OpenSslReason() + ")";
    certs.clear();
  }
  return certs;
}

// Hands OpenSSL the passphrase, never a terminal prompt.
int PassphraseCallback(char* buffer, int size, int /*rwflag*/, void* user) {
  const auto* passphrase = static_cast<const std::string*>(user);
  if (passphrase->empty() || passphrase->size() > static_cast<size_t>(size)) return -1;
  std::memcpy(buffer, passphrase->data(), passphrase->size());
  return static_cast<int>(passphrase->size());
}

Owned<EVP_PKEY> ReadKey(const std::string& path, const std::string& passphrase, std::string& error) {
  Owned<BIO> bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    const int e = errno;
    ERR_clear_error();
    error = "cannot be read by the user running groupcached: " + std::string(std::strerror(e));
    return nullptr;
  }
  std::string copy = passphrase;
  Owned<EVP_PKEY> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, PassphraseCallback, &copy));
  if (!key) {
    error = "no private key could be read (" + OpenSslReason() + ")" +
            (passphrase.empty() ? "; if it is encrypted, set tls.key_passphrase_file" : "");
  }
  return key;
}

std::string Subject(X509* cert) {
  char buffer[256];
  X509_NAME_oneline(X509_get_subject_name(cert), buffer, sizeof buffer);
  return buffer;
}

void CheckValidity(const Config& config, X509* cert, std::chrono::system_clock::time_point now,
                   TlsFileReport& report) {
  const std::string where =
      config.Where("tls.cert") + "certificate " + config.tls.cert + " (" + Subject(cert) + ") ";
  time_t now_t = std::chrono::system_clock::to_time_t(now);
  if (X509_cmp_time(X509_get0_notBefore(cert), &now_t) > 0) {
    Add(report.errors, config, "tls.cert",
        where + "is not valid yet: its notBefore is in the future; check the clock");
    return;
  }
  if (X509_cmp_time(X509_get0_notAfter(cert), &now_t) < 0) {
    Add(report.errors, config, "tls.cert", where + "has expired; issue a new one");
    return;
  }
  Owned<ASN1_TIME> now_asn1(ASN1_TIME_set(nullptr, now_t));
  int days = 0;
  int seconds = 0;
  if (now_asn1 && ASN1_TIME_diff(&days, &seconds, now_asn1.get(), X509_get0_notAfter(cert)) == 1) {
    const auto left = std::chrono::hours(24) * days + std::chrono::seconds(seconds);
    if (left < kExpiryWarning) {
      Add(report.warnings, config, "tls.cert",
          where + "expires in " + std::to_string(days) + " days and " + std::to_string(seconds / 3600) +
              " hours; renew it");
    }
  }
}

void CheckChain(const Config& config, X509* cert, STACK_OF(X509) * intermediates, X509_STORE* store,
                TlsFileReport& report) {
  Owned<X509_STORE_CTX> ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store, cert, intermediates) != 1) {
    Add(report.errors, config, "tls.cert", "cannot check the chain: " + OpenSslReason());
    return;
  }
  // The leaf's dates are reported on their own (CheckValidity).
  X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_NO_CHECK_TIME);
  if (X509_verify_cert(ctx.get()) != 1) {
    const int error = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    Add(report.errors, config, "tls.cert",
        "certificate " + config.tls.cert + " (" + Subject(cert) + ") does not chain to the CA of tls.ca " +
            config.tls.ca + ": " + X509_verify_cert_error_string(error));
  }
}

void CheckNamesSelf(const Config& config, X509* cert, TlsFileReport& report) {
  auto self = internal::ParsePeerEndpoint(config.node.self, "https");
  if (!self.ok()) return;  // LoadConfig reported it
  const std::string& host = self->host;
  const bool covered = self->numeric ? X509_check_ip_asc(cert, host.c_str(), 0) == 1
                                     : X509_check_host(cert, host.data(), host.size(),
                                                       X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1;
  if (!covered) {
    Add(report.errors, config, "tls.cert",
        "certificate " + config.tls.cert + " (" + Subject(cert) + ") does not name " + host +
            ", the host of node.self; peers would refuse it: issue it with the SAN " +
            (self->numeric ? "IP:" : "DNS:") + host);
  }
}

std::string Hex(const unsigned char* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0xf];
  }
  return out;
}

}  // namespace

groupcache::Result<CertificateInfo> DescribeCertificate(const std::string& path) {
  std::string error;
  std::vector<Owned<X509>> certs = ReadCertificates(path, error);
  if (certs.empty()) return groupcache::Status::InvalidArgument("certificate file " + path + ": " + error);
  X509* leaf = certs.front().get();
  CertificateInfo info;
  info.subject = Subject(leaf);
  if (BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(leaf), nullptr)) {
    if (char* hex = BN_bn2hex(serial)) {
      info.serial = hex;
      OPENSSL_free(hex);
    }
    BN_free(serial);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(leaf, EVP_sha256(), digest, &length) == 1) info.sha256 = Hex(digest, length);
  struct tm not_after {};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(leaf), &not_after) != 1) {
    ERR_clear_error();
    return groupcache::Status::InvalidArgument("certificate file " + path + ": unreadable notAfter");
  }
  info.not_after = std::chrono::system_clock::from_time_t(timegm(&not_after));
  return info;
}

std::string ExpiryWarning(const CertificateInfo& info, const std::string& path,
                          std::chrono::system_clock::time_point now) {
  const auto left = info.not_after - now;
  if (left < std::chrono::seconds::zero() || left >= kExpiryWarning) return "";
  const auto hours = std::chrono::duration_cast<std::chrono::hours>(left).count();
  return "certificate " + path + " (" + info.subject + ") expires in " + std::to_string(hours / 24) +
         " days and " + std::to_string(hours % 24) + " hours; renew it";
}

TlsFileReport CheckTlsFiles(const Config& config, const std::string& key_passphrase,
                            std::chrono::system_clock::time_point now) {
  TlsFileReport report;
  const TlsConfig& tls = config.tls;
  if (!tls.enabled()) return report;

  std::string error;
  Owned<X509_STORE> store(X509_STORE_new());
  std::vector<Owned<X509>> cas = ReadCertificates(tls.ca, error);
  if (!error.empty()) Add(report.errors, config, "tls.ca", "CA file " + tls.ca + ": " + error);
  for (auto& ca : cas) X509_STORE_add_cert(store.get(), ca.get());

  error.clear();
  std::vector<Owned<X509>> certs = ReadCertificates(tls.cert, error);
  if (!error.empty()) {
    Add(report.errors, config, "tls.cert", "certificate file " + tls.cert + ": " + error);
  }

  error.clear();
  Owned<EVP_PKEY> key = ReadKey(tls.key, key_passphrase, error);
  if (!error.empty()) Add(report.errors, config, "tls.key", "key file " + tls.key + ": " + error);

  if (certs.empty()) return report;
  X509* leaf = certs.front().get();
  if (key && X509_check_private_key(leaf, key.get()) != 1) {
    ERR_clear_error();
    Add(report.errors, config, "tls.key",
        "key file " + tls.key + ": is not the key of the certificate " + tls.cert + " (" + Subject(leaf) +
            ")");
  }
  CheckValidity(config, leaf, now, report);
  CheckNamesSelf(config, leaf, report);
  if (!cas.empty()) {
    Owned<STACK_OF(X509)> intermediates(sk_X509_new_null());
    for (size_t i = 1; i < certs.size(); ++i) {
      X509_up_ref(certs[i].get());
      sk_X509_push(intermediates.get(), certs[i].get());
    }
    CheckChain(config, leaf, intermediates.get(), store.get(), report);
  }
  return report;
}

}  // namespace groupcached
