// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A connection's request loop, over any stream: read a request
// (request_reader.h), dispatch it (dispatch.h), write the response
// (response_head.h), and again while the connection is kept alive. The
// server runs it on sockets and TLS streams (connection.cc instantiates
// both); tests run it on Beast's test stream, which can fail any operation.
#ifndef GROUPCACHE_SRC_HTTP_REQUEST_LOOP_H_
#define GROUPCACHE_SRC_HTTP_REQUEST_LOOP_H_

#include <boost/asio/write.hpp>
#include <type_traits>

#include "groupcache/http_server.h"
#include "http/dispatch.h"
#include "http/request_reader.h"
#include "http/response_head.h"
#include "http/router.h"
#include "http/server_impl.h"

namespace groupcache::internal {

template <typename Stream>
LoopAwaitable<void> ServeRequests(const ServeContext& server, Connection& conn, Stream& stream) {
  using Step = RequestReader::Step;
  RequestReader reader(server.options, server.stopping, conn, std::is_same_v<Stream, Socket>);
  ResponseSlot& slot = *conn.slot;
  for (bool first = true;; first = false) {
    if (!first) reader.AwaitNext();
    // Read: the reader says what it needs; the I/O happens here.
    Step step = reader.Next();
    for (;;) {
      if (step == Step::kWaitReadable) {
        auto [ec] = co_await conn.socket.async_wait(Socket::wait_read, kLoopAwait);
        step = reader.Waited(ec);
      } else if (step == Step::kReadSome) {
        auto [ec, n] = co_await stream.async_read_some(reader.ReadBuffer(), kLoopAwait);
        step = reader.Received(ec, n);
      } else if (step == Step::kReadWithBeast) {
        step = co_await reader.ReadWithBeast(stream);
      } else {
        break;
      }
    }
    if (step == Step::kClosed) break;

    // Dispatch.
    IncomingRequest& request = reader.request();
    HttpResponse response;
    if (request.refused) {
      response = std::move(request.refusal);
    } else if (!Dispatch(server.router, server.options.max_target_bytes, conn, request, response)) {
      // The response comes from another thread: sleep until it posts.
      slot.timer.expires_at(Clock::time_point::max());
      co_await slot.timer.async_wait(kLoopAwait);
      if (!slot.ready) break;  // the server is closing the connection
      response = std::move(slot.response);
      slot.response = HttpResponse();
    }
    const bool head_only = !request.refused && request.method == "HEAD";
    const bool keep_alive = !request.refused && request.keep_alive && !server.stopping;
    reader.Consume();  // the request's views are dead from here

    // Write.
    conn.deadline = Clock::now() + server.options.write_timeout;
    auto [ec, written] = co_await boost::asio::async_write(
        stream, ResponseBuffers(conn.response_head, response, keep_alive, head_only), kLoopAwait);
    // A stop that began during the write finds this connection busy and
    // leaves it to close itself: it must not wait for another request.
    if (ec || !keep_alive || conn.closed || server.stopping) break;
  }
}

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_REQUEST_LOOP_H_
