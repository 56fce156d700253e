// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "wire.h"

#include <cstdint>

namespace groupcache::internal {
namespace {

constexpr int kWireVarint = 0;
constexpr int kWireFixed64 = 1;
constexpr int kWireBytes = 2;
constexpr int kWireFixed32 = 5;

// Reads a base-128 varint at *pos; false if truncated or longer than 10 bytes.
bool ReadVarint(std::string_view in, size_t* pos, uint64_t* out) {
  uint64_t value = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (*pos >= in.size()) return false;
    const auto byte = static_cast<uint8_t>(in[(*pos)++]);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *out = value;
      return true;
    }
  }
  return false;
}

Status Malformed(std::string_view what, size_t pos) {
  return Status::InvalidArgument("malformed GetResponse: " + std::string(what) + " at byte " +
                                 std::to_string(pos));
}

}  // namespace

std::string EncodeGetResponsePrefix(size_t value_size) {
  std::string out;
  out.push_back('\x0a');  // field 1, wire type 2
  uint64_t n = value_size;
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
  return out;
}

Result<ByteView> DecodeGetResponse(const ByteView& body) {
  const std::string_view in = body.view();
  ByteView value;
  size_t pos = 0;
  while (pos < in.size()) {
    const size_t field_start = pos;
    uint64_t tag;
    if (!ReadVarint(in, &pos, &tag)) return Malformed("truncated tag", field_start);
    const uint64_t field = tag >> 3;
    const int wire_type = static_cast<int>(tag & 7);
    if (field == 0 || field > 0x1fffffff) return Malformed("invalid field number", field_start);
    switch (wire_type) {
      case kWireVarint: {
        uint64_t ignored;
        if (!ReadVarint(in, &pos, &ignored)) return Malformed("truncated varint", field_start);
        break;
      }
      case kWireFixed64:
        if (in.size() - pos < 8) return Malformed("truncated fixed64", field_start);
        pos += 8;
        break;
      case kWireFixed32:
        if (in.size() - pos < 4) return Malformed("truncated fixed32", field_start);
        pos += 4;
        break;
      case kWireBytes: {
        uint64_t length;
        if (!ReadVarint(in, &pos, &length)) return Malformed("truncated length", field_start);
        if (length > in.size() - pos) return Malformed("truncated bytes field", field_start);
        // Field 1 is the value; as in Go, the last occurrence wins. A field 1
        // of another wire type is an unknown field, skipped.
        if (field == 1) value = body.Slice(pos, pos + length);
        pos += length;
        break;
      }
      default:
        return Malformed("unsupported wire type " + std::to_string(wire_type), field_start);
    }
  }
  return value;
}

}  // namespace groupcache::internal
