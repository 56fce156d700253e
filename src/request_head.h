// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_REQUEST_HEAD_H_
#define GROUPCACHE_SRC_REQUEST_HEAD_H_

#include <array>
#include <cstddef>
#include <string_view>
#include <utility>

namespace groupcache::internal {

// A request head (request line and header fields) parsed in place: every
// view points into the bytes given to ParseRequestHead.
struct RequestHead {
  static constexpr size_t kMaxFields = 32;

  std::string_view method;
  std::string_view target;
  bool keep_alive = false;
  size_t size = 0;  // bytes of the head, up to and including the empty line
  std::array<std::pair<std::string_view, std::string_view>, kMaxFields> fields;
  size_t field_count = 0;

  // The value of the first field called `name` (case-insensitive), or empty.
  std::string_view Find(std::string_view name) const;
};

enum class HeadParse {
  kComplete,    // *head holds a request without a body
  kIncomplete,  // valid so far: read more bytes and call again
  kFallback,    // not handled here: let the full HTTP parser (Beast) decide
};

// Parses the head at the start of `bytes`, for the common request the
// server's hot path sees: HTTP/1.1 or 1.0, CRLF line ends, no body. It is a
// strict subset of RFC 9112 and never answers for anything outside it:
// bare LF line ends, obs-fold, control characters, a body (Content-Length
// other than 0, any Transfer-Encoding), a Connection header other than
// "close" or "keep-alive", more than kMaxFields fields, or anything malformed
// gives kFallback, and the caller hands the same bytes to Beast, which
// accepts what HTTP allows and produces the error response for the rest.
// Written by hand because Beast's general parser (field table, allocation per
// field) was a fifth of the instructions of a cache hit served over HTTP.
// The caller bounds the bytes (max_header_bytes) and stops calling at the
// limit; this function reads only `bytes`.
HeadParse ParseRequestHead(std::string_view bytes, RequestHead* head);

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_REQUEST_HEAD_H_
