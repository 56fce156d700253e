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
#include <string>

#include "groupcache/byte_view.h"
#include "groupcache/status.h"

namespace groupcache::internal {

// Returns the bytes that precede a value of `value_size` bytes in an encoded
// GetResponse{value}: tag 0x0a and the varint length (at most 11 bytes).
std::string EncodeGetResponsePrefix(size_t value_size);

// Decodes a GetResponse as Go's proto.Unmarshal does: the last field 1 wins,
// unknown fields (and field 1 with a wrong wire type) are skipped, an empty
// body is an empty value. The result shares `body`'s buffer. InvalidArgument
// for a truncated or malformed message.
Result<ByteView> DecodeGetResponse(const ByteView& body);

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_WIRE_H_
