// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Differential fuzzing of the server's fast request-head parser
// (ParseRequestHead, src/http/request_head.h) against Beast's request_parser, fed
// the same bytes the way HttpServer feeds them. The contract checked:
//   kComplete   Beast accepts the same head, with no body, and agrees on
//               method, target, every field (name and value, in order per
//               name) and the head's size; keep-alive is as RFC 9112 reads
//               the Connection fields Beast parsed;
//   kIncomplete Beast needs more bytes too (it has neither a head nor an
//               error), unless the server would fall back anyway (the bytes
//               reach max_header_bytes);
//   kFallback   nothing: Beast decides;
//   kInvalid    the server answers 400 at once: Beast refuses the same bytes
//               too, followed by any of a few continuations that would
//               complete a valid request (an error other than need_more).
// A new HeadParse state must get its case in CheckAgainstBeast: the target is
// built with -Werror=switch, so it does not compile until it has one.
#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/rfc7230.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_check.h"
#include "http/request_head.h"

namespace {

namespace http = boost::beast::http;
using groupcache::fuzz::Printable;
using groupcache::internal::HeadParse;
using groupcache::internal::ParseRequestHead;
using groupcache::internal::RequestHead;

// HttpServerOptions::max_header_bytes for the fuzzer: small enough that
// inputs of realistic -max_len cross it, so the limit's edge is fuzzed too.
constexpr size_t kMaxHeaderBytes = 1024;
constexpr size_t kMaxBodyBytes = 64 * 1024;

// What Beast's parser made of the bytes, fed as HttpServer feeds them.
struct BeastResult {
  boost::system::error_code ec;  // need_more when it wants more bytes
  bool header_done = false;
  bool done = false;     // the whole request, body included, was read
  size_t head_size = 0;  // bytes consumed up to the end of the head
};

using Field = std::pair<std::string_view, std::string_view>;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void SortByName(std::vector<Field>& fields) {
  std::stable_sort(fields.begin(), fields.end(),
                   [](const Field& a, const Field& b) { return Lower(a.first) < Lower(b.first); });
}

// Whether the connection persists after this request (RFC 9112 §9.3): not
// if any Connection field lists "close"; else by default in HTTP/1.1, and in
// HTTP/1.0 only if one lists "keep-alive".
bool RfcKeepAlive(const http::request<http::string_body>& message) {
  bool close = false;
  bool keep_alive = false;
  for (const auto& field : message) {
    if (!boost::beast::iequals(field.name_string(), "connection")) continue;
    for (const auto& token : http::token_list{field.value()}) {
      close = close || boost::beast::iequals(token, "close");
      keep_alive = keep_alive || boost::beast::iequals(token, "keep-alive");
    }
  }
  return !close && (message.version() >= 11 || keep_alive);
}

BeastResult ParseWithBeast(std::string_view bytes, http::request_parser<http::string_body>& parser) {
  parser.header_limit(static_cast<uint32_t>(kMaxHeaderBytes));
  parser.body_limit(kMaxBodyBytes);
  BeastResult result;
  // As http::async_read_header does: put what is buffered until the head is
  // done or the parser fails or wants more.
  while (!parser.is_header_done()) {
    const size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), result.ec);
    bytes.remove_prefix(used);
    result.head_size += used;
    if (result.ec || used == 0) break;
  }
  result.header_done = parser.is_header_done();
  result.done = parser.is_done();
  return result;
}

std::string Describe(std::string_view input, const BeastResult& beast) {
  return "input: \"" + Printable(input) + "\"\nbeast: ec=" + beast.ec.message() +
         " header_done=" + std::to_string(beast.header_done) + " done=" + std::to_string(beast.done) +
         " head_size=" + std::to_string(beast.head_size);
}

void CheckComplete(std::string_view input, const RequestHead& fast, const BeastResult& beast,
                   const http::request_parser<http::string_body>& parser) {
  const auto context = [&] {
    return Describe(input, beast) + "\nfast: kComplete size=" + std::to_string(fast.size);
  };
  FUZZ_CHECK(!beast.ec && beast.header_done, "Beast refused a head the fast parser accepted\n" + context());
  FUZZ_CHECK(beast.done, "Beast expects a body after a head the fast parser took as complete\n" + context());
  FUZZ_CHECK(fast.size == beast.head_size, "the parsers disagree on the head's size\n" + context());
  FUZZ_CHECK(fast.size <= kMaxHeaderBytes, "the fast parser read past max_header_bytes\n" + context());
  const auto& message = parser.get();
  FUZZ_CHECK(fast.method == message.method_string(), "method: fast \"" + Printable(fast.method) +
                                                         "\" beast \"" + Printable(message.method_string()) +
                                                         "\"\n" + context());
  FUZZ_CHECK(fast.target == message.target(), "target: fast \"" + Printable(fast.target) + "\" beast \"" +
                                                  Printable(message.target()) + "\"\n" + context());
  // Keep-alive as RFC 9112 §9.3 has it, from the Connection fields Beast
  // parsed. Not Beast's own answers: the parser's takes "keep-alive" over
  // "close" in HTTP/1.0 and obeys Proxy-Connection, the message's reads only
  // the first Connection field.
  FUZZ_CHECK(fast.keep_alive == RfcKeepAlive(message),
             "keep-alive: fast " + std::to_string(fast.keep_alive) + " RFC 9112 " +
                 std::to_string(RfcKeepAlive(message)) + "\n" + context());
  // Beast files a field after the last one of the same name: compare the
  // fields grouped by name, each group in the order received.
  std::vector<Field> fast_fields(fast.fields.begin(), fast.fields.begin() + fast.field_count);
  std::vector<Field> beast_fields;
  for (const auto& field : message) beast_fields.emplace_back(field.name_string(), field.value());
  FUZZ_CHECK(fast_fields.size() == beast_fields.size(),
             "field count: fast " + std::to_string(fast_fields.size()) + " beast " +
                 std::to_string(beast_fields.size()) + "\n" + context());
  SortByName(fast_fields);
  SortByName(beast_fields);
  for (size_t i = 0; i < fast_fields.size(); ++i) {
    FUZZ_CHECK(fast_fields[i] == beast_fields[i], "field: fast \"" + Printable(fast_fields[i].first) + ": " +
                                                      Printable(fast_fields[i].second) + "\" beast \"" +
                                                      Printable(beast_fields[i].first) + ": " +
                                                      Printable(beast_fields[i].second) + "\"\n" + context());
  }
}

void CheckAgainstBeast(std::string_view input) {
  // HttpServer offers the fast parser only the first max_header_bytes, and
  // gives up on it (falls back to Beast) when that much is buffered.
  RequestHead fast;
  HeadParse state = ParseRequestHead(input.substr(0, kMaxHeaderBytes), &fast);
  if (state == HeadParse::kIncomplete && input.size() >= kMaxHeaderBytes) state = HeadParse::kFallback;

  http::request_parser<http::string_body> parser;
  const BeastResult beast = ParseWithBeast(input, parser);
  switch (state) {
    case HeadParse::kComplete:
      CheckComplete(input, fast, beast, parser);
      return;
    case HeadParse::kIncomplete:
      FUZZ_CHECK(beast.ec == http::error::need_more && !beast.header_done,
                 "the fast parser waits for more bytes where Beast does not\n" + Describe(input, beast));
      return;
    case HeadParse::kFallback:
      return;
    case HeadParse::kInvalid:
      for (std::string_view rest : {" / HTTP/1.1\r\nHost: h\r\n\r\n", " HTTP/1.1\r\nHost: h\r\n\r\n",
                                    "\r\nHost: h\r\n\r\n", "\r\n\r\n"}) {
        // Another request after it, so Beast never lacks bytes to decide
        // (it wants 8 bytes of version before it looks at them).
        const std::string completed =
            std::string(input) + std::string(rest) + "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
        http::request_parser<http::string_body> refusing;
        const BeastResult refused = ParseWithBeast(completed, refusing);
        FUZZ_CHECK(refused.ec && refused.ec != http::error::need_more,
                   "the fast parser refused bytes Beast accepts\n" + Describe(completed, refused));
      }
      return;
  }
  FUZZ_CHECK(false, "ParseRequestHead returned an unknown state");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CheckAgainstBeast(groupcache::fuzz::AsView(data, size));
  return 0;
}
