// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The GetResponse protobuf message, encoded and decoded by hand.
//
// Why not libprotobuf: its generated GetResponse owns its value as a
// std::string, so every response would copy the cached value once to encode
// and every fetch once more to decode. The message has one bytes field; the
// hand-written codec writes a varint header in front of the cached buffer and
// decodes to a slice of the received body, with no copy. The tests check it
// byte for byte against libprotobuf (tests/groupcache.proto).
#ifndef GROUPCACHE_SRC_HTTP_WIRE_H_
#define GROUPCACHE_SRC_HTTP_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "groupcache/byte_view.h"
#include "groupcache/status.h"

namespace groupcache::internal {

// Returns the bytes that precede a value of `value_size` bytes in an encoded
// GetResponse: field 3 (expire, int64 Unix nanoseconds, as groupcache-go v3
// sends it) when `expire_unix_nanos` is not 0, then tag 0x0a and the varint
// length of field 1 (the value). At most 22 bytes. Without an expiry the
// bytes are exactly Go groupcache's; with one, Go groupcache (v1) skips the
// field as unknown, and v3 reads it (fields may come in any order).
std::string EncodeGetResponsePrefix(size_t value_size, int64_t expire_unix_nanos = 0);

// Decodes a GetResponse as Go's proto.Unmarshal does: the last field 1 wins,
// unknown fields (and field 1 or 3 with a wrong wire type) are skipped, an
// empty body is an empty value. Field 3 (expire, the last one wins) becomes
// the value's expiry; 0 or absent is none, and a negative one is taken as
// already expired. The result shares `body`'s buffer. InvalidArgument for a
// truncated or malformed message.
Result<ByteView> DecodeGetResponse(const ByteView& body);

// groupcache-go v3's SetRequest, the body of a PUT: group (1), key (2),
// value (3, bytes) and expire (4, int64 Unix nanoseconds; 0 for none).
struct SetRequest {
  std::string group;
  std::string key;
  ByteView value;  // with the expiry of field 4
};
// Encodes a SetRequest as libprotobuf does (fields in order; expire only
// when the value expires).
std::string EncodeSetRequest(std::string_view group, std::string_view key, const ByteView& value);
// Decodes a SetRequest: the last occurrence of each field wins, unknown
// fields are skipped (as DecodeGetResponse does). InvalidArgument for a
// malformed message or one without group or key (both are required). The
// value shares `body`'s buffer.
Result<SetRequest> DecodeSetRequest(const ByteView& body);

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_WIRE_H_
