// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/peer_events.h"

#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "groupcache/registry.h"
#include "gtest/gtest.h"

namespace groupcached {
namespace {

using groupcache::PeerFailure;
using groupcache::Status;
using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;
using ::testing::Not;

class PeerEventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/groupcached_peer_events_test.XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    LogOptions options;
    options.file = dir_ + "/log";
    auto logger = Logger::Create(options);
    ASSERT_TRUE(logger.ok()) << logger.status().message();
    logger_ = std::move(logger).value();
    events_ = std::make_unique<PeerEvents>(metrics_, *logger_, [this] { return now_; });
  }
  void TearDown() override {
    events_.reset();
    logger_.reset();
    unlink((dir_ + "/log").c_str());
    rmdir(dir_.c_str());
  }

  std::vector<std::string> Lines() {
    std::ifstream in(dir_ + "/log");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  std::string dir_;
  std::chrono::steady_clock::time_point now_ = std::chrono::steady_clock::time_point{} + seconds(1000);
  Metrics metrics_;
  std::unique_ptr<Logger> logger_;
  std::unique_ptr<PeerEvents> events_;
};

const char kPeer[] = "http://10.0.0.2:8080";
const Status kTimedOut =
    Status::DeadlineExceeded("fetching from peer http://10.0.0.2:8080: deadline of 2000 ms exceeded");

TEST_F(PeerEventsTest, EachFailedFetchIsLoggedOncePerPeerAndReasonPerInterval) {
  events_->OnFetch(kPeer, milliseconds(3), Status::Ok(), PeerFailure::kNone);
  for (int i = 0; i < 3; ++i) events_->OnFetch(kPeer, seconds(2), kTimedOut, PeerFailure::kTimeout);
  events_->OnFetch(
      kPeer, milliseconds(1),
      Status::Unavailable("fetching from peer http://10.0.0.2:8080: connecting: Connection refused"),
      PeerFailure::kRefused);
  std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0],
              HasSubstr("level=warn msg=\"peer fetch failed\" peer=http://10.0.0.2:8080 "
                        "reason=timeout error=\"fetching from peer http://10.0.0.2:8080: deadline of "
                        "2000 ms exceeded\" suppressed=0"));
  EXPECT_THAT(lines[1], HasSubstr("reason=refused"));

  now_ += seconds(11);
  events_->OnFetch(kPeer, seconds(2), kTimedOut, PeerFailure::kTimeout);
  lines = Lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[2], HasSubstr("reason=timeout"));
  EXPECT_THAT(lines[2], HasSubstr("suppressed=2"));

  const std::string out = metrics_.Render(groupcache::GroupRegistry());
  EXPECT_THAT(
      out,
      HasSubstr("groupcache_peer_fetch_errors_total{peer=\"http://10.0.0.2:8080\",reason=\"timeout\"} 4"));
  EXPECT_THAT(
      out,
      HasSubstr("groupcache_peer_fetch_errors_total{peer=\"http://10.0.0.2:8080\",reason=\"refused\"} 1"));
  EXPECT_THAT(out,
              HasSubstr("groupcache_peer_fetch_duration_seconds_count{peer=\"http://10.0.0.2:8080\"} 6"));
}

TEST_F(PeerEventsTest, EjectionAndReturnAreLoggedOnce) {
  groupcache::HttpPoolOptions options;
  events_->Install(options);
  ASSERT_TRUE(options.on_fetch && options.on_peer_state_change);
  options.on_peer_state_change(kPeer, true, kTimedOut, PeerFailure::kTimeout, milliseconds(1100));
  // Fetches failed fast while ejected: counted, logged once per interval.
  for (int i = 0; i < 50; ++i) {
    options.on_fetch(kPeer, std::chrono::nanoseconds(100),
                     Status::Unavailable("peer http://10.0.0.2:8080 ejected after 3 failures in a row"),
                     PeerFailure::kEjected);
  }
  options.on_peer_state_change(kPeer, false, Status::Ok(), PeerFailure::kNone, milliseconds(0));
  const std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], HasSubstr("level=warn msg=\"peer ejected\" peer=http://10.0.0.2:8080 reason=timeout "
                                  "error=\"fetching from peer http://10.0.0.2:8080: deadline of 2000 ms "
                                  "exceeded\" backoff_ms=1100"));
  EXPECT_THAT(lines[1], HasSubstr("msg=\"peer fetch failed\" peer=http://10.0.0.2:8080 reason=ejected"));
  EXPECT_THAT(lines[2], HasSubstr("level=info msg=\"peer back\" peer=http://10.0.0.2:8080"));
  EXPECT_THAT(lines[2], Not(HasSubstr("error=")));
  const std::string out = metrics_.Render(groupcache::GroupRegistry());
  EXPECT_THAT(
      out,
      HasSubstr("groupcache_peer_fetch_errors_total{peer=\"http://10.0.0.2:8080\",reason=\"ejected\"} 50"));
  // None of the 50 is in the latency histogram.
  EXPECT_THAT(out,
              HasSubstr("groupcache_peer_fetch_duration_seconds_count{peer=\"http://10.0.0.2:8080\"} 0\n"));
}

}  // namespace
}  // namespace groupcached
