// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_HTTP_RESPONSE_HEAD_H_
#define GROUPCACHE_SRC_HTTP_RESPONSE_HEAD_H_

#include <array>
#include <boost/asio/buffer.hpp>
#include <string>
#include <string_view>

#include "groupcache/http_server.h"

namespace groupcache::internal {

// Whether a response with `status` carries a body (1xx, 204 and 304 do not).
inline bool ResponseHasBody(int status) { return status >= 200 && status != 204 && status != 304; }

// Writes the status line and headers of `response` into `storage` (reused
// across a connection's requests, so it stops allocating) and returns them;
// the view lives as long as `storage` is untouched. Header names or values
// with a line break are left out, so a handler cannot split the response.
// Serialised by hand rather than with Beast's serializer so the body can go
// out as a gather-write of the protobuf prefix and the cached value, never
// copied.
std::string_view BuildResponseHead(std::string& storage, const HttpResponse& response, bool keep_alive);

// The bytes of `response` for one gather-write: its head (built in
// `storage`), then its body prefix and body, unless the status has no body
// or the request was a HEAD. Valid while `storage` and `response` are.
inline std::array<boost::asio::const_buffer, 3> ResponseBuffers(std::string& storage,
                                                                const HttpResponse& response, bool keep_alive,
                                                                bool head_only) {
  const std::string_view head = BuildResponseHead(storage, response, keep_alive);
  std::array<boost::asio::const_buffer, 3> buffers = {boost::asio::buffer(head.data(), head.size()),
                                                      boost::asio::const_buffer(),
                                                      boost::asio::const_buffer()};
  if (!head_only && ResponseHasBody(response.status)) {
    buffers[1] = boost::asio::buffer(response.body_prefix);
    buffers[2] = boost::asio::buffer(response.body.data(), response.body.size());
  }
  return buffers;
}

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_RESPONSE_HEAD_H_
