// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// What the http source caches for a key: the origin's body, and what an
// HTTP cache must keep of the origin's answer to serve it again and to
// revalidate it: its Content-Type, its validators (ETag, Last-Modified),
// and, while the origin fails, until when a stale copy may still be served.
//
// The envelope is a value like any other to the library: it travels to
// peers and sits in the caches as one buffer, and the API slices the body
// out of it without a copy. Layout (little-endian):
//
//   8 bytes   magic "\0gchttp1" (the last byte is the version)
//   3 x u16   lengths of content type, etag, last-modified
//   i64       stale_until, Unix nanoseconds (0: the value is not stale)
//   ...       the three strings, then the body
//
// A value that does not decode (a peer running an older groupcached, which
// sent the body alone) is served as a body without metadata.
#ifndef GROUPCACHED_HTTP_ENVELOPE_H_
#define GROUPCACHED_HTTP_ENVELOPE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "groupcache/byte_view.h"
#include "groupcache/http_fetch.h"

namespace groupcached {

struct HttpMeta {
  std::string content_type;   // empty: none given
  std::string etag;           // as the origin sent it, quotes and W/ included
  std::string last_modified;  // an HTTP date, as sent
  // While the origin fails: the time after which this stale copy may no
  // longer be served (stale-if-error). 0 for a fresh answer.
  int64_t stale_until_unix_nanos = 0;

  friend bool operator==(const HttpMeta&, const HttpMeta&) = default;
};

struct HttpEnvelope {
  HttpMeta meta;
  groupcache::ByteView body;  // a slice of the enveloped value's buffer
};

// The longest content type, ETag or Last-Modified kept; a longer one, or
// one holding anything but visible ASCII and spaces, is dropped (it would
// be sent back to the origin or to clients as a header).
inline constexpr size_t kMaxMetaField = 512;

// The metadata of a 200 worth keeping: Content-Type, ETag, Last-Modified
// that pass the rules above.
HttpMeta MetaFromHeaders(const groupcache::HttpFetchResponse& response);

// Updates `meta` with the fields a 304 carries (RFC 9111 4.3.4: the stored
// response's headers are replaced by the 304's).
void UpdateMetaFrom304(const groupcache::HttpFetchResponse& response, HttpMeta& meta);

// One buffer: the header above, then `body`.
groupcache::ByteView EncodeHttpEnvelope(const HttpMeta& meta, std::string_view body);

// The envelope of `value`, its body sharing value's buffer; nullopt when
// `value` is not one (see above).
std::optional<HttpEnvelope> DecodeHttpEnvelope(const groupcache::ByteView& value);

}  // namespace groupcached

#endif  // GROUPCACHED_HTTP_ENVELOPE_H_
