// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_HTTP_SERVER_IMPL_H_
#define GROUPCACHE_SRC_HTTP_SERVER_IMPL_H_

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <limits>
#include <list>
#include <memory>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/mutex.h"
#include "groupcache/http_server.h"
#include "http/router.h"
#include "http/runtime_impl.h"
#include "http/tls_context.h"

namespace groupcache::internal {

using Clock = std::chrono::steady_clock;
// The server binds sockets, timers and coroutines to the io_context's own
// executor type rather than the type-erased any_io_executor: every I/O
// operation copies its executor, and the erased one costs a virtual call
// and a heap-free but non-trivial copy each time (about 6% of a cache hit).
using LoopExecutor = boost::asio::io_context::executor_type;
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, LoopExecutor>;
using Timer = boost::asio::basic_waitable_timer<Clock, boost::asio::wait_traits<Clock>, LoopExecutor>;
template <typename T>
using LoopAwaitable = boost::asio::awaitable<T, LoopExecutor>;
// co_await an operation on a loop and get its results as a tuple.
inline constexpr auto kLoopAwait = boost::asio::as_tuple(boost::asio::use_awaitable_t<LoopExecutor>());

// Where a handler's response lands. Owned jointly by the connection and the
// Responder of its current request; touched only on the connection's loop
// thread (a Responder on another thread posts to that loop).
struct ResponseSlot {
  explicit ResponseSlot(const LoopExecutor& executor) : timer(executor, Clock::time_point::max()) {}
  // Stores the response on the loop thread, or posts it there.
  static void Complete(std::shared_ptr<ResponseSlot> slot, HttpResponse response);

  Timer timer;  // cancelled when a posted response lands
  std::thread::id loop_thread;
  bool in_handler = false;  // true while the handler runs on the loop thread
  bool ready = false;
  HttpResponse response;
};

// One accepted connection, plain or TLS. Loop thread only, but for
// idle_since and evicted (see there).
struct Connection {
  Connection(Socket s, size_t loop_index, Clock::time_point accepted_at)
      : socket(std::move(s)),
        loop(loop_index),
        accepted(accepted_at),
        watchdog(socket.get_executor()),
        wake(socket.get_executor(), Clock::time_point::max()),
        idle_since(accepted_at.time_since_epoch().count()) {}

  // Closes the socket, failing any pending operation, and wakes the
  // connection if it waits for a handshake slot. Idempotent.
  void Close();

  // Whether a request is in progress (its head complete, its response not
  // yet written) and since when the connection has waited for one. Written
  // on the connection's loop and read by the loop admitting a new connection
  // when it must pick an idle one to close: relaxed stores, never a
  // read-modify-write, so the hit path pays two plain writes per request.
  void MarkIdle(Clock::time_point now) {
    idle_since.store(now.time_since_epoch().count(), std::memory_order_relaxed);
  }
  void MarkBusy() { idle_since.store(kBusy, std::memory_order_relaxed); }
  bool idle() const { return idle_since.load(std::memory_order_relaxed) != kBusy; }

  static constexpr Clock::rep kBusy = std::numeric_limits<Clock::rep>::max();

  Socket socket;
  // The TLS context this connection's handshake used; kept while it is
  // open, whatever ReloadTls publishes meanwhile. Declared before `tls`,
  // which uses it, so it goes after.
  std::shared_ptr<boost::asio::ssl::context> tls_context;
  std::unique_ptr<boost::asio::ssl::stream<Socket&>> tls;  // set when serving HTTPS
  const size_t loop;                                       // the index of the runtime loop it runs on
  const Clock::time_point accepted;
  // The current operation must finish by `deadline`. One coarse watchdog
  // timer per connection enforces it: arming a timer around every read and
  // write cost an eighth of the hit path's instructions.
  Clock::time_point deadline = Clock::time_point::max();
  Timer watchdog;
  Timer wake;                          // parks the connection in a HandshakeGate's queue
  std::shared_ptr<ResponseSlot> slot;  // the current request's response
  std::string response_head;           // reused for every response's head
  std::atomic<Clock::rep> idle_since;  // kBusy while a request is in progress
  // Waiting for the first byte of a request with a read buffer allocated:
  // after a while the watchdog cancels the read (parked) so the buffer can go.
  bool parkable = false;
  bool parked = false;
  bool closed = false;
  bool timed_out = false;  // closed by the watchdog at `deadline`
  bool evicted = false;    // guarded by HttpServerImpl::mu_: being closed to admit another

  // HandshakeGate's bookkeeping.
  bool handshake_queued = false;
  bool handshake_granted = false;
  std::list<Connection*>::iterator handshake_pos;
};

// A HandshakeGate lets at most `limit` TLS handshakes run at once on one
// I/O thread. A connection that finds every slot taken waits, holding no TLS
// state, and the newest waiter gets the next free slot: a burst of stalled
// handshakes then delays a later client by at most one handshake timeout,
// while the stale waiters run into their header deadline.
// Thread-safety: not thread-safe; each loop has its own gate.
class HandshakeGate {
 public:
  explicit HandshakeGate(size_t limit) : limit_(limit) {}

  // Takes a slot and returns true, or queues `conn` and returns false; it is
  // then woken (its `wake` timer cancelled) either with a slot
  // (handshake_granted) or by Close, and must call Forget in that case.
  bool TryEnter(Connection& conn);
  // Gives a slot back, handing it to the newest waiter if there is one.
  void Leave();
  // Removes `conn` from the queue if it is still waiting.
  void Forget(Connection& conn);

 private:
  const size_t limit_;
  size_t running_ = 0;
  std::list<Connection*> waiting_;  // oldest first
};

// What a connection's request loop needs from its server.
struct ServeContext {
  const HttpServerOptions& options;
  const Router& router;
  const std::atomic<bool>& stopping;  // once set, responses close their connection
};

// Serves `conn`'s requests from `stream` until the connection closes, fails,
// times out (the server's watchdog closes it at conn.deadline) or is not
// kept alive. conn.slot must be set, with its loop_thread. Defined in
// request_loop.h, instantiated for the server's streams in connection.cc.
template <typename Stream>
LoopAwaitable<void> ServeRequests(const ServeContext& server, Connection& conn, Stream& stream);

class HttpServerImpl : public std::enable_shared_from_this<HttpServerImpl> {
 public:
  HttpServerImpl(RuntimeImpl& runtime, HttpServerOptions options);
  ~HttpServerImpl();

  Status Bind();
  void Start();
  void Stop(std::chrono::milliseconds grace);
  void Handle(std::string pattern, HttpHandler handler);
  uint16_t port() const { return port_; }
  size_t connections() EXCLUDES(mu_);
  HttpServerStats stats() EXCLUDES(mu_);
  Status ReloadTls(const TlsOptions& tls);

 private:
  boost::asio::awaitable<void> AcceptLoop();
  // On the loop `index`: admits an accepted connection (or closes it) and
  // serves it.
  void Admit(Socket socket, size_t index, Clock::time_point accepted);
  LoopAwaitable<void> Serve(std::shared_ptr<Connection> conn);
  LoopAwaitable<void> Watch(std::shared_ptr<Connection> conn);
  LoopAwaitable<void> ServeTls(Connection& conn);
  // Tells on_tls_handshake_failure of `conn`'s failed handshake, unless
  // the server itself closed it (Stop, eviction).
  void ReportHandshakeFailure(Connection& conn, const boost::asio::ip::address& remote,
                              const boost::system::error_code& ec);
  void CloseConnections(bool only_idle) EXCLUDES(mu_);
  // Waits until every connection has gone or `deadline` has passed; returns
  // whether they have gone.
  bool WaitDrained(Clock::time_point deadline) EXCLUDES(mu_);
  // At max_connections: picks idle connections to close, the longest idle
  // first, marks them evicted and returns them (empty if none is idle).
  std::vector<std::shared_ptr<Connection>> PickEvictionsLocked() REQUIRES(mu_);
  // Called as a connection ends; returns whether memory should be given
  // back to the system now (the count fell well below its recent peak).
  bool ForgetLocked(const std::shared_ptr<Connection>& conn) REQUIRES(mu_);

  RuntimeImpl& runtime_;
  const HttpServerOptions options_;
  const std::chrono::milliseconds watchdog_tick_;
  const std::chrono::milliseconds park_after_;  // idle this long: release the read buffer
  // Accepting runs on a thread of its own. asio keeps the record of every
  // socket it has registered (a descriptor state) for reuse and never frees
  // it, and the accepting thread allocates them. On a serving loop, after a
  // burst of 10,000 connections, they stayed scattered among the freed
  // connections' pages and pinned 20 MB; alone here they sit together.
  boost::asio::io_context accept_context_{1};
  boost::asio::ip::tcp::acceptor acceptor_;
  Mutex accept_thread_mu_;
  std::thread accept_thread_ GUARDED_BY(accept_thread_mu_);
  std::unique_ptr<TlsContextCell> tls_;  // null: plain HTTP; set by Bind
  uint16_t port_ = 0;
  Router router_;  // fixed after Start
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};
  // Relaxed counters (stats()).
  std::atomic<uint64_t> accepted_{0};
  std::atomic<uint64_t> refused_{0};
  const ServeContext serve_context_{options_, router_, stopping_};

  std::vector<HandshakeGate> gates_;  // one per runtime loop, each touched only by its loop

  Mutex mu_;
  CondVar drained_;  // signalled when connections_ becomes empty
  std::unordered_set<std::shared_ptr<Connection>> connections_ GUARDED_BY(mu_);
  size_t evicting_ GUARDED_BY(mu_) = 0;  // connections marked evicted, not yet gone
  size_t peak_ GUARDED_BY(mu_) = 0;      // most connections since memory was last trimmed
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_SERVER_IMPL_H_
