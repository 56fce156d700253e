// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A scripted stand-in for a groupcache peer, to test how a real node copes
// with peers that hang or answer garbage.
#ifndef GROUPCACHE_TESTS_INTEGRATION_SUPPORT_FAKE_PEER_H_
#define GROUPCACHE_TESTS_INTEGRATION_SUPPORT_FAKE_PEER_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace groupcache::integration {

// A FakePeer listens on 127.0.0.1 (an OS-chosen port) in its own thread. For
// every request head it receives (up to "\r\n\r\n") it records the head and
// writes `response` as raw bytes (nothing if empty); then it closes the
// connection (kClose) or keeps it open, reading and answering further
// requests, until Stop (kHold). A FakePeer with an empty response and kHold
// accepts connections and never answers.
// Thread-safety: safe for concurrent use.
class FakePeer {
 public:
  enum class After { kClose, kHold };

  FakePeer(std::string response, After after);
  ~FakePeer();  // Stop()
  FakePeer(const FakePeer&) = delete;
  FakePeer& operator=(const FakePeer&) = delete;

  uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string url() const;
  // Every request head received so far, in order.
  std::vector<std::string> requests() const;
  // Connections accepted so far.
  int connections() const;
  // Closes the listener and every connection and joins the thread. Idempotent.
  void Stop();

 private:
  void Run();

  const std::string response_;
  const After after_;
  int listen_fd_ = -1;
  int wake_fds_[2] = {-1, -1};  // a pipe: writing to [1] makes Run return
  uint16_t port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<std::string> requests_;  // GUARDED_BY(mu_)
  int connections_ = 0;                // GUARDED_BY(mu_)
};

}  // namespace groupcache::integration

#endif  // GROUPCACHE_TESTS_INTEGRATION_SUPPORT_FAKE_PEER_H_
