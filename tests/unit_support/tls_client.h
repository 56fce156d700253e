// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Test-only: a blocking TLS client for the server's TLS tests, which reports
// what the server presented.
#ifndef GROUPCACHE_TESTS_UNIT_SUPPORT_TLS_CLIENT_H_
#define GROUPCACHE_TESTS_UNIT_SUPPORT_TLS_CLIENT_H_

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <string>

namespace groupcache::testing {

// A TlsClient is one TLS connection to 127.0.0.1:port that trusts `ca_file`
// and presents `cert_file`/`key_file` (none when empty). Not thread-safe.
class TlsClient {
 public:
  TlsClient(uint16_t port, const std::string& ca_file, const std::string& cert_file = "",
            const std::string& key_file = "")
      : ctx_(boost::asio::ssl::context::tls_client) {
    ctx_.load_verify_file(ca_file);
    ctx_.set_verify_mode(boost::asio::ssl::verify_peer);
    if (!cert_file.empty()) {
      ctx_.use_certificate_chain_file(cert_file);
      ctx_.use_private_key_file(key_file, boost::asio::ssl::context::pem);
    }
    stream_ = std::make_unique<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>>(io_, ctx_);
    boost::system::error_code ec;
    stream_->next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    if (ec) {
      error_ = "connect: " + ec.message();
      return;
    }
    timeval tv{20, 0};
    setsockopt(stream_->next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    stream_->handshake(boost::asio::ssl::stream_base::client, ec);
    if (ec) {
      error_ = "handshake: " + ec.message();
      return;
    }
    if (X509* peer = SSL_get1_peer_certificate(stream_->native_handle())) {
      char name[256];
      X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, name, sizeof name);
      server_name_ = name;
      X509_free(peer);
    }
    connected_ = true;
  }

  // Whether the handshake succeeded; error() says why not.
  bool connected() const { return connected_; }
  const std::string& error() const { return error_; }
  // The common name of the certificate the server presented.
  const std::string& server_name() const { return server_name_; }

  // GET `target` on this connection (kept alive); the HTTP status, or 0.
  int Get(const std::string& target = "/tls") {
    namespace http = boost::beast::http;
    if (!connected_) return 0;
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    boost::system::error_code ec;
    http::write(*stream_, req, ec);
    if (ec) {
      error_ = "write: " + ec.message();
      return 0;
    }
    http::response<http::string_body> res;
    http::read(*stream_, buffer_, res, ec);
    if (ec) {
      error_ = "read: " + ec.message();
      return 0;
    }
    return res.result_int();
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ssl::context ctx_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> stream_;
  boost::beast::flat_buffer buffer_;
  bool connected_ = false;
  std::string error_;
  std::string server_name_;
};

}  // namespace groupcache::testing

#endif  // GROUPCACHE_TESTS_UNIT_SUPPORT_TLS_CLIENT_H_
