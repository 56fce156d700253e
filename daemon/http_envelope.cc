// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/http_envelope.h"

#include <cstring>

namespace groupcached {
namespace {

using groupcache::ByteView;
using groupcache::HttpFetchResponse;

constexpr std::string_view kMagic{"\0gchttp1", 8};
constexpr size_t kHeaderBytes = kMagic.size() + 3 * 2 + 8;

// Safe to send as a header value, and short (kMaxMetaField).
bool Keepable(std::string_view value) {
  if (value.size() > kMaxMetaField) return false;
  for (char c : value) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// The first field named `name` (HttpFetchResponse::Header) if it is worth
// keeping.
std::optional<std::string> Field(const HttpFetchResponse& response, std::string_view name) {
  const std::optional<std::string_view> value = response.Header(name);
  if (!value || value->empty() || !Keepable(*value)) return std::nullopt;
  return std::string(*value);
}

void PutU16(char* out, size_t v) {
  out[0] = static_cast<char>(v & 0xff);
  out[1] = static_cast<char>((v >> 8) & 0xff);
}

size_t GetU16(const char* in) {
  return static_cast<size_t>(static_cast<unsigned char>(in[0])) |
         static_cast<size_t>(static_cast<unsigned char>(in[1])) << 8;
}

}  // namespace

HttpMeta MetaFromHeaders(const HttpFetchResponse& response) {
  HttpMeta meta;
  meta.content_type = Field(response, "Content-Type").value_or("");
  meta.etag = Field(response, "ETag").value_or("");
  meta.last_modified = Field(response, "Last-Modified").value_or("");
  return meta;
}

void UpdateMetaFrom304(const HttpFetchResponse& response, HttpMeta& meta) {
  if (auto type = Field(response, "Content-Type")) meta.content_type = std::move(*type);
  if (auto etag = Field(response, "ETag")) meta.etag = std::move(*etag);
  if (auto modified = Field(response, "Last-Modified")) meta.last_modified = std::move(*modified);
  meta.stale_until_unix_nanos = 0;
}

ByteView EncodeHttpEnvelope(const HttpMeta& meta, std::string_view body) {
  // Fields over the limit never get here (Field), but a caller's own meta
  // is clipped rather than trusted to fit a u16.
  const std::string_view type = std::string_view(meta.content_type).substr(0, kMaxMetaField);
  const std::string_view etag = std::string_view(meta.etag).substr(0, kMaxMetaField);
  const std::string_view modified = std::string_view(meta.last_modified).substr(0, kMaxMetaField);
  const size_t size = kHeaderBytes + type.size() + etag.size() + modified.size() + body.size();
  return ByteView::Build(size, [&](char* out) {
    std::memcpy(out, kMagic.data(), kMagic.size());
    out += kMagic.size();
    PutU16(out, type.size());
    PutU16(out + 2, etag.size());
    PutU16(out + 4, modified.size());
    out += 6;
    const uint64_t stale = static_cast<uint64_t>(meta.stale_until_unix_nanos);
    for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((stale >> (8 * i)) & 0xff);
    out += 8;
    for (std::string_view part : {type, etag, modified, body}) {
      if (!part.empty()) std::memcpy(out, part.data(), part.size());
      out += part.size();
    }
  });
}

std::optional<HttpEnvelope> DecodeHttpEnvelope(const ByteView& value) {
  const std::string_view bytes = value.view();
  if (bytes.size() < kHeaderBytes || bytes.substr(0, kMagic.size()) != kMagic) return std::nullopt;
  const char* at = bytes.data() + kMagic.size();
  const size_t lengths[3] = {GetU16(at), GetU16(at + 2), GetU16(at + 4)};
  at += 6;
  uint64_t stale = 0;
  for (int i = 0; i < 8; ++i) stale |= static_cast<uint64_t>(static_cast<unsigned char>(at[i])) << (8 * i);
  size_t offset = kHeaderBytes;
  std::string_view fields[3];
  for (int i = 0; i < 3; ++i) {
    if (lengths[i] > kMaxMetaField || lengths[i] > bytes.size() - offset) return std::nullopt;
    fields[i] = bytes.substr(offset, lengths[i]);
    offset += lengths[i];
  }
  // A peer's envelope is checked as an origin's headers are: these become
  // headers of this node's answers and requests.
  for (std::string_view& field : fields) {
    if (!Keepable(field)) field = {};
  }
  HttpEnvelope envelope;
  envelope.meta.content_type = std::string(fields[0]);
  envelope.meta.etag = std::string(fields[1]);
  envelope.meta.last_modified = std::string(fields[2]);
  envelope.meta.stale_until_unix_nanos = static_cast<int64_t>(stale);
  envelope.body = value.SliceFrom(offset);
  return envelope;
}

}  // namespace groupcached
