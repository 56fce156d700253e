// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The peer client: fetches GetResponses from one peer over HTTP/1.1.
#ifndef GROUPCACHE_SRC_HTTP_CLIENT_H_
#define GROUPCACHE_SRC_HTTP_CLIENT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "groupcache/peers.h"
#include "peer_url.h"
#include "runtime_impl.h"

namespace groupcache::internal {

struct PeerClientOptions {
  std::string base_path;
  std::chrono::milliseconds request_timeout;
  size_t max_response_bytes;
  size_t max_idle_per_loop;
  std::shared_ptr<boost::asio::ssl::context> tls;  // set for https peers
  std::function<void(std::string_view, std::chrono::nanoseconds, const Status&)> on_fetch;
};

// An HttpPeer is the PeerGetter of one remote peer. Each request runs on an
// I/O loop (the caller's if it is on one), reusing that loop's idle
// keep-alive connections to the peer. Thread-safe.
class HttpPeer final : public PeerGetter, public std::enable_shared_from_this<HttpPeer> {
 public:
  HttpPeer(RuntimeImpl& runtime, PeerUrl url, PeerClientOptions options);
  ~HttpPeer() override;

  void Get(std::string_view group, std::string_view key, PeerCallback done) override;
  const std::string& url() const { return url_.url; }

 private:
  class Completion;
  // A connection to the peer: TCP, with TLS on top for https peers.
  struct Stream {
    explicit Stream(boost::asio::io_context& context) : tcp(context) {}
    boost::beast::tcp_stream tcp;
    std::unique_ptr<boost::asio::ssl::stream<boost::beast::tcp_stream&>> tls;
  };

  static boost::asio::awaitable<void> Fetch(std::shared_ptr<HttpPeer> self, size_t loop, std::string target,
                                            std::shared_ptr<Completion> done);
  // Sends one request and reads the response on an open connection.
  template <typename S>
  boost::asio::awaitable<boost::system::error_code> Exchange(S& stream, const std::string& target,
                                                             std::string* body, unsigned* status,
                                                             std::string* reason, bool* reusable);
  std::unique_ptr<Stream> TakeIdle(size_t loop);
  void PutIdle(size_t loop, std::unique_ptr<Stream> stream);

  RuntimeImpl& runtime_;
  const PeerUrl url_;
  const PeerClientOptions options_;
  // Idle connections per loop; each vector is touched only by its loop's thread.
  std::vector<std::vector<std::unique_ptr<Stream>>> idle_;
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_CLIENT_H_
