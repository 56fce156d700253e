// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// One connection's request loop: reading request heads (in place, or with
// Beast), calling the handler and writing its response; and the Responder.
#include <algorithm>
#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "groupcache/http_server.h"
#include "http/request_head.h"
#include "http/response_head.h"
#include "http/server_impl.h"

namespace groupcache {
namespace internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Whether the connection persists after `request` (RFC 9112 §9.3), reading
// every Connection field: Beast's keep_alive() reads only the first, so
// "Connection: keep-alive" then "Connection: close" would stay open, where
// the fast parser (and the RFC) close.
bool KeepAlive(const http::request<http::string_body>& request) {
  bool close = false;
  bool keep_alive = false;
  for (const auto& field : request) {
    if (field.name() != http::field::connection) continue;
    for (const auto& token : http::token_list{field.value()}) {
      close = close || beast::iequals(token, "close");
      keep_alive = keep_alive || beast::iequals(token, "keep-alive");
    }
  }
  return !close && (request.version() >= 11 || keep_alive);
}
// A connection's first read: room for any common request head, and little
// for each of thousands of connections that send a few bytes and stall.
constexpr size_t kFirstRead = 2 * 1024;
// The most one read grows the buffer by.
constexpr size_t kReadChunk = 16 * 1024;

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
        keep_alive = KeepAlive(*msg);
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

template LoopAwaitable<void> HttpServerImpl::ServeRequests(Connection&, Socket&);
template LoopAwaitable<void> HttpServerImpl::ServeRequests(Connection&, asio::ssl::stream<Socket&>&);

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

}  // namespace groupcache
