// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/http_server.h"

#include <poll.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <optional>
#include <string_view>
#include <tuple>
#include <type_traits>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http_response_head.h"
#include "http_server_impl.h"
#include "request_head.h"
#include "tls_context.h"

namespace groupcache {
namespace internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr auto kLoopAwait = asio::as_tuple(asio::use_awaitable_t<LoopExecutor>());
// A connection's first read: room for any common request head, and little
// for each of thousands of connections that send a few bytes and stall.
constexpr size_t kFirstRead = 2 * 1024;
// The most one read grows the buffer by.
constexpr size_t kReadChunk = 16 * 1024;
// At max_connections one scan of all connections picks this fraction of
// them to close, so a flood of new ones pays for a scan only once a batch.
constexpr size_t kEvictionBatchDivisor = 64;
// Memory goes back to the system when the number of connections falls to a
// quarter of a peak at least this high.
constexpr size_t kTrimPeak = 256;

// The response to a request that could not be read, or nothing (just close).
std::optional<HttpResponse> ReadErrorResponse(const beast::error_code& ec) {
  if (ec == http::error::header_limit) return TextResponse(431, "request header fields too large");
  if (ec == http::error::body_limit) return TextResponse(413, "request body too large");
  if (ec.category() == beast::error_code(http::error::end_of_stream).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return TextResponse(400, "bad request");
  }
  return std::nullopt;  // timeout, reset, or closed mid-request: nobody to answer
}

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

void ResponseSlot::Complete(std::shared_ptr<ResponseSlot> slot, HttpResponse response) {
  // Checking the thread first means in_handler is only read on the loop thread.
  if (std::this_thread::get_id() == slot->loop_thread && slot->in_handler) {
    slot->response = std::move(response);
    slot->ready = true;
    return;
  }
  auto executor = slot->timer.get_executor();
  asio::post(executor, [slot = std::move(slot), response = std::move(response)]() mutable {
    slot->response = std::move(response);
    slot->ready = true;
    slot->timer.cancel();
  });
}

void Connection::Close() {
  if (closed) return;
  closed = true;
  beast::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
  watchdog.cancel();
  wake.cancel();
}

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
  std::lock_guard<std::mutex> lock(accept_thread_mu_);
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
    tls_ = std::move(context).value();
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
  routes_.emplace_back(std::move(pattern), std::move(handler));
  std::stable_sort(routes_.begin(), routes_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

const HttpHandler* HttpServerImpl::Route(std::string_view path) const {
  for (const auto& [pattern, handler] : routes_) {
    if (path == pattern || (!pattern.empty() && pattern.back() == '/' && path.starts_with(pattern))) {
      return &handler;
    }
  }
  return nullptr;
}

void HttpServerImpl::Start() {
  if (stopping_ || started_.exchange(true)) return;
  std::lock_guard<std::mutex> lock(accept_thread_mu_);
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
  std::vector<std::shared_ptr<Connection>> evictions;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;  // conn closes as it goes
    if (connections_.size() - evicting_ >= options_.max_connections) {
      // Full: idle connections make room, so that silent or stalled
      // clients can never lock out real ones.
      evictions = PickEvictionsLocked();
      if (evictions.empty()) return;  // every connection is busy: conn closes as it goes
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
      std::lock_guard<std::mutex> lock(self->mu_);
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
  if (connections_.empty()) drained_.notify_all();
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
    co_await ServeRequests(*conn, conn->socket);
  }
  conn->Close();
  bool trim = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    trim = ForgetLocked(conn);
  }
  // Off the I/O threads; skipped if the workers are full or stopped.
  if (trim) (void)runtime_.workers().Submit([] { TrimMemory(); });
}

LoopAwaitable<void> HttpServerImpl::ServeTls(Connection& conn) {
  // No TLS state (asio's two 17 KiB buffers and OpenSSL's) until the client
  // has sent something and a handshake slot is free: a flood of silent or
  // stalled clients costs little more than their sockets.
  auto [ec] = co_await conn.socket.async_wait(tcp::socket::wait_read, kLoopAwait);
  if (ec || conn.closed || PeerClosed(conn.socket)) co_return;
  HandshakeGate& gate = gates_[conn.loop];
  if (!gate.TryEnter(conn)) {
    co_await conn.wake.async_wait(kLoopAwait);
    if (!conn.handshake_granted) {  // closed while waiting
      gate.Forget(conn);
      co_return;
    }
  }
  if (conn.closed || PeerClosed(conn.socket)) {
    gate.Leave();
    co_return;
  }
  conn.tls = std::make_unique<asio::ssl::stream<Socket&>>(conn.socket, *tls_);
  // OpenSSL frees its record buffers whenever it holds no data.
  SSL_set_mode(conn.tls->native_handle(), SSL_MODE_RELEASE_BUFFERS);
  conn.deadline = std::min(conn.deadline, Clock::now() + options_.handshake_timeout);
  // The handshake verifies the client's certificate: a client without a
  // valid one is refused here, before any request is read.
  auto [handshake_ec] = co_await conn.tls->async_handshake(asio::ssl::stream_base::server, kLoopAwait);
  gate.Leave();
  if (handshake_ec || conn.closed) co_return;
  conn.deadline = conn.accepted + options_.header_timeout;
  co_await ServeRequests(conn, *conn.tls);
}

template <typename Stream>
LoopAwaitable<void> HttpServerImpl::ServeRequests(Connection& conn, Stream& stream) {
  // Only a plain socket can wait for readability with no buffer: under TLS,
  // OpenSSL may already hold bytes read from the socket.
  constexpr bool kPlain = std::is_same_v<Stream, Socket>;
  ResponseSlot& slot = *conn.slot;
  beast::flat_buffer buffer(options_.max_header_bytes + options_.max_body_bytes);
  std::string head;
  RequestHead fast;
  for (bool first = true;; first = false) {
    // A new connection's first head is due header_timeout after the
    // accept (set by Serve). A kept-alive connection may wait idle_timeout
    // for its next request; once bytes of it are here, header_timeout.
    if (!first) {
      const Clock::time_point now = Clock::now();
      conn.MarkIdle(now);
      conn.deadline = now + (buffer.size() == 0 ? options_.idle_timeout : options_.header_timeout);
      // A body read may have grown the buffer well past what heads need.
      if (buffer.size() == 0 && buffer.capacity() > kReadChunk) buffer.shrink_to_fit();
    }

    // The common request (no body, plain fields) is parsed in place here;
    // anything else, and anything over the header limit, goes to Beast with
    // the bytes read so far. Only the first max_header_bytes are offered, so
    // a head is never accepted here that Beast would refuse as too large.
    HeadParse state;
    beast::error_code ec;
    for (;;) {
      const std::string_view bytes(static_cast<const char*>(buffer.data().data()), buffer.size());
      state = ParseRequestHead(bytes.substr(0, options_.max_header_bytes), &fast);
      if (state != HeadParse::kIncomplete) break;
      if (buffer.size() >= options_.max_header_bytes) {
        state = HeadParse::kFallback;
        break;
      }
      const bool first_bytes = buffer.size() == 0;
      if constexpr (kPlain) {
        if (buffer.capacity() == 0) {
          // A new or parked connection: take a buffer only once bytes are here.
          std::tie(ec) = co_await conn.socket.async_wait(tcp::socket::wait_read, kLoopAwait);
          if (ec) break;
        }
        conn.parkable = first_bytes;
      }
      size_t room = buffer.capacity() - buffer.size();
      if (room == 0) room = buffer.capacity() == 0 ? kFirstRead : std::min(buffer.capacity(), kReadChunk);
      room = std::min(room, buffer.max_size() - buffer.size());
      size_t n = 0;
      std::tie(ec, n) = co_await stream.async_read_some(buffer.prepare(room), kLoopAwait);
      if constexpr (kPlain) {
        conn.parkable = false;
        if (conn.parked) {
          conn.parked = false;
          if (ec == asio::error::operation_aborted && !conn.closed) {
            // The watchdog cancelled the read of an idle connection: let
            // the buffers go until the next request's bytes arrive.
            buffer.shrink_to_fit();
            head = std::string();
            ec = {};
            continue;
          }
        }
      }
      if (ec) break;
      buffer.commit(n);
      if (first_bytes && !first) conn.deadline = Clock::now() + options_.header_timeout;
    }
    // Closed, reset, timed out or cut off mid-request: nobody to answer.
    if (ec || conn.closed) break;

    HttpResponse response;
    bool keep_alive = false;
    bool head_only = false;
    bool readable = false;  // a request to route (not an error response)
    std::string_view method;
    std::string_view target;
    std::function<std::string_view(std::string_view)> header;
    std::optional<http::request_parser<http::string_body>> parser;
    if (state == HeadParse::kComplete) {
      conn.MarkBusy();
      method = fast.method;
      target = fast.target;
      keep_alive = fast.keep_alive;
      header = [&fast](std::string_view name) { return fast.Find(name); };
      readable = true;
    } else if (state == HeadParse::kInvalid) {
      // Not HTTP, or not a request line: refused without waiting for more.
      conn.MarkBusy();
      response = TextResponse(400, "bad request");
    } else {
      parser.emplace();
      parser->header_limit(static_cast<uint32_t>(options_.max_header_bytes));
      parser->body_limit(options_.max_body_bytes);
      size_t unused = 0;
      std::tie(ec, unused) = co_await http::async_read_header(stream, buffer, *parser, kLoopAwait);
      conn.MarkBusy();
      std::string_view violation;
      if (!ec) {
        // The framing rules decide on the head, before any body is read:
        // a body whose end is in doubt is never read, so a request hidden
        // in it is never answered.
        FramingRules rules;
        for (const auto& field : parser->get()) rules.See(field.name_string(), field.value());
        violation = rules.Violation(parser->get().version() == 11);
      }
      if (!ec && violation.empty() && !parser->is_done()) {
        conn.deadline = Clock::now() + options_.read_timeout;
        std::tie(ec, unused) = co_await http::async_read(stream, buffer, *parser, kLoopAwait);
      }
      if (conn.closed || (stopping_ && ec)) break;
      if (ec) {
        std::optional<HttpResponse> error = ReadErrorResponse(ec);
        if (!error) break;
        response = std::move(*error);
      } else if (!violation.empty()) {
        response = TextResponse(400, "bad request: " + std::string(violation));
      } else {
        const auto* msg = &parser->get();
        method = std::string_view(msg->method_string());
        target = std::string_view(msg->target());
        keep_alive = msg->keep_alive();
        header = [msg](std::string_view name) -> std::string_view {
          auto it = msg->find(name);
          return it == msg->end() ? std::string_view() : std::string_view(it->value());
        };
        readable = true;
      }
    }

    if (readable) {
      head_only = method == "HEAD";
      if (target.size() > options_.max_target_bytes) {
        response = TextResponse(414, "request URI too long");
        keep_alive = false;
      } else if (target.empty() || target.front() != '/') {
        response = TextResponse(400, "bad request");
        keep_alive = false;
      } else {
        const size_t question = target.find('?');
        HttpRequest request;
        request.method = method;
        request.target = target;
        request.path = target.substr(0, question);
        request.query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
        request.header = std::move(header);
        const HttpHandler* handler = Route(request.path);
        if (handler == nullptr) {
          response = TextResponse(404, "404 page not found");
        } else {
          // The handler's own bounds apply while it works (peer deadlines,
          // the getter); the connection's timers do not.
          conn.deadline = Clock::time_point::max();
          slot.ready = false;
          slot.in_handler = true;
          try {
            (*handler)(request, Responder(conn.slot));
          } catch (...) {
            // The Responder was dropped by the unwinding and answered 500.
          }
          slot.in_handler = false;
          if (!slot.ready) {
            // The response comes from another thread: sleep until it posts.
            slot.timer.expires_at(Clock::time_point::max());
            co_await slot.timer.async_wait(kLoopAwait);
            if (!slot.ready) break;  // the server is closing the connection
          }
          response = std::move(slot.response);
          slot.response = HttpResponse();
        }
      }
    }
    // The request's views are dead now; a fast-parsed head leaves the buffer
    // here (Beast consumed its own).
    if (state == HeadParse::kComplete) buffer.consume(fast.size);
    if (stopping_) keep_alive = false;
    const std::string_view head_bytes = BuildResponseHead(head, response, keep_alive);
    std::array<asio::const_buffer, 3> buffers = {asio::buffer(head_bytes.data(), head_bytes.size()),
                                                 asio::const_buffer(), asio::const_buffer()};
    if (!head_only && ResponseHasBody(response.status)) {
      buffers[1] = asio::buffer(response.body_prefix);
      buffers[2] = asio::buffer(response.body.data(), response.body.size());
    }
    conn.deadline = Clock::now() + options_.write_timeout;
    auto [write_ec, written] = co_await asio::async_write(stream, buffers, kLoopAwait);
    if (write_ec || !keep_alive || conn.closed) break;
  }
}

size_t HttpServerImpl::connections() {
  std::lock_guard<std::mutex> lock(mu_);
  return connections_.size() - evicting_;
}

void HttpServerImpl::CloseConnections(bool only_idle) {
  std::lock_guard<std::mutex> lock(mu_);
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
    std::lock_guard<std::mutex> lock(accept_thread_mu_);
    if (accept_thread_.joinable()) accept_thread_.join();
  }
  // Idle keep-alive connections close now; busy ones after their response.
  CloseConnections(/*only_idle=*/true);
  std::unique_lock<std::mutex> lock(mu_);
  if (!drained_.wait_for(lock, grace, [this] { return connections_.empty(); })) {
    lock.unlock();
    CloseConnections(/*only_idle=*/false);
    lock.lock();
    drained_.wait_for(lock, std::chrono::seconds(1), [this] { return connections_.empty(); });
  }
}

}  // namespace internal

HttpResponse TextResponse(int status, std::string_view message) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  std::string text(message);
  text += '\n';
  response.body = ByteView::CopyOf(text);
  return response;
}

Responder::Responder(std::shared_ptr<internal::ResponseSlot> slot) : slot_(std::move(slot)) {}
Responder::Responder(Responder&&) noexcept = default;

Responder& Responder::operator=(Responder&& other) noexcept {
  if (this != &other) {
    if (slot_) internal::ResponseSlot::Complete(std::move(slot_), TextResponse(500, "internal server error"));
    slot_ = std::move(other.slot_);
  }
  return *this;
}

Responder::~Responder() {
  if (slot_) internal::ResponseSlot::Complete(std::move(slot_), TextResponse(500, "internal server error"));
}

void Responder::Send(HttpResponse response) && {
  if (slot_) internal::ResponseSlot::Complete(std::move(slot_), std::move(response));
}

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

void HttpServer::Handle(std::string pattern, HttpHandler handler) { impl_->Handle(std::move(pattern), std::move(handler)); }
void HttpServer::Start() { impl_->Start(); }
uint16_t HttpServer::port() const { return impl_->port(); }
size_t HttpServer::connections() const { return impl_->connections(); }
void HttpServer::Stop(std::chrono::milliseconds grace) {
  if (impl_) impl_->Stop(grace);
}

Result<std::pair<std::string, uint16_t>> ParseListenAddress(std::string_view addr) {
  const std::string quoted = "listen address \"" + std::string(addr) + "\"";
  const size_t colon = addr.rfind(':');
  if (colon == std::string_view::npos) return Status::InvalidArgument(quoted + ": missing port");
  std::string_view host = addr.substr(0, colon);
  const std::string_view port_text = addr.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return Status::InvalidArgument(quoted + ": an IPv6 host must be in brackets");
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return Status::InvalidArgument(quoted + ": invalid port");
  }
  std::string host_string(host);
  if (host_string == "localhost") host_string = "127.0.0.1";
  return std::make_pair(std::move(host_string), static_cast<uint16_t>(port));
}

}  // namespace groupcache
