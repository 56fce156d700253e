// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http/wire.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "groupcache.pb.h"
#include "gtest/gtest.h"

namespace groupcache::internal {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

std::string Value(size_t size) {
  std::string v(size, '\0');
  for (size_t i = 0; i < size; ++i) v[i] = static_cast<char>((i * 131 + 7) & 0xff);
  return v;
}

const std::vector<size_t>& Sizes() {
  static const std::vector<size_t> sizes = {0,
                                            1,
                                            2,
                                            9,
                                            126,
                                            127,
                                            128,
                                            129,
                                            255,
                                            256,
                                            300,
                                            1000,
                                            2045,
                                            2046,
                                            16383,
                                            16384,
                                            16385,
                                            65535,
                                            65536,
                                            100000,
                                            (1u << 21) - 1,
                                            1u << 21,
                                            (1u << 21) + 1};
  return sizes;
}

// The oracle: libprotobuf's encoding of GetResponse{value}.
std::string ProtoEncode(const std::string& value) {
  groupcachepb::GetResponse msg;
  msg.set_value(value);
  std::string out;
  EXPECT_TRUE(msg.SerializeToString(&out));
  return out;
}

Result<ByteView> Decode(const std::string& body) { return DecodeGetResponse(ByteView::CopyOf(body)); }

// --- Encoding -------------------------------------------------------------

TEST(EncodeGetResponsePrefixTest, GoByteVectors) {
  EXPECT_EQ(EncodeGetResponsePrefix(7) + "#FF0000",
            Bytes({0x0a, 0x07, 0x23, 0x46, 0x46, 0x30, 0x30, 0x30, 0x30}));
  EXPECT_EQ(EncodeGetResponsePrefix(0), Bytes({0x0a, 0x00}));  // empty value is still emitted
  EXPECT_EQ(EncodeGetResponsePrefix(300), Bytes({0x0a, 0xac, 0x02}));
  EXPECT_EQ(EncodeGetResponsePrefix(300).size() + 300, 303u);
  EXPECT_EQ(EncodeGetResponsePrefix(127), Bytes({0x0a, 0x7f}));
  EXPECT_EQ(EncodeGetResponsePrefix(128), Bytes({0x0a, 0x80, 0x01}));
  EXPECT_EQ(EncodeGetResponsePrefix(16383), Bytes({0x0a, 0xff, 0x7f}));
  EXPECT_EQ(EncodeGetResponsePrefix(16384), Bytes({0x0a, 0x80, 0x80, 0x01}));
  EXPECT_EQ(EncodeGetResponsePrefix(1u << 21), Bytes({0x0a, 0x80, 0x80, 0x80, 0x01}));
}

TEST(EncodeGetResponsePrefixTest, MatchesLibprotobufForManySizes) {
  for (size_t size : Sizes()) {
    std::string value = Value(size);
    std::string ours = EncodeGetResponsePrefix(size) + value;
    EXPECT_EQ(ours, ProtoEncode(value)) << "size " << size;
  }
}

TEST(EncodeGetResponsePrefixTest, LibprotobufParsesOurEncoding) {
  for (size_t size : Sizes()) {
    std::string value = Value(size);
    groupcachepb::GetResponse msg;
    ASSERT_TRUE(msg.ParseFromString(EncodeGetResponsePrefix(size) + value)) << "size " << size;
    EXPECT_TRUE(msg.has_value());
    EXPECT_EQ(msg.value(), value) << "size " << size;
    EXPECT_FALSE(msg.has_minute_qps());
  }
}

TEST(EncodeGetResponsePrefixTest, HugeSizesUseFullVarint) {
  // 2^32 and the largest size_t: varint of 5 and 10 bytes after the tag.
  if constexpr (sizeof(size_t) == 8) {
    EXPECT_EQ(EncodeGetResponsePrefix(size_t{1} << 32), Bytes({0x0a, 0x80, 0x80, 0x80, 0x80, 0x10}));
    std::string max = EncodeGetResponsePrefix(~size_t{0});
    EXPECT_EQ(max.size(), 11u);
    EXPECT_EQ(max, Bytes({0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
  }
}

TEST(EncodeGetResponsePrefixTest, ExpiryIsFieldThreeAsLibprotobufReadsIt) {
  for (int64_t expire : {int64_t{1}, int64_t{1'800'000'000'000'000'000}, INT64_MAX, int64_t{-5}}) {
    for (size_t size : {size_t{0}, size_t{1}, size_t{300}}) {
      std::string value = Value(size);
      groupcachepb::GetResponse msg;
      ASSERT_TRUE(msg.ParseFromString(EncodeGetResponsePrefix(size, expire) + value));
      EXPECT_EQ(msg.value(), value);
      EXPECT_EQ(msg.expire(), expire);
      // And our decoder reads libprotobuf's encoding (field 3 after field 1).
      auto decoded = DecodeGetResponse(ByteView::CopyOf(msg.SerializeAsString()));
      ASSERT_TRUE(decoded.ok());
      EXPECT_EQ(decoded->view(), value);
      EXPECT_EQ(decoded->expire_unix_nanos(), expire < 0 ? 1 : expire);
    }
  }
  // No expiry: the bytes Go groupcache sends, with no field 3.
  EXPECT_EQ(EncodeGetResponsePrefix(3, 0), Bytes({0x0a, 0x03}));
}

TEST(DecodeGetResponseTest, ExpiryZeroOrAbsentIsNone) {
  groupcachepb::GetResponse msg;
  msg.set_value("v");
  auto absent = DecodeGetResponse(ByteView::CopyOf(msg.SerializeAsString()));
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->expires());
  msg.set_expire(0);  // v3 always sends the field, 0 for none
  auto zero = DecodeGetResponse(ByteView::CopyOf(msg.SerializeAsString()));
  ASSERT_TRUE(zero.ok());
  EXPECT_FALSE(zero->expires());
}

TEST(DecodeGetResponseTest, TheLastExpiryWinsAndAWrongWireTypeIsSkipped) {
  // expire=5, value "v", expire=9 as fixed64 (wrong type: unknown), expire=7.
  std::string body = Bytes({0x18, 0x05, 0x0a, 0x01, 'v', 0x19, 9, 0, 0, 0, 0, 0, 0, 0, 0x18, 0x07});
  auto decoded = DecodeGetResponse(ByteView::CopyOf(body));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->view(), "v");
  EXPECT_EQ(decoded->expire_unix_nanos(), 7);
  // A truncated expiry varint is malformed.
  EXPECT_FALSE(DecodeGetResponse(ByteView::CopyOf(Bytes({0x0a, 0x01, 'v', 0x18, 0x80}))).ok());
}

// --- SetRequest -------------------------------------------------------------

TEST(SetRequestTest, OurEncodingIsLibprotobufs) {
  for (int64_t expire : {int64_t{0}, int64_t{1'800'000'000'000'000'000}}) {
    for (size_t size : {size_t{0}, size_t{5}, size_t{300}}) {
      const std::string value = Value(size);
      groupcachepb::SetRequest msg;
      msg.set_group("g");
      msg.set_key("a key/with bytes\x01");
      msg.set_value(value);
      if (expire) msg.set_expire(expire);
      const std::string ours =
          EncodeSetRequest("g", "a key/with bytes\x01", ByteView::CopyOf(value).WithExpiry(expire));
      EXPECT_EQ(ours, msg.SerializeAsString()) << size << " " << expire;
      auto decoded = DecodeSetRequest(ByteView::CopyOf(ours));
      ASSERT_TRUE(decoded.ok()) << decoded.status().message();
      EXPECT_EQ(decoded->group, "g");
      EXPECT_EQ(decoded->key, "a key/with bytes\x01");
      EXPECT_EQ(decoded->value.view(), value);
      EXPECT_EQ(decoded->value.expire_unix_nanos(), expire);
    }
  }
}

TEST(SetRequestTest, MalformedOrIncompleteMessagesAreRefused) {
  EXPECT_FALSE(DecodeSetRequest(ByteView::CopyOf("")).ok());                        // no group, no key
  EXPECT_FALSE(DecodeSetRequest(ByteView::CopyOf(Bytes({0x0a, 0x01, 'g'}))).ok());  // no key
  EXPECT_FALSE(DecodeSetRequest(ByteView::CopyOf(Bytes({0x0a, 0x05, 'g'}))).ok());  // truncated
  EXPECT_FALSE(DecodeSetRequest(ByteView::CopyOf(Bytes({0x0a, 0x01, 'g', 0x12, 0x01, 'k', 0x20}))).ok());
  EXPECT_FALSE(DecodeSetRequest(ByteView::CopyOf(Bytes({0x0a, 0x01, 'g', 0x12, 0x01, 'k', 0x1b}))).ok());
  // Unknown fields are skipped; the last value wins.
  auto ok = DecodeSetRequest(ByteView::CopyOf(
      Bytes({0x0a, 0x01, 'g', 0x12, 0x01, 'k', 0x1a, 0x01, 'a', 0x28, 0x07, 0x1a, 0x01, 'b'})));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->value.view(), "b");
  EXPECT_FALSE(ok->value.expires());
}

// --- Decoding -------------------------------------------------------------

TEST(DecodeGetResponseTest, LibprotobufEncodingsDecode) {
  for (size_t size : Sizes()) {
    std::string value = Value(size);
    auto r = Decode(ProtoEncode(value));
    ASSERT_TRUE(r.ok()) << "size " << size << ": " << r.status().ToString();
    EXPECT_EQ(r.value().size(), size);
    EXPECT_TRUE(r.value() == value) << "size " << size;
  }
}

TEST(DecodeGetResponseTest, WithMinuteQpsFromLibprotobuf) {
  for (size_t size : {size_t{0}, size_t{2}, size_t{200}, size_t{70000}}) {
    groupcachepb::GetResponse msg;
    msg.set_value(Value(size));
    msg.set_minute_qps(1.5);
    std::string body;
    ASSERT_TRUE(msg.SerializeToString(&body));
    auto r = Decode(body);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r.value() == Value(size));
  }
  // minute_qps alone: no value, which is an empty value.
  groupcachepb::GetResponse only_qps;
  only_qps.set_minute_qps(42.0);
  std::string body;
  ASSERT_TRUE(only_qps.SerializeToString(&body));
  auto r = Decode(body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r.value().empty());
}

TEST(DecodeGetResponseTest, ResultSharesTheBodyBuffer) {
  ByteView body = ByteView::CopyOf(ProtoEncode(Value(1000)));
  auto r = DecodeGetResponse(body);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().data(), body.data() + 3);  // after 0a e8 07
  ByteView value = r.value();
  body = ByteView();  // the value keeps the buffer alive
  EXPECT_TRUE(value == Value(1000));
}

TEST(DecodeGetResponseTest, DecodesFromASliceOfALargerBuffer) {
  std::string framed = "HEADER" + ProtoEncode("payload") + "TRAILER";
  ByteView whole = ByteView::CopyOf(framed);
  ByteView body = whole.Slice(6, framed.size() - 7);
  auto r = DecodeGetResponse(body);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.value(), "payload");
}

struct GoVector {
  std::string name;
  std::string body;
  bool ok;
  std::string value;
};

// go-groupcache-wire.md §2.6: Go proto.Unmarshal into GetResponse, plus more
// cases whose results were checked against Go 1.19 with golang/protobuf 1.3.5
// (groupcachepb.GetResponse, proto.Unmarshal).
std::vector<GoVector> GoVectors() {
  return {
      {"empty body", "", true, ""},
      {"empty value", Bytes({0x0a, 0x00}), true, ""},
      {"colors red", Bytes({0x0a, 0x07, 0x23, 0x46, 0x46, 0x30, 0x30, 0x30, 0x30}), true, "#FF0000"},
      {"unknown varint field 3", Bytes({0x0a, 0x01, 0x78, 0x18, 0x05}), true, "x"},
      {"last one wins", Bytes({0x0a, 0x01, 0x78, 0x0a, 0x01, 0x79}), true, "y"},
      {"wrong wire type for field 1", Bytes({0x08, 0x01}), true, ""},
      {"truncated value", Bytes({0x0a, 0x05, 0x78}), false, ""},
      {"value and qps", Bytes({0x0a, 0x02, 0x68, 0x69, 0x11, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f}), true, "hi"},
      {"qps before value", Bytes({0x11, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f, 0x0a, 0x02, 0x68, 0x69}), true, "hi"},
      {"unknown field before value", Bytes({0x18, 0x05, 0x0a, 0x01, 0x78}), true, "x"},
      {"unknown LEN field 4", Bytes({0x22, 0x03, 1, 2, 3, 0x0a, 0x01, 0x7a}), true, "z"},
      {"unknown fixed32 field 5", Bytes({0x2d, 1, 2, 3, 4, 0x0a, 0x01, 0x7a}), true, "z"},
      {"unknown multi-byte varint", Bytes({0x18, 0xff, 0xff, 0x03, 0x0a, 0x01, 0x7a}), true, "z"},
      {"unknown large field number", Bytes({0xf8, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x0a, 0x01, 0x7a}), true,
       "z"},
      {"wrong wire type then value", Bytes({0x08, 0x01, 0x0a, 0x01, 0x78}), true, "x"},
      {"value then wrong wire type", Bytes({0x0a, 0x01, 0x78, 0x08, 0x01}), true, "x"},
      {"field 2 with the wrong wire type", Bytes({0x12, 0x01, 0x41, 0x0a, 0x01, 0x78}), true, "x"},
      {"field 1 as fixed64", Bytes({0x09, 1, 2, 3, 4, 5, 6, 7, 8}), true, ""},
      {"field 1 as fixed32", Bytes({0x0d, 1, 2, 3, 4, 0x0a, 0x00}), true, ""},
      {"non-minimal length varint", Bytes({0x0a, 0x81, 0x00, 0x78}), true, "x"},
      {"tag only", Bytes({0x0a}), false, ""},
      {"truncated length varint", Bytes({0x0a, 0x80}), false, ""},
      {"truncated tag varint", Bytes({0x80}), false, ""},
      {"truncated unknown varint", Bytes({0x18}), false, ""},
      {"truncated unknown varint 2", Bytes({0x18, 0x80}), false, ""},
      {"truncated fixed64", Bytes({0x11, 0, 0, 0}), false, ""},
      {"truncated fixed32", Bytes({0x2d, 0, 0}), false, ""},
      {"truncated unknown LEN", Bytes({0x22, 0x05, 1, 2}), false, ""},
      {"length past the end", Bytes({0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x78}), false, ""},
      {"length over 64 bits", Bytes({0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}),
       false, ""},
      {"huge 64-bit length", Bytes({0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x78}),
       false, ""},
      {"wire type 7", Bytes({0x0f, 0x0a, 0x01, 0x78}), false, ""},
      {"wire type 6", Bytes({0x1e}), false, ""},
      {"field number 0", Bytes({0x02, 0x01, 0x78}), false, ""},
      {"truncated after valid value", Bytes({0x0a, 0x01, 0x78, 0x0a}), false, ""},
  };
}

TEST(DecodeGetResponseTest, GoVectors) {
  for (const GoVector& v : GoVectors()) {
    auto r = Decode(v.body);
    if (v.ok) {
      ASSERT_TRUE(r.ok()) << v.name << ": " << r.status().ToString();
      EXPECT_EQ(r.value(), v.value) << v.name;
    } else {
      EXPECT_FALSE(r.ok()) << v.name << " decoded as \"" << (r.ok() ? r.value().ToString() : "") << "\"";
      if (!r.ok()) {
        EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << v.name;
      }
    }
  }
}

// The same vectors through libprotobuf, to check the vectors themselves.
TEST(DecodeGetResponseTest, GoVectorsAgreeWithLibprotobuf) {
  for (const GoVector& v : GoVectors()) {
    groupcachepb::GetResponse msg;
    bool parsed = msg.ParseFromString(v.body);
    EXPECT_EQ(parsed, v.ok) << v.name;
    if (parsed) {
      EXPECT_EQ(msg.value(), v.value) << v.name;
    }
  }
}

// Go's proto.Unmarshal (golang/protobuf 1.3.5, skipField) and libprotobuf
// skip an unknown field of the deprecated group wire types (3 = start group,
// 4 = end group) by reading to the matching end-group tag; field 1 sent as a
// group is such an unknown field too. A stray end-group tag is an error. (An
// end-group tag naming another field number is left out: Go's findEndGroup
// accepts it and libprotobuf does not.)
std::vector<GoVector> GroupVectors() {
  return {
      {"unknown group field 3", Bytes({0x1b, 0x08, 0x01, 0x1c, 0x0a, 0x01, 0x78}), true, "x"},
      {"empty unknown group", Bytes({0x0a, 0x01, 0x78, 0x23, 0x24}), true, "x"},
      {"nested groups", Bytes({0x1b, 0x23, 0x0a, 0x01, 0x79, 0x24, 0x1c, 0x0a, 0x01, 0x78}), true, "x"},
      {"field 1 as a group", Bytes({0x0b, 0x0a, 0x01, 0x79, 0x0c, 0x0a, 0x01, 0x78}), true, "x"},
      {"stray end group", Bytes({0x1c}), false, ""},
      {"unterminated group", Bytes({0x1b, 0x08, 0x01}), false, ""},
  };
}

TEST(DecodeGetResponseTest, GroupVectorsAgreeWithLibprotobuf) {
  for (const GoVector& v : GroupVectors()) {
    groupcachepb::GetResponse msg;
    bool parsed = msg.ParseFromString(v.body);
    EXPECT_EQ(parsed, v.ok) << v.name;
    if (parsed) {
      EXPECT_EQ(msg.value(), v.value) << v.name;
    }
  }
}

TEST(DecodeGetResponseTest, UnknownGroupsAreSkippedAsGoDoes) {
  for (const GoVector& v : GroupVectors()) {
    auto r = Decode(v.body);
    if (v.ok) {
      ASSERT_TRUE(r.ok()) << v.name << ": " << r.status().ToString();
      EXPECT_EQ(r.value(), v.value) << v.name;
    } else {
      EXPECT_FALSE(r.ok()) << v.name;
    }
  }
}

// A random message of known fields, unknown fields and repeated values; the
// decoder must agree with libprotobuf on the whole message and on every
// prefix of it (a cut inside a field is an error, at a boundary it is not).
TEST(DecodeGetResponseTest, RandomMessagesAndTruncationsAgreeWithLibprotobuf) {
  std::mt19937 rng(12345);
  auto varint = [](uint64_t v) {
    std::string s;
    while (v >= 0x80) {
      s.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    s.push_back(static_cast<char>(v));
    return s;
  };
  for (int iter = 0; iter < 300; ++iter) {
    std::string body;
    int fields = static_cast<int>(rng() % 6);
    for (int f = 0; f < fields; ++f) {
      switch (rng() % 6) {
        case 0:
        case 1: {  // field 1, bytes
          std::string value = Value(rng() % 200);
          body += '\x0a' + varint(value.size()) + value;
          break;
        }
        case 2:  // field 2, double
          body += '\x11' + std::string(8, static_cast<char>(rng()));
          break;
        case 3:  // unknown varint field 3..50
          body += varint(((3 + rng() % 48) << 3) | 0) + varint(rng());
          break;
        case 4: {  // unknown LEN field
          std::string junk = Value(rng() % 20);
          body += varint(((3 + rng() % 48) << 3) | 2) + varint(junk.size()) + junk;
          break;
        }
        case 5:  // unknown fixed32 / fixed64
          if (rng() % 2) {
            body += varint(((3 + rng() % 48) << 3) | 5) + std::string(4, 'f');
          } else {
            body += varint(((3 + rng() % 48) << 3) | 1) + std::string(8, 'e');
          }
          break;
      }
    }
    for (size_t cut = 0; cut <= body.size(); ++cut) {
      std::string prefix = body.substr(0, cut);
      groupcachepb::GetResponse msg;
      bool parsed = msg.ParseFromString(prefix);
      auto r = Decode(prefix);
      ASSERT_EQ(r.ok(), parsed) << "iter " << iter << " cut " << cut << " of " << body.size();
      if (parsed) {
        ASSERT_TRUE(r.value() == msg.value()) << "iter " << iter << " cut " << cut;
      }
    }
  }
}

}  // namespace
}  // namespace groupcache::internal
