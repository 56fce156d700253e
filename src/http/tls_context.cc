// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>

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

std::string_view ClassifyHandshakeFailure(const boost::system::error_code& ec, SSL* ssl) {
  namespace error = boost::asio::error;
  // A client certificate that failed verification says why; check it first,
  // as the handshake's own error is then only "certificate verify failed".
  const long verify = ssl != nullptr ? SSL_get_verify_result(ssl) : X509_V_OK;
  switch (verify) {
    case X509_V_OK:
      break;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
      return "unknown_ca";
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return "expired";
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "not_yet_valid";
    default:
      return "bad_certificate";
  }
  if (ec == boost::asio::ssl::error::stream_truncated || ec == error::eof || ec == error::connection_reset ||
      ec == error::broken_pipe) {
    return "closed";
  }
  if (ec.category() != error::get_ssl_category()) return "other";
  switch (ERR_GET_REASON(static_cast<unsigned long>(ec.value()))) {
    case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
      return "no_client_certificate";
    // Alerts: the client refused this server's certificate.
    case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
      return "unknown_ca";
    case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
      return "expired";
    case SSL_R_CERTIFICATE_VERIFY_FAILED:
    case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
    case SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED:
      return "bad_certificate";
    case SSL_R_UNEXPECTED_EOF_WHILE_READING:
      return "closed";
    case SSL_R_HTTP_REQUEST:
    case SSL_R_HTTPS_PROXY_REQUEST:
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_UNKNOWN_PROTOCOL:
    case SSL_R_VERSION_TOO_LOW:
    case SSL_R_UNSUPPORTED_SSL_VERSION:
    case SSL_R_NO_PROTOCOLS_AVAILABLE:
    case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
    case SSL_R_NO_SHARED_CIPHER:
    case SSL_R_NO_SHARED_GROUPS:
    case SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
    case SSL_R_RECORD_LENGTH_MISMATCH:
    case SSL_R_BAD_PACKET_LENGTH:
    case SSL_R_UNEXPECTED_MESSAGE:
    case SSL_R_UNEXPECTED_RECORD:
    case SSL_R_TLSV1_ALERT_DECODE_ERROR:
      return "protocol";
    default:
      return "other";
  }
}

}  // namespace groupcache::internal
