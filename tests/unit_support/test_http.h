// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Test-only: a blocking HTTP/1.1 client for unit tests of the transport.
#ifndef GROUPCACHE_TESTS_UNIT_SUPPORT_TEST_HTTP_H_
#define GROUPCACHE_TESTS_UNIT_SUPPORT_TEST_HTTP_H_

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

namespace groupcache::testing {

struct TestResponse {
  int status = 0;  // 0: no response (connection closed or failed)
  std::string body;
  std::string content_type;
  std::string error;
};

// Sends `raw` (a whole request, or any bytes) to 127.0.0.1:port and reads one
// response, waiting at most 20 s.
inline TestResponse RawExchange(uint16_t port, const std::string& raw) {
  namespace asio = boost::asio;
  namespace http = boost::beast::http;
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  TestResponse out;
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) {
    out.error = ec.message();
    return out;
  }
  timeval tv{20, 0};
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  asio::write(socket, asio::buffer(raw), ec);
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1 << 30);
  http::read(socket, buffer, parser, ec);
  if (ec) {
    out.error = ec.message();
    return out;
  }
  out.status = parser.get().result_int();
  out.body = parser.get().body();
  out.content_type = std::string(parser.get()[http::field::content_type]);
  return out;
}

// Sends `raw` and returns every byte received until the server closes. With
// `piece` > 0, writes it `piece` bytes at a time with a short pause between
// writes, as a slow client does.
inline std::string RawExchangeUntilClose(uint16_t port, const std::string& raw, size_t piece = 0) {
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return "";
  timeval tv{20, 0};
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (piece == 0) {
    asio::write(socket, asio::buffer(raw), ec);
  } else {
    socket.set_option(asio::ip::tcp::no_delay(true), ec);
    for (size_t at = 0; at < raw.size(); at += piece) {
      asio::write(socket, asio::buffer(raw.data() + at, std::min(piece, raw.size() - at)), ec);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  std::string out;
  char buf[4096];
  for (;;) {
    size_t n = socket.read_some(asio::buffer(buf), ec);
    out.append(buf, n);
    if (ec) break;
  }
  return out;
}

inline TestResponse HttpGet(uint16_t port, const std::string& target) {
  return RawExchange(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
}

}  // namespace groupcache::testing

#endif  // GROUPCACHE_TESTS_UNIT_SUPPORT_TEST_HTTP_H_
