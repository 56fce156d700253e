// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http/cpu_quota.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "groupcache/runtime.h"
#include "gtest/gtest.h"

namespace groupcache::internal {
namespace {

TEST(QuotaFromCpuMaxTest, ReadsQuotaOverPeriod) {
  EXPECT_EQ(QuotaFromCpuMax("200000 100000\n"), 2.0);
  EXPECT_EQ(QuotaFromCpuMax("150000 100000"), 1.5);
  EXPECT_EQ(QuotaFromCpuMax("50000 100000\n"), 0.5);
}

TEST(QuotaFromCpuMaxTest, MaxAndMalformedTextMeanNoQuota) {
  EXPECT_EQ(QuotaFromCpuMax("max 100000\n"), std::nullopt);
  EXPECT_EQ(QuotaFromCpuMax(""), std::nullopt);
  EXPECT_EQ(QuotaFromCpuMax("200000"), std::nullopt);
  EXPECT_EQ(QuotaFromCpuMax("abc 100000"), std::nullopt);
  EXPECT_EQ(QuotaFromCpuMax("200000 0"), std::nullopt);
  EXPECT_EQ(QuotaFromCpuMax("-5 100000"), std::nullopt);
}

TEST(QuotaFromCfsTest, ReadsCgroupV1QuotaAndMinusOneAsNone) {
  EXPECT_EQ(QuotaFromCfs("300000\n", "100000\n"), 3.0);
  EXPECT_EQ(QuotaFromCfs("-1\n", "100000\n"), std::nullopt);
  EXPECT_EQ(QuotaFromCfs("x", "100000"), std::nullopt);
}

TEST(ParseProcSelfCgroupTest, FindsTheV2PathAndTheV1CpuHierarchy) {
  const CgroupPaths hybrid = ParseProcSelfCgroup(
      "12:pids:/user.slice\n"
      "4:cpu,cpuacct:/docker/abc\n"
      "3:cpuset:/docker/abc\n"
      "0::/system.slice/groupcached.service\n");
  EXPECT_EQ(hybrid.v2, "/system.slice/groupcached.service");
  EXPECT_EQ(hybrid.v1_cpu, "/docker/abc");

  const CgroupPaths v2 = ParseProcSelfCgroup("0::/\n");
  EXPECT_EQ(v2.v2, "/");
  EXPECT_EQ(v2.v1_cpu, std::nullopt);

  // "cpuacct" or "cpuset" alone is not the cpu controller.
  const CgroupPaths v1 = ParseProcSelfCgroup("2:cpuacct:/a\n3:cpuset:/b\n");
  EXPECT_EQ(v1.v1_cpu, std::nullopt);
  EXPECT_EQ(v1.v2, std::nullopt);
  EXPECT_EQ(ParseProcSelfCgroup("garbage\n\n").v2, std::nullopt);
}

TEST(CpusWithinTest, TheQuotaRoundedUpCapsTheAffinity) {
  EXPECT_EQ(CpusWithin(8, std::nullopt), 8);
  EXPECT_EQ(CpusWithin(8, 2.0), 2);
  EXPECT_EQ(CpusWithin(8, 1.5), 2);
  EXPECT_EQ(CpusWithin(8, 0.25), 1);
  EXPECT_EQ(CpusWithin(2, 16.0), 2);  // a quota above the mask does not add CPUs
  EXPECT_EQ(CpusWithin(0, std::nullopt), 1);
}

// A fake /sys/fs/cgroup in a temporary directory.
class CgroupTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/gccgroup.XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    root_ = dir;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void Write(const std::string& relative, const std::string& text) {
    const std::filesystem::path path = root_ + relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  std::string root_;
};

TEST_F(CgroupTreeTest, TheTightestQuotaOfTheCgroupAndItsAncestorsWins) {
  Write("/cpu.max", "max 100000\n");
  Write("/kubepods/cpu.max", "400000 100000\n");
  Write("/kubepods/pod1/cpu.max", "150000 100000\n");
  Write("/kubepods/pod1/c1/cpu.max", "max 100000\n");
  EXPECT_EQ(ReadCgroupCpuQuota(CgroupPaths{"/kubepods/pod1/c1", std::nullopt}, root_), 1.5);
  // A namespaced container sees its own cgroup as "/": the root file is its quota.
  EXPECT_EQ(ReadCgroupCpuQuota(CgroupPaths{"/", std::nullopt}, root_), std::nullopt);
  Write("/cpu.max", "300000 100000\n");
  EXPECT_EQ(ReadCgroupCpuQuota(CgroupPaths{"/", std::nullopt}, root_), 3.0);
  // A path not visible here (no cgroup namespace) falls back on what is.
  EXPECT_EQ(ReadCgroupCpuQuota(CgroupPaths{"/elsewhere/x", std::nullopt}, root_), 3.0);
}

TEST_F(CgroupTreeTest, ReadsCgroupV1CfsQuota) {
  Write("/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "250000\n");
  Write("/cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n");
  Write("/cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
  Write("/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
  EXPECT_EQ(ReadCgroupCpuQuota(CgroupPaths{std::nullopt, "/docker/abc"}, root_), 2.5);
  EXPECT_EQ(ReadCgroupCpuQuota(CgroupPaths{std::nullopt, "/"}, root_), std::nullopt);
  EXPECT_EQ(ReadCgroupCpuQuota(CgroupPaths{}, root_), std::nullopt);
}

TEST(DetectUsableCpusTest, StaysWithinTheAffinityMask) {
  const UsableCpus cpus = DetectUsableCpus();
  EXPECT_GE(cpus.count, 1);
  EXPECT_GE(cpus.affinity, 1);
  EXPECT_LE(cpus.count, cpus.affinity);
  EXPECT_GE(cpus.quota, 0);
  if (cpus.quota > 0) {
    EXPECT_LE(cpus.count, static_cast<int>(cpus.quota) + 1);
  }
}

}  // namespace
}  // namespace groupcache::internal
