// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A scripted HTTP origin for groupcached's http source: answers by request
// target, and can hang or hold answers until the test releases them.
#ifndef GROUPCACHE_TESTS_INTEGRATION_SUPPORT_ORIGIN_SERVER_H_
#define GROUPCACHE_TESTS_INTEGRATION_SUPPORT_ORIGIN_SERVER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace groupcache::integration {

// What the origin does with one request.
struct OriginReply {
  enum class Action {
    kRespond,  // write `raw` at once, then close
    kHang,     // never answer; keep the connection open until Stop
    kHold,     // write `raw` once Release is called (or never, if Stop comes first)
  };
  Action action = Action::kRespond;
  std::string raw;  // the whole HTTP response, bytes as sent

  // "HTTP/1.1 <status> ...\r\nContent-Length: <n>\r\n...\r\n\r\n<body>", with
  // `extra_headers` (whole lines, each ending in "\r\n", e.g.
  // "Cache-Control: max-age=1\r\n") among the headers, and Content-Type
  // application/octet-stream unless they hold one.
  static OriginReply Status(int status, std::string_view body, std::string_view extra_headers = "");
};

// An OriginServer listens on 127.0.0.1 (an OS-chosen port). Each connection
// gets its own thread, which reads one request head, records its target, and
// does what `script(target)` says. Every thread ends at Stop.
// Thread-safety: safe for concurrent use.
class OriginServer {
 public:
  using Script = std::function<OriginReply(std::string_view target)>;
  // Sees the whole request head too ("GET ... HTTP/1.1\r\n...\r\n\r\n"),
  // for answers that depend on its headers (a conditional request).
  using HeadScript = std::function<OriginReply(std::string_view target, std::string_view head)>;

  explicit OriginServer(Script script);
  explicit OriginServer(HeadScript script);
  ~OriginServer();  // Stop()
  OriginServer(const OriginServer&) = delete;
  OriginServer& operator=(const OriginServer&) = delete;

  uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string url() const;
  // The request-targets received so far, in order.
  std::vector<std::string> targets() const;
  // How many requests for `target` were received so far.
  size_t RequestsFor(std::string_view target) const;
  // Blocks until at least `n` requests have been received or `timeout`
  // passes; returns whether they were.
  [[nodiscard]] bool WaitForRequests(size_t n, std::chrono::milliseconds timeout) const;
  // Lets every held answer go out, now and from then on.
  void Release();
  // Closes the listener and every connection and joins every thread.
  // Idempotent.
  void Stop();

 private:
  void Accept();
  void Serve(int fd);

  const HeadScript script_;
  int listen_fd_ = -1;
  int wake_fds_[2] = {-1, -1};  // a pipe: once [1] is written, every poll wakes
  uint16_t port_ = 0;
  std::thread acceptor_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;  // signalled on a request, Release and Stop
  std::vector<std::string> targets_;    // GUARDED_BY(mu_)
  std::vector<std::thread> handlers_;   // GUARDED_BY(mu_)
  bool released_ = false;               // GUARDED_BY(mu_)
  bool stopping_ = false;               // GUARDED_BY(mu_)
};

}  // namespace groupcache::integration

#endif  // GROUPCACHE_TESTS_INTEGRATION_SUPPORT_ORIGIN_SERVER_H_
