// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/process_stats.h"

#include <unistd.h>

#include <ctime>
#include <limits>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace groupcached {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A /proc/self/stat line of proc(5)'s 52 fields whose command name holds
// spaces and parentheses: utime 250, stime 150 ticks, starttime 1000 ticks
// after boot, vsize 123456789 bytes, rss 2048 pages.
constexpr std::string_view kStat =
    "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 150 0 0 20 0 9 0 1000 123456789 2048 "
    "18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
constexpr std::string_view kProcStat =
    "cpu  1 2 3 4 5 6 7 0 0 0\nintr 12345\nctxt 678\nbtime 1700000000\nprocesses 99\n";

TEST(ParseProcSelfStatTest, ReadsCpuStartTimeAndMemory) {
  const auto stat = ParseProcSelfStat(kStat, kProcStat, 100, 4096);
  ASSERT_TRUE(stat.has_value());
  EXPECT_DOUBLE_EQ(stat->cpu_seconds, 4.0);  // (250 + 150) / 100
  EXPECT_DOUBLE_EQ(stat->start_time_seconds, 1700000010.0);
  EXPECT_EQ(stat->virtual_memory_bytes, 123456789u);
  EXPECT_EQ(stat->resident_memory_bytes, 2048u * 4096u);
}

TEST(ParseProcSelfStatTest, RefusesTruncatedOrGarbledText) {
  EXPECT_FALSE(ParseProcSelfStat("4242 (x) S 1 2 3", kProcStat, 100, 4096).has_value());
  EXPECT_FALSE(ParseProcSelfStat("no parenthesis", kProcStat, 100, 4096).has_value());
  EXPECT_FALSE(ParseProcSelfStat(kStat, "cpu 1 2 3\n", 100, 4096).has_value());  // no btime
  std::string garbled(kStat);
  garbled.replace(garbled.find(" 250 "), 5, " 2x0 ");
  EXPECT_FALSE(ParseProcSelfStat(garbled, kProcStat, 100, 4096).has_value());
  EXPECT_FALSE(ParseProcSelfStat(kStat, kProcStat, 0, 4096).has_value());
}

TEST(ParseMaxOpenFilesTest, ReadsTheSoftLimit) {
  const std::string limits =
      "Limit                     Soft Limit           Hard Limit           Units     \n"
      "Max cpu time              unlimited            unlimited            seconds   \n"
      "Max open files            1024                 524288               files     \n"
      "Max locked memory         8388608              8388608              bytes     \n";
  EXPECT_EQ(ParseMaxOpenFiles(limits), 1024u);
  EXPECT_EQ(ParseMaxOpenFiles("Max open files            unlimited            unlimited            files\n"),
            std::numeric_limits<uint64_t>::max());
  EXPECT_FALSE(ParseMaxOpenFiles("Max cpu time  unlimited  unlimited  seconds\n").has_value());
  EXPECT_FALSE(ParseMaxOpenFiles("Max open files   many  many files\n").has_value());
}

TEST(ReadProcessStatsTest, ReadsThisProcess) {
  const ProcessStats stats = ReadProcessStats();
  ASSERT_TRUE(stats.stat.has_value());
  EXPECT_GT(stats.stat->resident_memory_bytes, 0u);
  EXPECT_GE(stats.stat->virtual_memory_bytes, stats.stat->resident_memory_bytes);
  const double now = static_cast<double>(std::time(nullptr));
  EXPECT_LE(stats.stat->start_time_seconds, now + 1);
  EXPECT_GT(stats.stat->start_time_seconds, now - 3600);  // this test began less than an hour ago
  ASSERT_TRUE(stats.open_fds.has_value());
  EXPECT_GE(*stats.open_fds, 3u);  // stdin, stdout, stderr
  ASSERT_TRUE(stats.max_fds.has_value());
  EXPECT_GE(*stats.max_fds, *stats.open_fds);
}

TEST(AppendProcessMetricsTest, RendersPrometheusStandardFamilies) {
  ProcessStats stats;
  stats.stat = ProcSelfStat{4.5, 1700000010.25, 1000, 200};
  stats.open_fds = 7;
  stats.max_fds = std::numeric_limits<uint64_t>::max();
  std::string out;
  AppendProcessMetrics(out, stats);
  EXPECT_THAT(out, HasSubstr("# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 4.5\n"));
  EXPECT_THAT(
      out, HasSubstr("# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds 1700000010.25\n"));
  EXPECT_THAT(out, HasSubstr("process_virtual_memory_bytes 1000\n"));
  EXPECT_THAT(out, HasSubstr("process_resident_memory_bytes 200\n"));
  EXPECT_THAT(out, HasSubstr("process_open_fds 7\n"));
  EXPECT_THAT(out, HasSubstr("process_max_fds +Inf\n"));

  // What could not be read is left out, not rendered as 0.
  std::string partial;
  AppendProcessMetrics(partial, ProcessStats{std::nullopt, 3, std::nullopt});
  EXPECT_THAT(partial, HasSubstr("process_open_fds 3\n"));
  EXPECT_THAT(partial, Not(HasSubstr("process_cpu_seconds_total")));
  EXPECT_THAT(partial, Not(HasSubstr("process_max_fds")));
}

}  // namespace
}  // namespace groupcached
