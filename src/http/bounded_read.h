// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Reading HTTP responses from a remote server (a peer, an origin) that may be
// hostile: within one deadline however the bytes arrive, and with the body's
// memory leased from a ByteBudget. Shared by the peer client and
// groupcached's http source.
#ifndef GROUPCACHE_SRC_HTTP_BOUNDED_READ_H_
#define GROUPCACHE_SRC_HTTP_BOUNDED_READ_H_

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/optional/optional.hpp>
#include <boost/system/errc.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "groupcache/byte_budget.h"

namespace groupcache::internal {

// The most bytes of a response that wait in the read buffer at once: the
// head (its own limit is lower) or one chunk-size line with its extensions.
// Body bytes move to the body as they are parsed, so a response whose
// framing needs more than this (a chunk extension that never ends) fails
// with beast's buffer_overflow instead of growing the buffer.
inline constexpr size_t kMaxResponseFramingBytes = 64 * 1024;
// The read buffer reserved for a body Beast parses (chunked, or to the end
// of the stream): Beast reads at most the buffer's free capacity at a time,
// which is 512 bytes unless reserved.
inline constexpr size_t kChunkedReadBytes = 16 * 1024;

// A BudgetedBody is a Beast body held in a std::string whose capacity is
// leased from a ByteBudget (value_type::lease) before it is allocated: the
// declared Content-Length up front, a chunked body as it grows. Over the
// budget, the parse fails with OverBudget() and nothing more is allocated.
struct BudgetedBody {
  struct value_type {
    std::string data;
    ByteBudget::Lease lease;  // set before reading; holds data's capacity
  };

  static std::uint64_t size(const value_type& body) { return body.data.size(); }

  // The error a parse fails with when the budget is spent.
  static boost::beast::error_code OverBudget() {
    return boost::system::errc::make_error_code(boost::system::errc::not_enough_memory);
  }

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, boost::beast::error_code& ec) {
      ec = {};
      if (length && *length > 0) Reserve(static_cast<size_t>(*length), ec);
    }

    template <class ConstBufferSequence>
    size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      ec = {};
      const size_t n = boost::asio::buffer_size(buffers);
      std::string& data = body_.data;
      if (data.size() + n > data.capacity()) {
        // Grow as std::string would (doubling), but lease the bytes first.
        Reserve(std::max(data.size() + n, 2 * data.capacity()), ec);
        if (ec) return 0;
      }
      const size_t at = data.size();
      data.resize(at + n);
      boost::asio::buffer_copy(boost::asio::buffer(data.data() + at, n), buffers);
      return n;
    }

    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    void Reserve(size_t capacity, boost::beast::error_code& ec) {
      if (!body_.lease.GrowTo(capacity)) {
        ec = OverBudget();
        return;
      }
      body_.data.reserve(capacity);
    }

    value_type& body_;
  };
};

// A ReadDeadline is the one deadline of a fetch: a timer that, when it fires,
// runs the action set last (closing the socket in use, cancelling a name
// lookup), so whatever operation is pending fails at once; and a clock that
// the read loop checks between reads, which a peer that always has the next
// bytes ready cannot outrun. Cancel() makes it fire now (shutdown).
// Not thread-safe: one fetch on one event loop uses it.
class ReadDeadline {
 public:
  using Clock = std::chrono::steady_clock;

  template <class Executor>
  ReadDeadline(const Executor& executor, Clock::time_point deadline)
      : deadline_(deadline), timer_(executor, deadline), state_(std::make_shared<State>()) {
    timer_.async_wait([state = state_](const boost::beast::error_code& ec) {
      if (!ec && state->armed) state->Fire();
    });
  }
  ~ReadDeadline() {
    state_->armed = false;
    state_->action = nullptr;
    timer_.cancel();
  }
  ReadDeadline(const ReadDeadline&) = delete;
  ReadDeadline& operator=(const ReadDeadline&) = delete;

  // What expiry does from now on; null: nothing (the connection went back to
  // a pool and must not be closed by this fetch any more).
  void OnExpiry(std::function<void()> action) {
    state_->action = std::move(action);
    if (state_->fired && state_->action) state_->action();
  }
  // Fires now: the pending operation fails and cancelled() is true.
  void Cancel() {
    state_->cancelled = true;
    if (state_->armed) state_->Fire();
  }
  // True once the deadline has passed or Cancel was called.
  bool passed() const { return state_->fired || Clock::now() >= deadline_; }
  bool cancelled() const { return state_->cancelled; }
  Clock::time_point deadline() const { return deadline_; }

 private:
  struct State {
    void Fire() {
      fired = true;
      if (action) action();
    }
    bool armed = true;
    bool fired = false;
    bool cancelled = false;
    std::function<void()> action;
  };

  const Clock::time_point deadline_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<State> state_;
};

// The error a read ends with once `deadline` has passed: beast's timeout,
// or operation_aborted when the deadline was cancelled (shutdown).
inline boost::beast::error_code StoppedBy(const ReadDeadline& deadline) {
  if (deadline.cancelled()) return boost::asio::error::operation_aborted;
  return boost::beast::error::timeout;
}

// Reads from `stream` into `parser` until the message is complete (or only
// its head, with head_only), one read at a time, checking `deadline` before
// each: the deadline bounds the whole read whatever the peer sends (1-byte
// chunks, endless chunk extensions, a trickle). `buffer` must have been made
// with a max_size (kMaxResponseFramingBytes). Returns beast::error::timeout
// once the deadline has passed (asio::error::operation_aborted when it was
// cancelled), else the parser's or the stream's error.
template <class Stream, bool isRequest>
boost::asio::awaitable<boost::beast::error_code> ReadBefore(
    Stream& stream, boost::beast::flat_buffer& buffer, boost::beast::http::basic_parser<isRequest>& parser,
    const ReadDeadline& deadline, bool head_only = false) {
  namespace asio = boost::asio;
  while (!(head_only ? parser.is_header_done() : parser.is_done())) {
    if (deadline.passed()) co_return StoppedBy(deadline);
    auto [ec, n] = co_await boost::beast::http::async_read_some(stream, buffer, parser,
                                                                asio::as_tuple(asio::use_awaitable));
    if (ec) co_return deadline.passed() ? StoppedBy(deadline) : ec;
  }
  co_return boost::beast::error_code();
}

// The length of the body of a response whose head `parser` has read, when
// its head declares one (Content-Length, not chunked); nullopt when the body
// is chunked or runs to the end of the stream.
template <bool isRequest>
std::optional<size_t> DeclaredBodyLength(const boost::beast::http::basic_parser<isRequest>& parser) {
  if (parser.chunked() || !parser.content_length()) return std::nullopt;
  return static_cast<size_t>(*parser.content_length());
}

// Reads exactly `size` body bytes into `dest`: first those already in
// `buffer` (read along with the head), then straight from the stream, each
// read asking for all that is still missing. Why not Beast's parser for a
// body of declared length: it reads into `buffer` only as much as the
// buffer's capacity (512 bytes when the head fitted in that), so a 64 KiB
// value took some 130 system calls and coroutine resumptions, and then it
// copies every byte again into the body. Here a body costs one read per
// socket buffer's worth and no copy in user space. Bytes in `buffer` past
// the body stay there (the caller decides what stray bytes mean). The
// deadline is checked before each read, as ReadBefore does; a stream that
// ends early fails with http::error::partial_message.
template <class Stream>
boost::asio::awaitable<boost::beast::error_code> ReadBodyInto(Stream& stream,
                                                              boost::beast::flat_buffer& buffer, char* dest,
                                                              size_t size, const ReadDeadline& deadline) {
  namespace asio = boost::asio;
  const size_t buffered = std::min(size, buffer.size());
  asio::buffer_copy(asio::buffer(dest, buffered), buffer.data());
  buffer.consume(buffered);
  for (size_t have = buffered; have < size;) {
    if (deadline.passed()) co_return StoppedBy(deadline);
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(dest + have, size - have),
                                                   asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (deadline.passed()) co_return StoppedBy(deadline);
      co_return ec == asio::error::eof ? boost::beast::http::error::partial_message : ec;
    }
    have += n;
  }
  co_return boost::beast::error_code();
}

// Reads the body of a response whose head `parser` has read (not eagerly, so
// none of the body is parsed yet). A body of declared length is read by
// ReadBodyInto into the `length` bytes `allocate(length)` returns, once they
// are leased from the parser's budget; *declared is then true. A chunked
// body, or one that runs to the end of the stream, is parsed by Beast into
// the parser's BudgetedBody, kChunkedReadBytes at most per read.
template <class Stream, class Allocate>
boost::asio::awaitable<boost::beast::error_code> ReadResponseBody(
    Stream& stream, boost::beast::flat_buffer& buffer,
    boost::beast::http::response_parser<BudgetedBody>& parser, const ReadDeadline& deadline,
    Allocate allocate, bool* declared) {
  *declared = false;
  if (parser.is_done()) co_return boost::beast::error_code();  // no body
  if (const std::optional<size_t> length = DeclaredBodyLength(parser)) {
    *declared = true;
    if (*length == 0) co_return boost::beast::error_code();
    if (!parser.get().body().lease.GrowTo(*length)) co_return BudgetedBody::OverBudget();
    co_return co_await ReadBodyInto(stream, buffer, allocate(*length), *length, deadline);
  }
  buffer.reserve(kChunkedReadBytes);
  parser.eager(true);
  co_return co_await ReadBefore(stream, buffer, parser, deadline);
}

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_BOUNDED_READ_H_
