// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The read layer of the server: a connection's requests, one at a time.
#ifndef GROUPCACHE_SRC_HTTP_REQUEST_READER_H_
#define GROUPCACHE_SRC_HTTP_REQUEST_READER_H_

#include <atomic>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "groupcache/http_server.h"
#include "http/request_head.h"
#include "http/server_impl.h"

namespace groupcache::internal {

// One request as read from a connection.
struct IncomingRequest {
  bool refused = false;  // unreadable but answerable: send `refusal`, then close
  HttpResponse refusal;
  // For a request that is not refused: views into the reader's buffers,
  // valid until its Consume.
  std::string_view method;
  std::string_view target;
  std::string_view body;  // empty unless the request had one
  bool keep_alive = false;
  std::function<std::string_view(std::string_view)> header;
};

// Whether the connection persists after `request` (RFC 9112 §9.3), reading
// every Connection field: Beast's keep_alive() reads only the first, so
// "Connection: keep-alive" then "Connection: close" would stay open, where
// the fast parser (and the RFC) close.
bool KeepAlive(const boost::beast::http::request<boost::beast::http::string_body>& request);

// The response to a request Beast could not read (431, 413, 400), or nothing
// when there is nobody to answer (a timeout, a reset, a close mid-request).
std::optional<HttpResponse> ReadErrorResponse(const boost::beast::error_code& ec);

// A RequestReader reads a connection's requests without doing I/O itself:
// it says what it needs next (a Step) and the request loop does that on its
// stream and reports back. So the reads of a cache hit are awaited in the
// loop's own coroutine frame (a nested coroutine per request measured 15%
// of a hit's instructions), and the loop can run on any stream.
//
// The common request (no body, plain fields) is parsed in place by
// ParseRequestHead; anything else, and anything over the header limit, goes
// to Beast's parser with the bytes read so far (kReadWithBeast). It keeps the
// connection's deadline (watched by the server's watchdog) and idle state,
// and on a plain socket holds no buffer while a connection waits for a
// request's first byte (kWaitReadable), and gives its buffer back when the
// watchdog cancels the read of a kept-alive connection gone idle.
// Thread-safety: the connection's loop thread only.
class RequestReader {
 public:
  enum class Step {
    kRequest,        // request() is complete, or refused: dispatch it
    kClosed,         // closed, reset, timed out or cut off mid-request: nobody to answer
    kWaitReadable,   // wait for the socket to be readable, then Waited
    kReadSome,       // read some bytes into ReadBuffer(), then Received
    kReadWithBeast,  // co_await ReadWithBeast(stream)
  };

  // `plain_socket`: the stream is conn.socket itself. Only then can the
  // reader wait for readability with no buffer: under TLS, OpenSSL may
  // already hold bytes read from the socket.
  RequestReader(const HttpServerOptions& options, const std::atomic<bool>& stopping, Connection& conn,
                bool plain_socket)
      : options_(options),
        stopping_(stopping),
        conn_(conn),
        plain_(plain_socket),
        buffer_(options.max_header_bytes + options.max_body_bytes) {}

  // Starts the wait for a kept-alive connection's next request: it may wait
  // idle_timeout for the first byte, or header_timeout if bytes of it are
  // already here. (A new connection's first head is due header_timeout after
  // the accept, set by the server.)
  void AwaitNext();

  // What to do next for the current request.
  Step Next();
  // The socket is readable (or `ec`): kReadSome or kClosed.
  Step Waited(const boost::beast::error_code& ec);
  // Where a kReadSome read goes.
  boost::asio::mutable_buffer ReadBuffer();
  // A kReadSome read gave `n` bytes (or `ec`): the next step.
  Step Received(const boost::beast::error_code& ec, size_t n);
  // Reads the head (and any body) with Beast from the bytes buffered on:
  // kRequest or kClosed.
  template <typename Stream>
  LoopAwaitable<Step> ReadWithBeast(Stream& stream);

  // The request, after kRequest.
  IncomingRequest& request() { return request_; }
  // Lets go of the request; its views are dead after this.
  void Consume();

 private:
  // A connection's first read: room for any common request head, and little
  // for each of thousands of connections that send a few bytes and stall.
  static constexpr size_t kFirstRead = 2 * 1024;
  // The most one read grows the buffer by.
  static constexpr size_t kReadChunk = 16 * 1024;

  // Decides a request refused by Beast's parser or the framing rules: a
  // refusal (kRequest), or kClosed when there is nobody to answer.
  Step Refuse(const boost::beast::error_code& ec, std::string_view violation);
  // Fills request() from Beast's parsed message.
  Step TakeParsed();

  const HttpServerOptions& options_;
  const std::atomic<bool>& stopping_;
  Connection& conn_;
  const bool plain_;
  boost::beast::flat_buffer buffer_;
  RequestHead fast_;
  HeadParse state_ = HeadParse::kIncomplete;
  bool first_request_ = true;
  bool first_bytes_ = false;  // the read in progress is of a request's first bytes
  IncomingRequest request_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
};

template <typename Stream>
LoopAwaitable<RequestReader::Step> RequestReader::ReadWithBeast(Stream& stream) {
  namespace http = boost::beast::http;
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(options_.max_header_bytes));
  parser_->body_limit(options_.max_body_bytes);
  auto [ec, unused] = co_await http::async_read_header(stream, buffer_, *parser_, kLoopAwait);
  conn_.MarkBusy();
  std::string_view violation;
  if (!ec) {
    // The framing rules decide on the head, before any body is read: a body
    // whose end is in doubt is never read, so a request hidden in it is
    // never answered.
    FramingRules rules;
    for (const auto& field : parser_->get()) rules.See(field.name_string(), field.value());
    violation = rules.Violation(parser_->get().version() == 11);
  }
  if (!ec && violation.empty() && !parser_->is_done()) {
    conn_.deadline = Clock::now() + options_.read_timeout;
    std::tie(ec, unused) = co_await http::async_read(stream, buffer_, *parser_, kLoopAwait);
  }
  if (ec || !violation.empty()) co_return Refuse(ec, violation);
  co_return TakeParsed();
}

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_REQUEST_READER_H_
