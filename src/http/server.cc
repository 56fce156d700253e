// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include <poll.h>

#include "groupcache/http_server.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "http/server_impl.h"
#include "http/tls_context.h"

namespace groupcache {
namespace internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
// At max_connections one scan of all connections picks this fraction of
// them to close, so a flood of new ones pays for a scan only once a batch.
constexpr size_t kEvictionBatchDivisor = 64;
// Memory goes back to the system when the number of connections falls to a
// quarter of a peak at least this high.
constexpr size_t kTrimPeak = 256;

std::chrono::milliseconds WatchdogTick(const HttpServerOptions& options) {
  const auto shortest = std::min({options.read_timeout, options.idle_timeout, options.write_timeout,
                                  options.header_timeout, options.handshake_timeout});
  return std::clamp(shortest / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
}

// How long a kept-alive connection waits for its next request before it
// gives its read buffer back.
std::chrono::milliseconds ParkAfter(const HttpServerOptions& options) {
  return std::clamp(options.idle_timeout / 8, std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
}

// Whether the peer has closed or reset the connection; reads nothing. A
// client that sent bytes and then closed shows too (POLLRDHUP), so a flood
// that has gone away costs no handshakes for the bytes it left behind.
bool PeerClosed(Socket& socket) {
  pollfd p{socket.native_handle(), POLLRDHUP, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

// Gives the pages the allocator holds free back to the system. glibc keeps
// them after a burst (a flood of connections, say) until told.
void TrimMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace

bool HandshakeGate::TryEnter(Connection& conn) {
  if (running_ < limit_) {
    ++running_;
    return true;
  }
  conn.handshake_queued = true;
  conn.handshake_pos = waiting_.insert(waiting_.end(), &conn);
  return false;
}

void HandshakeGate::Leave() {
  if (waiting_.empty()) {
    --running_;
    return;
  }
  // The slot passes straight to the newest waiter.
  Connection* next = waiting_.back();
  waiting_.pop_back();
  next->handshake_queued = false;
  next->handshake_granted = true;
  next->wake.cancel();
}

void HandshakeGate::Forget(Connection& conn) {
  if (!conn.handshake_queued) return;
  waiting_.erase(conn.handshake_pos);
  conn.handshake_queued = false;
}

HttpServerImpl::HttpServerImpl(RuntimeImpl& runtime, HttpServerOptions options)
    : runtime_(runtime),
      options_(std::move(options)),
      watchdog_tick_(WatchdogTick(options_)),
      park_after_(ParkAfter(options_)),
      acceptor_(accept_context_) {
  // The handshake slots are shared out among the loops, so that a
  // connection only ever waits for a slot on its own thread.
  gates_.reserve(runtime.size());
  for (size_t i = 0; i < runtime.size(); ++i) {
    gates_.emplace_back(std::max<size_t>(1, options_.max_handshakes / runtime.size()));
  }
}

HttpServerImpl::~HttpServerImpl() {
  // Stop has joined the accept thread already, unless the server never
  // started or stopped.
  MutexLock lock(accept_thread_mu_);
  if (accept_thread_.joinable()) {
    accept_context_.stop();
    accept_thread_.join();
  }
}

Status HttpServerImpl::Bind() {
  const std::string where = "listen on " + options_.host + ":" + std::to_string(options_.port);
  if (options_.header_timeout <= std::chrono::milliseconds::zero() ||
      options_.handshake_timeout <= std::chrono::milliseconds::zero() || options_.max_handshakes == 0) {
    return Status::InvalidArgument(where +
                                   ": header_timeout, handshake_timeout and max_handshakes must be positive");
  }
  if (options_.tls) {
    Result<std::shared_ptr<asio::ssl::context>> context = MakeTlsContext(*options_.tls, TlsRole::kServer);
    if (!context.ok()) return context.status();
    tls_ = std::make_unique<TlsContextCell>(std::move(context).value());
  }
  beast::error_code ec;
  asio::ip::address address;
  if (options_.host.empty()) {
    address = asio::ip::address_v4::any();
  } else {
    address = asio::ip::make_address(options_.host, ec);
    if (ec) return Status::InvalidArgument(where + ": not an IP address (use a numeric host)");
  }
  tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::Unavailable(where + ": " + ec.message());
  port_ = acceptor_.local_endpoint(ec).port();
  return Status::Ok();
}

void HttpServerImpl::Handle(std::string pattern, HttpHandler handler) {
  if (started_) return;  // routes are fixed once serving; see the header
  router_.Add(std::move(pattern), std::move(handler));
}

void HttpServerImpl::Start() {
  if (stopping_ || started_.exchange(true)) return;
  MutexLock lock(accept_thread_mu_);
  // The accept loop holds no reference to the server: Stop (or the
  // destructor) joins the thread first.
  asio::co_spawn(accept_context_, AcceptLoop(), asio::detached);
  accept_thread_ = std::thread([this] { accept_context_.run(); });
}

asio::awaitable<void> HttpServerImpl::AcceptLoop() {
  for (;;) {
    const size_t index = runtime_.NextContext();
    auto [ec, socket] = co_await acceptor_.async_accept(runtime_.context(index), kAwait);
    if (stopping_) co_return;
    if (ec) {
      if (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor) co_return;
      // Out of file descriptors or similar: back off instead of spinning.
      asio::steady_timer pause(accept_context_, std::chrono::milliseconds(50));
      co_await pause.async_wait(kAwait);
      continue;
    }
    // Everything else about the connection is made on its own loop, so that
    // nothing but the descriptor states stays behind on this thread.
    asio::post(runtime_.context(index),
               [self = shared_from_this(), socket = std::move(socket), index,
                accepted = Clock::now()]() mutable { self->Admit(std::move(socket), index, accepted); });
  }
}

void HttpServerImpl::Admit(Socket socket, size_t index, Clock::time_point accepted) {
  auto conn = std::make_shared<Connection>(std::move(socket), index, accepted);
  accepted_.fetch_add(1, std::memory_order_relaxed);
  std::vector<std::shared_ptr<Connection>> evictions;
  {
    MutexLock lock(mu_);
    if (stopping_) return;  // conn closes as it goes
    if (connections_.size() - evicting_ >= options_.max_connections) {
      // Full: idle connections make room, so that silent or stalled
      // clients can never lock out real ones.
      evictions = PickEvictionsLocked();
      if (evictions.empty()) {
        refused_.fetch_add(1, std::memory_order_relaxed);
        return;  // every connection is busy: conn closes as it goes
      }
    }
    connections_.insert(conn);
    peak_ = std::max(peak_, connections_.size());
  }
  for (std::shared_ptr<Connection>& victim : evictions) {
    auto executor = victim->socket.get_executor();
    asio::post(executor, [self = shared_from_this(), victim = std::move(victim)] {
      if (victim->idle()) {
        victim->Close();  // Serve ends and forgets it
        return;
      }
      // A request arrived since it was picked: spare it.
      MutexLock lock(self->mu_);
      if (victim->evicted) {
        victim->evicted = false;
        --self->evicting_;
      }
    });
  }
  beast::error_code ignored;
  conn->socket.set_option(tcp::no_delay(true), ignored);
  asio::co_spawn(
      runtime_.context(index), [self = shared_from_this(), conn] { return self->Serve(conn); },
      asio::detached);
}

std::vector<std::shared_ptr<Connection>> HttpServerImpl::PickEvictionsLocked() {
  std::vector<std::pair<Clock::rep, const std::shared_ptr<Connection>*>> idle;
  idle.reserve(connections_.size());
  for (const std::shared_ptr<Connection>& conn : connections_) {
    const Clock::rep since = conn->idle_since.load(std::memory_order_relaxed);
    if (since != Connection::kBusy && !conn->evicted) idle.emplace_back(since, &conn);
  }
  const size_t batch =
      std::min(idle.size(), std::max<size_t>(1, options_.max_connections / kEvictionBatchDivisor));
  std::nth_element(idle.begin(), idle.begin() + batch, idle.end());
  std::vector<std::shared_ptr<Connection>> picked;
  picked.reserve(batch);
  for (size_t i = 0; i < batch; ++i) {
    (*idle[i].second)->evicted = true;
    picked.push_back(*idle[i].second);
  }
  evicting_ += batch;
  return picked;
}

bool HttpServerImpl::ForgetLocked(const std::shared_ptr<Connection>& conn) {
  connections_.erase(conn);
  if (conn->evicted) {
    conn->evicted = false;
    --evicting_;
  }
  if (connections_.empty()) drained_.NotifyAll();
  if (peak_ >= kTrimPeak && connections_.size() <= peak_ / 4) {
    peak_ = connections_.size();
    return true;
  }
  return false;
}

LoopAwaitable<void> HttpServerImpl::Watch(std::shared_ptr<Connection> conn) {
  while (!conn->closed) {
    conn->watchdog.expires_after(watchdog_tick_);
    co_await conn->watchdog.async_wait(kLoopAwait);  // woken early only by Close
    if (conn->closed) break;
    const Clock::time_point now = Clock::now();
    if (now >= conn->deadline) {
      conn->timed_out = true;
      conn->Close();  // the pending operation fails at once; Serve sees the error and ends
      break;
    }
    const Clock::time_point idle_since(Clock::duration(conn->idle_since.load(std::memory_order_relaxed)));
    if (conn->parkable && !conn->parked && now - idle_since >= park_after_) {
      // An idle kept-alive connection gives its read buffer back: cancel
      // the read, and ServeRequests waits for readability instead.
      conn->parked = true;
      beast::error_code ignored;
      conn->socket.cancel(ignored);
    }
  }
}

LoopAwaitable<void> HttpServerImpl::Serve(std::shared_ptr<Connection> conn) {
  conn->slot = std::make_shared<ResponseSlot>(conn->socket.get_executor());
  conn->slot->loop_thread = std::this_thread::get_id();
  conn->deadline = conn->accepted + options_.header_timeout;
  asio::co_spawn(conn->socket.get_executor(), Watch(conn), asio::detached);
  if (tls_) {
    co_await ServeTls(*conn);
  } else {
    co_await ServeRequests(serve_context_, *conn, conn->socket);
  }
  conn->Close();
  bool trim = false;
  {
    MutexLock lock(mu_);
    trim = ForgetLocked(conn);
  }
  // Off the I/O threads; skipped if the workers are full or stopped.
  if (trim) (void)runtime_.workers().Submit([] { TrimMemory(); });
}

LoopAwaitable<void> HttpServerImpl::ServeTls(Connection& conn) {
  // Only the failure hook needs the address: one getpeername, while the
  // socket is surely open.
  asio::ip::address remote;
  if (options_.on_tls_handshake_failure) {
    beast::error_code ignored;
    remote = conn.socket.remote_endpoint(ignored).address();
  }
  // No TLS state (asio's two 17 KiB buffers and OpenSSL's) until the client
  // has sent something and a handshake slot is free: a flood of silent or
  // stalled clients costs little more than their sockets.
  auto [ec] = co_await conn.socket.async_wait(tcp::socket::wait_read, kLoopAwait);
  if (ec || conn.closed || PeerClosed(conn.socket)) {
    // A client that connected and closed without a byte is a port probe,
    // not a failed handshake; one that stayed silent timed out.
    if (conn.timed_out) ReportHandshakeFailure(conn, remote, {});
    co_return;
  }
  HandshakeGate& gate = gates_[conn.loop];
  if (!gate.TryEnter(conn)) {
    co_await conn.wake.async_wait(kLoopAwait);
    if (!conn.handshake_granted) {  // closed while waiting
      gate.Forget(conn);
      if (conn.timed_out) ReportHandshakeFailure(conn, remote, {});
      co_return;
    }
  }
  if (conn.closed || PeerClosed(conn.socket)) {
    gate.Leave();
    if (conn.timed_out) ReportHandshakeFailure(conn, remote, {});
    co_return;
  }
  // The context in force now; a reload later leaves this connection on it.
  conn.tls_context = tls_->Get();
  conn.tls = std::make_unique<asio::ssl::stream<Socket&>>(conn.socket, *conn.tls_context);
  // OpenSSL frees its record buffers whenever it holds no data.
  SSL_set_mode(conn.tls->native_handle(), SSL_MODE_RELEASE_BUFFERS);
  conn.deadline = std::min(conn.deadline, Clock::now() + options_.handshake_timeout);
  // The handshake verifies the client's certificate: a client without a
  // valid one is refused here, before any request is read.
  auto [handshake_ec] = co_await conn.tls->async_handshake(asio::ssl::stream_base::server, kLoopAwait);
  gate.Leave();
  if (handshake_ec || conn.closed) {
    ReportHandshakeFailure(conn, remote, handshake_ec);
    co_return;
  }
  conn.deadline = conn.accepted + options_.header_timeout;
  co_await ServeRequests(serve_context_, conn, *conn.tls);
}

void HttpServerImpl::ReportHandshakeFailure(Connection& conn, const asio::ip::address& remote,
                                            const beast::error_code& ec) {
  if (!options_.on_tls_handshake_failure) return;
  std::string_view reason;
  if (conn.timed_out) {
    reason = "timeout";
  } else if (conn.closed) {
    return;  // closed by the server: Stop, or evicted at max_connections
  } else {
    reason = ClassifyHandshakeFailure(ec, conn.tls ? conn.tls->native_handle() : nullptr);
  }
  const std::string address = remote.is_unspecified() ? std::string("unknown") : remote.to_string();
  options_.on_tls_handshake_failure(address, reason);
}

Status HttpServerImpl::ReloadTls(const TlsOptions& tls) {
  if (!tls_) {
    return Status::InvalidArgument("TLS reload on " + options_.host + ":" + std::to_string(port_) +
                                   ": the server was started without TLS");
  }
  Result<std::shared_ptr<asio::ssl::context>> context = MakeTlsContext(tls, TlsRole::kServer);
  if (!context.ok()) return context.status();
  tls_->Publish(std::move(context).value());
  return Status::Ok();
}

HttpServerStats HttpServerImpl::stats() {
  HttpServerStats stats;
  stats.accepted = accepted_.load(std::memory_order_relaxed);
  stats.refused = refused_.load(std::memory_order_relaxed);
  stats.open = connections();
  return stats;
}

size_t HttpServerImpl::connections() {
  MutexLock lock(mu_);
  return connections_.size() - evicting_;
}

void HttpServerImpl::CloseConnections(bool only_idle) {
  MutexLock lock(mu_);
  for (const std::shared_ptr<Connection>& conn : connections_) {
    asio::post(conn->socket.get_executor(), [conn, only_idle] {
      if (only_idle && !conn->idle()) return;
      conn->Close();
      if (conn->slot) conn->slot->timer.cancel();  // a handler still working is abandoned
    });
  }
}

void HttpServerImpl::Stop(std::chrono::milliseconds grace) {
  if (stopping_.exchange(true)) return;
  asio::post(accept_context_, [this] {
    beast::error_code ignored;
    acceptor_.close(ignored);
  });
  {
    // The accept loop sees the closed acceptor and ends, and the thread with it.
    MutexLock lock(accept_thread_mu_);
    if (accept_thread_.joinable()) accept_thread_.join();
  }
  // Idle keep-alive connections close now; busy ones after their response.
  CloseConnections(/*only_idle=*/true);
  if (!WaitDrained(Clock::now() + grace)) {
    CloseConnections(/*only_idle=*/false);
    WaitDrained(Clock::now() + std::chrono::seconds(1));
  }
}

bool HttpServerImpl::WaitDrained(Clock::time_point deadline) {
  MutexLock lock(mu_);
  while (!connections_.empty()) {
    if (!drained_.WaitUntil(mu_, deadline)) return connections_.empty();
  }
  return true;
}

}  // namespace internal

HttpServer::HttpServer(std::unique_ptr<internal::HttpServerImpl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() { Stop(); }

Result<std::unique_ptr<HttpServer>> HttpServer::Listen(Runtime& runtime, HttpServerOptions options) {
  auto impl = std::make_shared<internal::HttpServerImpl>(runtime.impl(), std::move(options));
  Status status = impl->Bind();
  if (!status.ok()) return status;
  std::unique_ptr<HttpServer> server(new HttpServer(nullptr));
  server->impl_ = std::move(impl);
  return server;
}

void HttpServer::Handle(std::string pattern, HttpHandler handler) {
  impl_->Handle(std::move(pattern), std::move(handler));
}
void HttpServer::Start() { impl_->Start(); }
uint16_t HttpServer::port() const { return impl_->port(); }
size_t HttpServer::connections() const { return impl_->connections(); }
HttpServerStats HttpServer::stats() const { return impl_->stats(); }
Status HttpServer::ReloadTls(const TlsOptions& tls) { return impl_->ReloadTls(tls); }
void HttpServer::Stop(std::chrono::milliseconds grace) {
  if (impl_) impl_->Stop(grace);
}

}  // namespace groupcache
