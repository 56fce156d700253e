// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http/wire.h"

#include <cstdint>
#include <optional>

namespace groupcache::internal {
namespace {

constexpr int kWireVarint = 0;
constexpr int kWireFixed64 = 1;
constexpr int kWireBytes = 2;
constexpr int kWireStartGroup = 3;
constexpr int kWireEndGroup = 4;
constexpr int kWireFixed32 = 5;
// Nested groups deeper than this are refused rather than followed.
constexpr int kMaxGroupDepth = 64;

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

namespace {
void AppendVarint(std::string& out, uint64_t n) {
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
}
}  // namespace

std::string EncodeGetResponsePrefix(size_t value_size, int64_t expire_unix_nanos) {
  std::string out;
  if (expire_unix_nanos != 0) {
    out.push_back('\x18');  // field 3, wire type 0
    // int64: a negative number is its two's complement, ten bytes.
    AppendVarint(out, static_cast<uint64_t>(expire_unix_nanos));
  }
  out.push_back('\x0a');  // field 1, wire type 2
  AppendVarint(out, value_size);
  return out;
}

namespace {

// Skips the value of one field of `wire_type` at *pos. For a group (a
// deprecated proto2 encoding), skips every field up to the matching end
// tag, as Go's proto.Unmarshal does. Sets *value when `field` is 1 and holds
// bytes at the top level (depth 0).
Status SkipOrRead(const ByteView& body, size_t* pos, uint64_t field, int wire_type, int depth,
                  ByteView* value, int64_t* expire, size_t field_start) {
  const std::string_view in = body.view();
  switch (wire_type) {
    case kWireVarint: {
      uint64_t number;
      if (!ReadVarint(in, pos, &number)) return Malformed("truncated varint", field_start);
      // Field 3 is the expiry, an int64; as for field 1, the last one wins.
      if (field == 3 && depth == 0) *expire = static_cast<int64_t>(number);
      return Status::Ok();
    }
    case kWireFixed64:
      if (in.size() - *pos < 8) return Malformed("truncated fixed64", field_start);
      *pos += 8;
      return Status::Ok();
    case kWireFixed32:
      if (in.size() - *pos < 4) return Malformed("truncated fixed32", field_start);
      *pos += 4;
      return Status::Ok();
    case kWireBytes: {
      uint64_t length;
      if (!ReadVarint(in, pos, &length)) return Malformed("truncated length", field_start);
      if (length > in.size() - *pos) return Malformed("truncated bytes field", field_start);
      // Field 1 is the value; as in Go, the last occurrence wins. A field 1
      // of another wire type, or inside a group, is an unknown field.
      if (field == 1 && depth == 0) *value = body.Slice(*pos, *pos + length);
      *pos += length;
      return Status::Ok();
    }
    case kWireStartGroup: {
      if (depth >= kMaxGroupDepth) return Malformed("groups nested too deeply", field_start);
      for (;;) {
        const size_t start = *pos;
        uint64_t tag;
        if (!ReadVarint(in, pos, &tag)) return Malformed("unterminated group", field_start);
        const int inner_type = static_cast<int>(tag & 7);
        if (inner_type == kWireEndGroup) return Status::Ok();
        if ((tag >> 3) == 0) return Malformed("invalid field number", start);
        Status status = SkipOrRead(body, pos, tag >> 3, inner_type, depth + 1, value, expire, start);
        if (!status.ok()) return status;
      }
    }
    case kWireEndGroup:
      return Malformed("end of a group that was not started", field_start);
    default:
      return Malformed("unsupported wire type " + std::to_string(wire_type), field_start);
  }
}

}  // namespace

Result<ByteView> DecodeGetResponse(const ByteView& body) {
  const std::string_view in = body.view();
  ByteView value;
  int64_t expire = 0;
  size_t pos = 0;
  while (pos < in.size()) {
    const size_t field_start = pos;
    uint64_t tag;
    if (!ReadVarint(in, &pos, &tag)) return Malformed("truncated tag", field_start);
    const uint64_t field = tag >> 3;
    if (field == 0 || field > 0x1fffffff) return Malformed("invalid field number", field_start);
    Status status = SkipOrRead(body, &pos, field, static_cast<int>(tag & 7), 0, &value, &expire, field_start);
    if (!status.ok()) return status;
  }
  // The body's expiry (none) must not leak into the value: set it always.
  return std::move(value).WithExpiry(expire);
}

std::string EncodeSetRequest(std::string_view group, std::string_view key, const ByteView& value) {
  std::string out;
  out.reserve(group.size() + key.size() + value.size() + 40);
  auto bytes_field = [&out](char tag, std::string_view bytes) {
    out.push_back(tag);
    AppendVarint(out, bytes.size());
    out.append(bytes);
  };
  bytes_field('\x0a', group);
  bytes_field('\x12', key);
  bytes_field('\x1a', value.view());
  if (value.expires()) {
    out.push_back('\x20');  // field 4, wire type 0
    AppendVarint(out, static_cast<uint64_t>(value.expire_unix_nanos()));
  }
  return out;
}

Result<SetRequest> DecodeSetRequest(const ByteView& body) {
  const std::string_view in = body.view();
  std::optional<ByteView> fields[4];  // group, key, value by number; expire apart
  int64_t expire = 0;
  size_t pos = 0;
  auto malformed = [](std::string_view what, size_t at) {
    return Status::InvalidArgument("malformed SetRequest: " + std::string(what) + " at byte " +
                                   std::to_string(at));
  };
  while (pos < in.size()) {
    const size_t start = pos;
    uint64_t tag;
    if (!ReadVarint(in, &pos, &tag)) return malformed("truncated tag", start);
    const uint64_t field = tag >> 3;
    const int wire_type = static_cast<int>(tag & 7);
    if (field == 0 || field > 0x1fffffff) return malformed("invalid field number", start);
    if (wire_type == kWireBytes && field >= 1 && field <= 3) {
      uint64_t length;
      if (!ReadVarint(in, &pos, &length)) return malformed("truncated length", start);
      if (length > in.size() - pos) return malformed("truncated bytes field", start);
      fields[field] = body.Slice(pos, pos + length);
      pos += length;
      continue;
    }
    if (wire_type == kWireVarint && field == 4) {
      uint64_t number;
      if (!ReadVarint(in, &pos, &number)) return malformed("truncated varint", start);
      expire = static_cast<int64_t>(number);
      continue;
    }
    // Any other field is skipped as DecodeGetResponse skips unknown fields
    // (groups checked and bounded as deep). Passed as field 0, it records
    // nothing: the skipper reads only fields 1 and 3 at the top level.
    ByteView scratch;
    int64_t ignored = 0;
    Status status = SkipOrRead(body, &pos, /*field=*/0, wire_type, /*depth=*/0, &scratch, &ignored, start);
    if (!status.ok()) {
      return Status::InvalidArgument(
          "malformed SetRequest: " +
          status.message().substr(std::string_view("malformed GetResponse: ").size()));
    }
  }
  if (!fields[1] || !fields[2])
    return Status::InvalidArgument("malformed SetRequest: group and key are required");
  SetRequest out;
  out.group = fields[1]->ToString();
  out.key = fields[2]->ToString();
  out.value = (fields[3] ? *fields[3] : ByteView()).WithExpiry(expire);
  return out;
}

}  // namespace groupcache::internal
