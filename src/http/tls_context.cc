// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>

namespace groupcache::internal {
namespace {

namespace ssl = boost::asio::ssl;

std::string Describe(const boost::system::error_code& ec) {
  std::string text = ec.message();
  if (unsigned long err = ERR_get_error(); err != 0) {
    char buf[256];
    ERR_error_string_n(err, buf, sizeof buf);
    text += " (";
    text += buf;
    text += ")";
  }
  ERR_clear_error();
  return text;
}

}  // namespace

Result<std::shared_ptr<ssl::context>> MakeTlsContext(const TlsOptions& options, TlsRole role) {
  if (options.ca_file.empty() || options.cert_file.empty() || options.key_file.empty()) {
    return Status::InvalidArgument("TLS needs a CA file, a certificate file and a key file");
  }
  auto context = std::make_shared<ssl::context>(role == TlsRole::kServer ? ssl::context::tls_server
                                                                         : ssl::context::tls_client);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  // Session tickets would let a resumed session skip the client
  // certificate check's freshness; peers reconnect rarely, so go without.
  SSL_CTX_set_options(native, SSL_OP_NO_TICKET);

  boost::system::error_code ec;
  context->load_verify_file(options.ca_file, ec);
  if (ec) return Status::InvalidArgument("TLS CA file " + options.ca_file + ": " + Describe(ec));
  context->use_certificate_chain_file(options.cert_file, ec);
  if (ec) return Status::InvalidArgument("TLS certificate file " + options.cert_file + ": " + Describe(ec));
  // Always install the callback: without one OpenSSL asks for the
  // passphrase of an encrypted key on the terminal, and a daemon would hang.
  context->set_password_callback([passphrase = options.key_passphrase](
                                     std::size_t, ssl::context::password_purpose) { return passphrase; });
  context->use_private_key_file(options.key_file, ssl::context::pem, ec);
  if (ec) {
    return Status::InvalidArgument("TLS private key file " + options.key_file + ": " + Describe(ec) +
                                   (options.key_passphrase.empty()
                                        ? " (is it encrypted? give its passphrase file)"
                                        : " (wrong passphrase?)"));
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument("TLS private key " + options.key_file + " does not match certificate " +
                                   options.cert_file);
  }
  if (role == TlsRole::kServer) {
    context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  } else {
    context->set_verify_mode(ssl::verify_peer);
  }
  return context;
}

bool ExpectPeerHost(SSL* ssl, const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (!ec) return X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1;
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return SSL_set1_host(ssl, host.c_str()) == 1 && SSL_set_tlsext_host_name(ssl, host.c_str()) == 1;
}

}  // namespace groupcache::internal
