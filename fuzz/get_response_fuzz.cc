// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Fuzzes the hand-written GetResponse and SetRequest codecs (src/http/wire.h):
//   * DecodeGetResponse against libprotobuf (tests/groupcache.proto): both
//     accept or both refuse, and when both accept, the same value and expiry
//     (field 3; a negative one reads as 1, "already expired");
//   * DecodeSetRequest the same way against libprotobuf's SetRequest (whose
//     group and key are required), and EncodeSetRequest byte for byte;
//   * the decoded value is a slice of the body it was given, never a copy
//     that could outlive or overrun it;
//   * EncodeGetResponsePrefix(n) + value decodes back to the value, byte for
//     byte as libprotobuf encodes it, and for any n the prefix's varint
//     reads back as n.
// Four differences between Go's proto.Unmarshal (which the decoder follows)
// and libprotobuf are known and excluded: an end-group tag whose field number
// differs from its start (Go accepts), groups nested between 64 (our bound)
// and 100 (libprotobuf's) levels deep, a tag of 2^32 or more, which
// libprotobuf truncates to 32 bits and Go refuses (its field number is out of
// range), and a tag or a length written in more than 5 bytes (a non-minimal
// varint: Go reads up to 10, libprotobuf refuses; found by this target).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "groupcache.pb.h"
#include "http/wire.h"

namespace {

using groupcache::ByteView;
using groupcache::Result;
using groupcache::fuzz::Printable;
using groupcache::internal::DecodeGetResponse;
using groupcache::internal::DecodeSetRequest;
using groupcache::internal::EncodeGetResponsePrefix;
using groupcache::internal::EncodeSetRequest;
using groupcache::internal::SetRequest;

// The expiry our decoders give for libprotobuf's int64: a negative one is
// "already expired", 1.
int64_t ExpectedExpiry(int64_t expire) { return expire < 0 ? 1 : expire; }

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

// True when the message holds one of the excluded differences above. Reads
// only as far as it can make sense of the bytes.
bool HasKnownDifference(std::string_view in) {
  size_t pos = 0;
  uint64_t open[128];
  int depth = 0;
  while (pos < in.size()) {
    uint64_t tag;
    const size_t start = pos;
    if (!ReadVarint(in, &pos, &tag)) return false;
    if (tag >> 32 != 0 || pos - start > 5) return true;
    const uint64_t field = tag >> 3;
    uint64_t n;
    switch (tag & 7) {
      case 0:
        if (!ReadVarint(in, &pos, &n)) return false;
        break;
      case 1:
        pos += 8;
        break;
      case 5:
        pos += 4;
        break;
      case 2: {
        const size_t length_start = pos;
        if (!ReadVarint(in, &pos, &n)) return false;
        if (pos - length_start > 5) return true;
        if (n > in.size() - pos) return false;
        pos += n;
        break;
      }
      case 3:
        if (depth >= 64) return true;
        open[depth++] = field;
        break;
      case 4:
        if (depth == 0) return false;
        if (open[--depth] != field) return true;
        break;
      default:
        return false;
    }
  }
  return false;
}

void CheckDecode(std::string_view input) {
  const ByteView body = ByteView::CopyOf(input);
  Result<ByteView> ours = DecodeGetResponse(body);
  groupcachepb::GetResponse theirs;
  const bool parsed = theirs.ParseFromArray(input.data(), static_cast<int>(input.size()));
  const auto context = [&] {
    return "input: \"" + Printable(input) +
           "\"\nours: " + (ours.ok() ? "\"" + Printable(ours->view()) + "\"" : ours.status().ToString()) +
           "\nlibprotobuf: " + (parsed ? "\"" + Printable(theirs.value()) + "\"" : "refused");
  };
  if (ours.ok()) {
    // The value shares the body's buffer (no copy) and lies within it.
    FUZZ_CHECK(ours->empty() ||
                   (ours->data() >= body.data() && ours->data() + ours->size() <= body.data() + body.size()),
               "the value is not a slice of the body\n" + context());
  } else {
    FUZZ_CHECK(ours.status().code() == groupcache::StatusCode::kInvalidArgument,
               "a malformed body must be InvalidArgument\n" + context());
  }
  if (ours.ok() != parsed) {
    FUZZ_CHECK(HasKnownDifference(input), "the decoder and libprotobuf disagree on validity\n" + context());
    return;
  }
  if (parsed) {
    FUZZ_CHECK(ours->view() == theirs.value(),
               "the decoder and libprotobuf disagree on the value\n" + context());
    FUZZ_CHECK(ours->expire_unix_nanos() == ExpectedExpiry(theirs.expire()),
               "the decoder and libprotobuf disagree on the expiry\n" + context());
  }
}

void CheckSetRequest(std::string_view input) {
  const ByteView body = ByteView::CopyOf(input);
  Result<SetRequest> ours = DecodeSetRequest(body);
  groupcachepb::SetRequest theirs;
  const bool parsed = theirs.ParseFromArray(input.data(), static_cast<int>(input.size()));
  const auto context = [&] { return "SetRequest input: \"" + Printable(input) + "\""; };
  if (!ours.ok()) {
    FUZZ_CHECK(ours.status().code() == groupcache::StatusCode::kInvalidArgument,
               "a malformed SetRequest must be InvalidArgument\n" + context());
  }
  if (ours.ok() != parsed) {
    FUZZ_CHECK(HasKnownDifference(input), "the decoder and libprotobuf disagree on validity\n" + context());
    return;
  }
  if (!parsed) return;
  FUZZ_CHECK(ours->group == theirs.group() && ours->key == theirs.key() &&
                 ours->value.view() == theirs.value() &&
                 ours->value.expire_unix_nanos() == ExpectedExpiry(theirs.expire()),
             "the decoder and libprotobuf disagree on a field\n" + context());
  // Our encoding of what was read is libprotobuf's (for an expiry that was
  // not negative, which we do not keep as such).
  if (theirs.expire() >= 0) {
    groupcachepb::SetRequest canonical;
    canonical.set_group(theirs.group());
    canonical.set_key(theirs.key());
    canonical.set_value(theirs.value());
    if (theirs.expire() != 0) canonical.set_expire(theirs.expire());
    FUZZ_CHECK(EncodeSetRequest(ours->group, ours->key, ours->value) == canonical.SerializeAsString(),
               "EncodeSetRequest differs from libprotobuf\n" + context());
  }
}

void CheckRoundTrip(std::string_view value) {
  const std::string prefix = EncodeGetResponsePrefix(value.size());
  groupcachepb::GetResponse message;
  message.set_value(std::string(value));
  const std::string expected = message.SerializeAsString();
  FUZZ_CHECK(prefix + std::string(value) == expected,
             "the encoding differs from libprotobuf's for \"" + Printable(value) + "\"");
  Result<ByteView> decoded = DecodeGetResponse(ByteView::CopyOf(expected));
  FUZZ_CHECK(decoded.ok() && decoded->view() == value, "the round trip lost \"" + Printable(value) + "\"");
}

// A prefix for a size too large to allocate: its varint must still read back.
void CheckHugePrefix(uint64_t size) {
  const std::string prefix = EncodeGetResponsePrefix(size);
  FUZZ_CHECK(prefix.size() >= 2 && prefix.size() <= 11 && prefix[0] == '\x0a',
             "bad prefix for size " + std::to_string(size));
  size_t pos = 1;
  uint64_t read = 0;
  FUZZ_CHECK(ReadVarint(prefix, &pos, &read) && pos == prefix.size() && read == size,
             "the prefix for size " + std::to_string(size) + " does not read back");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = groupcache::fuzz::AsView(data, size);
  CheckDecode(input);
  CheckSetRequest(input);
  CheckRoundTrip(input);
  uint64_t huge = 0;
  for (size_t i = 0; i < size && i < 8; ++i) huge = huge << 8 | data[i];
  CheckHugePrefix(huge);
  return 0;
}
