// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A real kv process facing hostile peers (played in this process by
// ScriptedPeer): peers that stream past the deadline, send responses nobody
// asked for, or send more than memory allows, and shutdown while fetches
// are stuck on a peer that never answers.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kv_cluster_test.h"
#include "peer_replies.h"
#include "scripted_peer.h"

namespace groupcache::integration {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::GetResponseReply;
using testing::ScriptedConnection;
using testing::ScriptedPeer;
using testing::Tally;
using Clock = std::chrono::steady_clock;

class KvHostilePeerTest : public ClusterTest {};

// The key of a peer request target "/_groupcache/kv/<key>" (keys here need
// no unescaping).
std::string KeyOf(const std::string& target) { return target.substr(target.rfind('/') + 1); }

// A process's peak resident set (VmHWM), in bytes; 0 if unreadable.
size_t PeakRss(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

TEST_F(KvHostilePeerTest, APeerStreamingPastTheDeadlineCostsOneDeadline) {
  std::mutex mu;
  std::vector<double> streamed_seconds;  // per connection, until kv closed it
  ScriptedPeer fake([&](ScriptedConnection& c) {
    if (c.ReadRequest().empty()) return;
    const auto start = Clock::now();
    // A thousand 1-byte chunks per write, or chunks with 4,000-byte extensions.
    std::string chunk;
    for (int i = 0; i < 1000; ++i) chunk += "1\r\nx\r\n";
    if (c.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")) {
      while (Clock::now() - start < seconds(60) && c.Write(chunk)) {
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    streamed_seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  });
  Server* kv = StartKv({fake.url()}, {"-timeout", "1s"});
  ASSERT_NE(kv, nullptr);
  for (int i = 0; i < 4; ++i) {
    const std::string key = KeyOwnedBy(1, "stream-" + std::to_string(i) + "-");
    const auto start = Clock::now();
    EXPECT_EQ(CheckKvValue(*kv, key), "");  // the local load, after the deadline
    // The deadline plus seconds of slack: "at the deadline", not "when the
    // peer stops" (60 s here, never in the field).
    EXPECT_LT(Clock::now() - start, seconds(6)) << key;
  }
  ASSERT_TRUE(kv->process->Stop().has_value());
  std::lock_guard<std::mutex> lock(mu);
  // Three timeouts in a row eject the peer (HttpPoolOptions::
  // eject_after_failures), so the fourth load never reached it.
  ASSERT_EQ(streamed_seconds.size(), 3u);
  for (double s : streamed_seconds) EXPECT_LT(s, 6.0) << "kv kept reading past its deadline";
}

// The case: a peer that sends a second, unsolicited response 300 ms
// after each answer. Every key must get its own value.
TEST_F(KvHostilePeerTest, UnsolicitedResponsesNeverAnswerAnotherKey) {
  Tally strays;
  ScriptedPeer fake([&](ScriptedConnection& c) {
    for (std::string target = c.ReadRequest(); !target.empty(); target = c.ReadRequest()) {
      if (!c.Write(GetResponseReply(SyntheticValue(KeyOf(target), 32)))) return;
      std::this_thread::sleep_for(milliseconds(300));
      if (!c.Write(GetResponseReply(SyntheticValue("not-" + KeyOf(target), 32)))) return;
      strays.Add();
    }
  });
  Server* kv = StartKv({fake.url()}, {"-timeout", "5s"});
  ASSERT_NE(kv, nullptr);
  for (int i = 0; i < 16; ++i) {
    const std::string key = KeyOwnedBy(1, "key-" + std::to_string(i) + "-");
    EXPECT_EQ(CheckKvValue(*kv, key), "");
    // The stray response is in kv's socket before the next request.
    ASSERT_TRUE(strays.WaitFor(i + 1));
  }
  EXPECT_EQ(Stat(*kv, "PeerLoads"), 16);  // every answer came from the peer, none from a fallback
}

// Each response declares 32 MiB and sends all but its last byte, then
// stalls: 24 of them at once would hold 768 MiB. The runtime's budget for
// response bytes in flight (256 MiB by default) refuses the fetches beyond
// it at once, so kv's peak memory stays near the budget.
TEST_F(KvHostilePeerTest, ResponseBytesInFlightStayWithinTheBudget) {
  constexpr size_t kDeclared = size_t{32} << 20;
  ScriptedPeer fake([&](ScriptedConnection& c) {
    if (c.ReadRequest().empty()) return;
    if (!c.Write("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kDeclared) + "\r\n\r\n")) return;
    const std::string block(1 << 20, 'v');
    for (size_t sent = 0; sent + block.size() < kDeclared; sent += block.size()) {
      if (!c.Write(block)) return;
    }
    c.WaitForClientClose(seconds(30));
  });
  Server* kv = StartKv({fake.url()}, {"-timeout", "3s"});
  ASSERT_NE(kv, nullptr);
  std::vector<std::future<std::string>> answers;
  for (int i = 0; i < 24; ++i) {
    const std::string key = KeyOwnedBy(1, "big-" + std::to_string(i) + "-");
    answers.push_back(std::async(std::launch::async, [kv, key] { return CheckKvValue(*kv, key); }));
  }
  for (auto& answer : answers) EXPECT_EQ(answer.get(), "");  // all fall back to local loads
  const size_t peak = PeakRss(kv->process->pid());
  std::printf("kv peak RSS with 24 x 32 MiB responses in flight: %zu MiB\n", peak >> 20);
  EXPECT_GT(peak, 0u);
  EXPECT_LT(peak, size_t{400} << 20) << "peak RSS " << (peak >> 20) << " MiB";
}

// SIGTERM while fetches are stuck on a peer that accepts and never answers
// (as a frozen one does): kv cancels them, answers its clients, and exits 0.
// Under AddressSanitizer this is the use-after-free check of shutdown.
TEST_F(KvHostilePeerTest, SigtermWithFetchesPendingOnAFrozenPeerExitsCleanly) {
  Tally held;
  ScriptedPeer fake([&](ScriptedConnection& c) {
    held.Add();
    c.WaitForClientClose(seconds(60));
  });
  Server* kv = StartKv({fake.url()}, {"-timeout", "60s"});
  ASSERT_NE(kv, nullptr);
  std::vector<std::future<Result<HttpReply>>> replies;
  for (int i = 0; i < 4; ++i) {
    const std::string key = KeyOwnedBy(1, "frozen-" + std::to_string(i) + "-");
    replies.push_back(
        std::async(std::launch::async, [kv, key] { return HttpGet(kv->port, "/get?key=" + key); }));
  }
  // Every fetch has reached the peer: the connection is the fetch.
  ASSERT_TRUE(held.WaitFor(4)) << held.count() << " fetches reached the peer";
  const std::optional<int> status = kv->process->Stop(seconds(20));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "wait status " << *status << "; stderr:\n"
                                                               << ReadFile(kv->process->stderr_path());
  EXPECT_EQ(ReadFile(kv->process->stderr_path()).find("AddressSanitizer"), std::string::npos);
  for (auto& reply : replies) reply.wait();
}

}  // namespace
}  // namespace groupcache::integration
