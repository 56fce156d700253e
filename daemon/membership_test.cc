// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/membership.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "groupcache/registry.h"
#include "gtest/gtest.h"

namespace groupcached {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class MembershipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/groupcached_membership_test.XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    LogOptions options;
    options.file = (dir_ / "node.log").string();
    auto logger = Logger::Create(options);
    ASSERT_TRUE(logger.ok()) << logger.status().message();
    logger_ = std::move(logger).value();
    membership_ = std::make_unique<Membership>(*logger_, metrics_, [this] { return now_; });
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::vector<std::string> Lines() const {
    std::ifstream in(dir_ / "node.log");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  std::string Metric() const { return metrics_.Render(registry_); }

  std::filesystem::path dir_;
  std::unique_ptr<Logger> logger_;
  Metrics metrics_;
  groupcache::GroupRegistry registry_;
  std::chrono::steady_clock::time_point now_{};
  std::unique_ptr<Membership> membership_;
};

TEST_F(MembershipTest, StartSetsTheGaugesWithoutLogging) {
  membership_->Start(1, "");
  EXPECT_THAT(Metric(), HasSubstr("\ngroupcache_peers 1\n"));
  EXPECT_THAT(Metric(), HasSubstr("\ngroupcache_membership_changes_total 0\n"));
  EXPECT_TRUE(Lines().empty());
}

TEST_F(MembershipTest, EachChangeIsLoggedOnceAndCounted) {
  membership_->Start(1, "");
  membership_->Changed(
      {{"http://a:1", "http://b:1", "http://c:1"}, {"http://b:1", "http://c:1"}, {}, "0123456789abcdef"},
      "dns");
  membership_->Changed({{"http://a:1", "http://c:1"}, {}, {"http://b:1"}, "fedcba9876543210"}, "sighup");
  const std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(
      lines[0],
      HasSubstr(" level=info msg=\"membership changed\" source=dns peers=3 added=http://b:1,http://c:1 "
                "removed=\"\" fingerprint=0123456789abcdef"));
  EXPECT_THAT(
      lines[1],
      HasSubstr(" level=info msg=\"membership changed\" source=sighup peers=2 added=\"\" removed=http://b:1 "
                "fingerprint=fedcba9876543210"));
  const std::string out = Metric();
  EXPECT_THAT(out, HasSubstr("\ngroupcache_peers 2\n"));
  EXPECT_THAT(out, HasSubstr("\ngroupcache_membership_changes_total 2\n"));
  EXPECT_THAT(out, HasSubstr("\ngroupcache_ring_info{fingerprint=\"fedcba9876543210\"} 1\n"));
}

TEST_F(MembershipTest, LookupFailuresAreAllCountedButWarnedAboutOncePerInterval) {
  const groupcache::Status timeout = groupcache::Status::DeadlineExceeded("no answer from 127.0.0.1:53");
  membership_->LookupFailed(timeout);  // warned
  for (int i = 0; i < 5; ++i) {
    now_ += std::chrono::seconds(5);
    membership_->LookupFailed(timeout);  // counted only
  }
  now_ += Membership::kFailureWarningInterval;
  membership_->LookupFailed(timeout);  // warned, with the 5 in between
  membership_->LookupFailed(groupcache::Status::Unavailable("empty answer"));

  const std::vector<std::string> lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  for (const std::string& line : lines) {
    EXPECT_THAT(line,
                HasSubstr(" level=warn msg=\"DNS lookup of the peers failed; the peer set stays as it was\" "
                          "error=\"no answer from 127.0.0.1:53\""));
  }
  EXPECT_THAT(lines[0], HasSubstr("unlogged_failures=0 next_warning_after=60s"));
  EXPECT_THAT(lines[1], HasSubstr("unlogged_failures=5 next_warning_after=60s"));
  EXPECT_THAT(Metric(), HasSubstr("\ngroupcache_dns_lookup_failures_total 8\n"));
  EXPECT_THAT(Metric(), HasSubstr("\ngroupcache_membership_changes_total 0\n"));
}

}  // namespace
}  // namespace groupcached
