// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Fuzzes the http source's value envelope (daemon/http_envelope.h), which a
// node decodes from whatever a peer sends as a value of an http group:
//   * decoding never reads outside the value, and a decoded body is a tail
//     of the value's bytes;
//   * every decoded field is at most kMaxMetaField bytes of visible ASCII
//     (it becomes a header of this node's answers and requests);
//   * re-encoding what was decoded decodes to the same fields and body.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "daemon/http_envelope.h"
#include "fuzz_check.h"

namespace {

using groupcache::ByteView;
using groupcache::fuzz::AsView;
using groupcache::fuzz::Printable;
using groupcached::DecodeHttpEnvelope;
using groupcached::EncodeHttpEnvelope;
using groupcached::HttpEnvelope;
using groupcached::kMaxMetaField;

bool Safe(const std::string& field) {
  if (field.size() > kMaxMetaField) return false;
  for (char c : field) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView value = ByteView::CopyOf(AsView(data, size));
  std::optional<HttpEnvelope> decoded = DecodeHttpEnvelope(value);
  if (!decoded) return 0;
  const std::string input = Printable(AsView(data, size));
  FUZZ_CHECK(decoded->body.size() <= value.size(), input);
  FUZZ_CHECK(value.view().substr(value.size() - decoded->body.size()) == decoded->body.view(), input);
  FUZZ_CHECK(
      Safe(decoded->meta.content_type) && Safe(decoded->meta.etag) && Safe(decoded->meta.last_modified),
      input);
  std::optional<HttpEnvelope> again =
      DecodeHttpEnvelope(EncodeHttpEnvelope(decoded->meta, decoded->body.view()));
  FUZZ_CHECK(again.has_value(), input);
  FUZZ_CHECK(again->meta == decoded->meta, input);
  FUZZ_CHECK(again->body == decoded->body, input);
  return 0;
}
