// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A connection's close, and its request loop for the two streams the server
// speaks: a plain socket and TLS over one.
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/error.hpp>

#include "http/request_loop.h"
#include "http/server_impl.h"

namespace groupcache::internal {

void Connection::Close() {
  if (closed) return;
  closed = true;
  boost::beast::error_code ignored;
  socket.shutdown(Socket::shutdown_both, ignored);
  socket.close(ignored);
  watchdog.cancel();
  wake.cancel();
}

template LoopAwaitable<void> ServeRequests(const ServeContext&, Connection&, Socket&);
template LoopAwaitable<void> ServeRequests(const ServeContext&, Connection&,
                                           boost::asio::ssl::stream<Socket&>&);

}  // namespace groupcache::internal
