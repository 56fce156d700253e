// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/http_envelope.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace groupcached {
namespace {

using groupcache::ByteView;

TEST(HttpEnvelopeTest, RoundTripsTheBodyAndWhatTheOriginSaid) {
  HttpMeta meta;
  meta.content_type = "text/html; charset=utf-8";
  meta.etag = "W/\"abc\"";
  meta.last_modified = "Sun, 29 Nov 2026 10:00:00 GMT";
  meta.stale_until_unix_nanos = 1'800'000'000'123'456'789;
  const std::string body("a body\0with a NUL", 17);
  const ByteView value = EncodeHttpEnvelope(meta, body);
  std::optional<HttpEnvelope> decoded = DecodeHttpEnvelope(value);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->meta, meta);
  EXPECT_EQ(decoded->body, body);
  // The body is a slice of the value's buffer, not a copy.
  EXPECT_EQ(decoded->body.data(), value.data() + value.size() - body.size());
}

TEST(HttpEnvelopeTest, EmptyFieldsAndAnEmptyBody) {
  const ByteView value = EncodeHttpEnvelope(HttpMeta{}, "");
  std::optional<HttpEnvelope> decoded = DecodeHttpEnvelope(value);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->meta, HttpMeta{});
  EXPECT_TRUE(decoded->body.empty());
}

TEST(HttpEnvelopeTest, AValueThatIsNotOneIsRefused) {
  for (const std::string& bytes : {std::string(), std::string("plain body"), std::string("\0gchttp1", 8),
                                   std::string("\0gchttp2", 8) + std::string(20, 'x')}) {
    EXPECT_FALSE(DecodeHttpEnvelope(ByteView::CopyOf(bytes)).has_value()) << bytes;
  }
}

TEST(HttpEnvelopeTest, EveryTruncationIsRefusedOrShorter) {
  HttpMeta meta;
  meta.content_type = "text/plain";
  meta.etag = "\"e\"";
  const std::string whole(EncodeHttpEnvelope(meta, "body").view());
  for (size_t size = 0; size < whole.size(); ++size) {
    std::optional<HttpEnvelope> decoded = DecodeHttpEnvelope(ByteView::CopyOf(whole.substr(0, size)));
    // Cut inside the header or the fields: refused. Cut in the body: a
    // shorter body (a value carries its own length; the envelope does not
    // repeat it).
    if (decoded) {
      EXPECT_EQ(decoded->meta.content_type, "text/plain");
      EXPECT_LT(decoded->body.size(), 4u);
    }
  }
}

TEST(HttpEnvelopeTest, HostileLengthsAreRefused) {
  std::string bytes(EncodeHttpEnvelope(HttpMeta{}, "").view());
  ASSERT_EQ(bytes.size(), 22u);
  for (int field = 0; field < 3; ++field) {
    std::string hostile = bytes;
    hostile[8 + 2 * field] = '\xff';
    hostile[9 + 2 * field] = '\xff';
    hostile += std::string(70000, 'x');
    EXPECT_FALSE(DecodeHttpEnvelope(ByteView::CopyOf(hostile)).has_value()) << field;
  }
}

TEST(HttpEnvelopeTest, FieldsThatCouldSplitAHeaderAreDropped) {
  // From an origin: not kept.
  groupcache::HttpFetchResponse response;
  response.headers = {{"content-type", "text/plain\r\nSet-Cookie: x=1"},
                      {"ETag", std::string(kMaxMetaField + 1, 'e')},
                      {"LAST-MODIFIED", "Sun, 29 Nov 2026 10:00:00 GMT"}};
  HttpMeta meta = MetaFromHeaders(response);
  EXPECT_EQ(meta.content_type, "");
  EXPECT_EQ(meta.etag, "");
  EXPECT_EQ(meta.last_modified, "Sun, 29 Nov 2026 10:00:00 GMT");
  // From a peer's envelope: dropped too.
  HttpMeta forged;
  forged.content_type = "text/plain\nX: y";
  forged.etag = "\"ok\"";
  std::optional<HttpEnvelope> decoded = DecodeHttpEnvelope(EncodeHttpEnvelope(forged, "b"));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->meta.content_type, "");
  EXPECT_EQ(decoded->meta.etag, "\"ok\"");
}

TEST(HttpEnvelopeTest, A304ReplacesTheFieldsItCarriesAndEndsStaleness) {
  HttpMeta meta;
  meta.content_type = "text/plain";
  meta.etag = "\"1\"";
  meta.last_modified = "Sun, 29 Nov 2026 10:00:00 GMT";
  meta.stale_until_unix_nanos = 5;
  groupcache::HttpFetchResponse not_modified;
  not_modified.headers = {{"ETag", "\"2\""}, {"Cache-Control", "max-age=60"}};
  UpdateMetaFrom304(not_modified, meta);
  EXPECT_EQ(meta.content_type, "text/plain");
  EXPECT_EQ(meta.etag, "\"2\"");
  EXPECT_EQ(meta.last_modified, "Sun, 29 Nov 2026 10:00:00 GMT");
  EXPECT_EQ(meta.stale_until_unix_nanos, 0);
}

}  // namespace
}  // namespace groupcached
