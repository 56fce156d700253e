// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The peer client: fetches GetResponses from one peer over HTTP/1.1.
#ifndef GROUPCACHE_SRC_HTTP_CLIENT_H_
#define GROUPCACHE_SRC_HTTP_CLIENT_H_

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "groupcache/peers.h"
#include "groupcache/url.h"
#include "http/peer_breaker.h"
#include "http/runtime_impl.h"
#include "http/tls_context.h"

namespace groupcache::internal {

class ReadDeadline;
struct RingState;

struct PeerClientOptions {
  std::string base_path;
  std::chrono::milliseconds request_timeout;
  size_t max_response_bytes;
  size_t max_idle_per_loop;
  // Set for https peers: the context new connections use, which the pool
  // may replace (HttpPool::ReloadTls).
  std::shared_ptr<TlsContextCell> tls;
  decltype(HttpPoolOptions::on_fetch) on_fetch;
  // The pool's ring fingerprint, sent on each request and checked against
  // each response's; null: neither.
  std::shared_ptr<RingState> ring;
  // Bounds resolve, connect and TLS handshake of a new connection (and the
  // request deadline bounds them too).
  std::chrono::milliseconds connect_timeout{1000};
  BreakerOptions breaker;
  decltype(HttpPoolOptions::on_peer_state_change) on_state_change;
  // Remove and Set go to the peer (DELETE and PUT); when false they fail at
  // once (HttpPoolOptions::mutations).
  bool mutations = false;
};

// An HttpPeer is the PeerGetter of one remote peer. Each request runs on an
// I/O loop (the caller's if it is on one), reusing that loop's idle
// keep-alive connections to the peer. Thread-safe.
//
// What a peer sends is never trusted to be well-behaved:
// - one deadline bounds the whole fetch (resolve, connect, handshake, write,
//   every byte read), however the response trickles in (ReadBefore), and
//   the connect timeout bounds opening a connection within it;
// - a peer that keeps failing is ejected (PeerBreaker): its fetches fail at
//   once until a probe succeeds;
// - the response body's memory is leased from the runtime's response budget;
// - a connection goes back to the idle pool only at an exact response
//   boundary with nothing unread (in Beast's buffer, in OpenSSL, or on the
//   socket), and an idle connection on which any byte (or EOF) arrives is
//   closed, never read: bytes nobody asked for must not become the answer
//   to the next request on that connection.
// A connection keeps the TLS context it was opened with; an idle one opened
// before the last TLS reload is closed rather than reused.
class HttpPeer final : public PeerGetter, public std::enable_shared_from_this<HttpPeer> {
 public:
  HttpPeer(RuntimeImpl& runtime, PeerUrl url, PeerClientOptions options);
  ~HttpPeer() override;

  void Get(std::string_view group, std::string_view key, PeerCallback done) override;
  // groupcache-go v3's DELETE and PUT (with a SetRequest) on the same path
  // as Get; success is a 200. Same deadline, breaker and on_fetch as Get.
  void Remove(std::string_view group, std::string_view key, PeerDoneCallback done) override;
  void Set(std::string_view group, std::string_view key, const ByteView& value,
           PeerDoneCallback done) override;
  // DELETE <base><group>: empties the peer's caches of `group`.
  void Purge(std::string_view group, PeerDoneCallback done) override;
  const std::string& url() const { return url_.url; }
  PeerHealth health() const { return breaker_.Health(url_.url); }
  const PeerBreaker& breaker() const { return breaker_; }
  // Idle connections on loop `loop`; for tests. Call on that loop's thread.
  size_t idle_connections(size_t loop) const { return idle_[loop].connections.size(); }

 private:
  class Completion;
  struct Connection;
  // The idle connections of one loop, oldest first, touched only by its
  // thread.
  struct IdlePool {
    std::deque<std::unique_ptr<Connection>> connections;
    std::chrono::steady_clock::time_point next_sweep{};  // see PutIdle
  };

  // One request to the peer: GET (a GetResponse is expected), DELETE, or
  // PUT with `body` (an empty 200 is expected).
  struct Request {
    enum class Method { kGet, kDelete, kPut };
    Method method = Method::kGet;
    std::string target;
    std::string body;
  };
  // The target of `key` of `group`.
  std::string Target(std::string_view group, std::string_view key) const;
  // Sends `request` (or fails it at once, without the network, when the
  // peer is ejected or the client is shutting down) and calls `done`. A
  // GET admitted as the probe of an ejected peer goes out in the
  // background and its caller fails at once as while ejected.
  void Start(Request request, PeerCallback done);
  // Spawns the fetch of `request` on a loop.
  void Send(Request request, bool probe, PeerCallback done);
  static boost::asio::awaitable<void> Fetch(std::shared_ptr<HttpPeer> self, size_t loop, Request request,
                                            bool probe, std::shared_ptr<Completion> done);
  // Records a fetch's outcome and reports a change of state.
  void Record(PeerBreaker::Outcome outcome, bool probe, const Status& status, PeerFailure failure);
  // Opens a new connection (TCP, then TLS for https peers) before the
  // deadline. Null with the failure in *status, classified in *failure.
  boost::asio::awaitable<std::unique_ptr<Connection>> Connect(size_t loop, ReadDeadline& deadline,
                                                              Status* status, PeerFailure* failure);
  std::unique_ptr<Connection> TakeIdle(size_t loop);
  void PutIdle(size_t loop, std::unique_ptr<Connection> connection);

  RuntimeImpl& runtime_;
  const PeerUrl url_;
  const PeerClientOptions options_;
  std::vector<IdlePool> idle_;  // by loop
  PeerBreaker breaker_;
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_CLIENT_H_
