// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The fixture of the server's tests over real sockets (server_read_test,
// server_accept_test, server_tls_test): a server on 127.0.0.1 whose every
// path answers 200 "ok <target>", except /block, which waits for Release.
#ifndef GROUPCACHE_TESTS_UNIT_SUPPORT_SERVER_FIXTURE_H_
#define GROUPCACHE_TESTS_UNIT_SUPPORT_SERVER_FIXTURE_H_

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "eventually.h"  // kPatience
#include "groupcache/http_server.h"
#include "groupcache/runtime.h"
#include "raw_client.h"
#include "test_http.h"

namespace groupcache::testing {

using namespace std::chrono_literals;

// Long enough that no timeout the test does not set can explain a close.
constexpr std::chrono::milliseconds kForever = std::chrono::minutes(5);

inline size_t CountOf(const std::string& haystack, const std::string& needle) {
  size_t count = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// Reads one response (head and Content-Length body) from `conn`; empty if
// the connection closed or nothing complete came within kPatience.
inline std::string ReadOneResponse(RawConnection& conn) {
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    const size_t end = got.find("\r\n\r\n");
    if (end != std::string::npos) {
      const size_t at = got.find("Content-Length: ");
      const size_t length = at < end ? std::stoul(got.substr(at + 16)) : 0;
      if (got.size() >= end + 4 + length) return got.substr(0, end + 4 + length);
    }
    pollfd p{conn.fd(), POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const ssize_t n = ::recv(conn.fd(), buf, sizeof buf, 0);
    if (n <= 0) return "";
    got.append(buf, static_cast<size_t>(n));
  }
  return "";
}

inline HttpServerOptions PatientOptions() {
  HttpServerOptions options;
  options.header_timeout = kForever;
  options.read_timeout = kForever;
  options.idle_timeout = kForever;
  options.handshake_timeout = kForever;
  return options;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void TearDown() override {
    Release();
    if (blocked_thread_.joinable()) blocked_thread_.join();
    if (server_) server_->Stop(100ms);
    runtime_->Shutdown();
  }

  // Lets the response to /block go.
  void Release() {
    if (!released_.exchange(true)) release_.count_down();
  }

  // Starts a server whose every path answers 200 "ok <target>", except
  // /block, which answers only once release_ opens.
  void StartServer(HttpServerOptions options,
                   RuntimeOptions runtime_options = {.io_threads = 2, .worker_threads = 2}) {
    runtime_ = std::make_unique<Runtime>(runtime_options);
    auto server = HttpServer::Listen(*runtime_, std::move(options));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    server_->Handle("/", [this](const HttpRequest& request, Responder responder) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        served_.emplace_back(request.target);
      }
      if (request.path == "/block") {
        blocked_thread_ = std::thread([this, responder = std::move(responder)]() mutable {
          release_.wait();
          std::move(responder).Send(TextResponse(200, "released"));
        });
        blocked_.count_down();
        return;
      }
      std::move(responder).Send(TextResponse(200, "ok " + std::string(request.target)));
    });
    server_->Start();
    port_ = server_->port();
  }

  // Whether the server counts `n` open connections within kPatience.
  bool WaitForConnections(size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (server_->connections() != n) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(1ms);
    }
    return true;
  }

  std::vector<std::string> Served() {
    std::lock_guard<std::mutex> lock(mu_);
    return served_;
  }

  std::unique_ptr<Runtime> runtime_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
  std::mutex mu_;
  std::vector<std::string> served_;
  std::latch blocked_{1};
  std::latch release_{1};
  std::atomic<bool> released_{false};
  std::thread blocked_thread_;  // answers /block (once only)
};

}  // namespace groupcache::testing

#endif  // GROUPCACHE_TESTS_UNIT_SUPPORT_SERVER_FIXTURE_H_
