// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Test-only: a TCP server on 127.0.0.1 that answers every connection with
// canned bytes (or holds it open without answering), to play a broken peer.
#ifndef GROUPCACHE_TESTS_UNIT_SUPPORT_FAKE_SERVER_H_
#define GROUPCACHE_TESTS_UNIT_SUPPORT_FAKE_SERVER_H_

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace groupcache::testing {

class FakeServer {
 public:
  // `reply` is written after the request headers arrive; an empty reply
  // means: never answer, keep the connection open until the server stops.
  explicit FakeServer(std::string reply)
      : reply_(std::move(reply)), acceptor_(io_, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { Run(); });
  }
  ~FakeServer() {
    stopping_ = true;
    boost::system::error_code ec;
    // Wake the accept with a connection of our own, then close everything.
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket poke(io);
    poke.connect(acceptor_.local_endpoint(), ec);
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  int connections() const { return connections_; }

 private:
  void Run() {
    std::vector<boost::asio::ip::tcp::socket> held;
    while (!stopping_) {
      boost::asio::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) break;
      ++connections_;
      if (reply_.empty()) {
        held.push_back(std::move(socket));
        continue;
      }
      boost::asio::streambuf request;
      boost::asio::read_until(socket, request, "\r\n\r\n", ec);
      boost::asio::write(socket, boost::asio::buffer(reply_), ec);
      socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    }
  }

  std::string reply_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

}  // namespace groupcache::testing

#endif  // GROUPCACHE_TESTS_UNIT_SUPPORT_FAKE_SERVER_H_
