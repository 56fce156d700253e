// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_HTTP_SERVER_IMPL_H_
#define GROUPCACHE_SRC_HTTP_SERVER_IMPL_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include "groupcache/http_server.h"
#include "runtime_impl.h"

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

// One accepted connection, plain or TLS. Loop thread only.
struct Connection {
  explicit Connection(Socket s)
      : socket(std::move(s)), watchdog(socket.get_executor()) {}

  // Closes the socket, failing any pending operation. Idempotent.
  void Close();

  Socket socket;
  std::unique_ptr<boost::asio::ssl::stream<Socket&>> tls;  // set when serving HTTPS
  // The current operation must finish by `deadline`. One coarse watchdog
  // timer per connection enforces it: arming a timer around every read and
  // write cost an eighth of the hit path's instructions.
  Clock::time_point deadline = Clock::time_point::max();
  Timer watchdog;
  std::shared_ptr<ResponseSlot> slot;  // the current request's response
  bool busy = false;    // a request is being handled
  bool closed = false;
};

class HttpServerImpl : public std::enable_shared_from_this<HttpServerImpl> {
 public:
  HttpServerImpl(RuntimeImpl& runtime, HttpServerOptions options);

  Status Bind();
  void Start();
  void Stop(std::chrono::milliseconds grace);
  void Handle(std::string pattern, HttpHandler handler);
  uint16_t port() const { return port_; }

 private:
  boost::asio::awaitable<void> AcceptLoop();
  LoopAwaitable<void> Serve(std::shared_ptr<Connection> conn);
  LoopAwaitable<void> Watch(std::shared_ptr<Connection> conn);
  template <typename Stream>
  LoopAwaitable<void> ServeRequests(Connection& conn, Stream& stream);
  const HttpHandler* Route(std::string_view path) const;
  void CloseConnections(bool only_idle);

  RuntimeImpl& runtime_;
  const HttpServerOptions options_;
  const std::chrono::milliseconds watchdog_tick_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<boost::asio::ssl::context> tls_;  // null: plain HTTP
  uint16_t port_ = 0;
  std::vector<std::pair<std::string, HttpHandler>> routes_;  // longest pattern first; fixed after Start
  std::atomic<bool> started_{false};
  std::atomic<bool> stopping_{false};

  std::mutex mu_;
  std::condition_variable drained_;
  std::unordered_set<std::shared_ptr<Connection>> connections_;  // guarded by mu_
};

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_SERVER_IMPL_H_
