// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The CPU quota of this process's cgroup, for the Runtime's default thread
// counts: a container limited to 2 CPUs on a 64-CPU machine has all 64 in
// its affinity mask, and 64 event loops there would only queue on the quota.
// The parsers are pure functions of the files' text; ReadCgroupCpuQuota is
// the reader.
#ifndef GROUPCACHE_SRC_HTTP_CPU_QUOTA_H_
#define GROUPCACHE_SRC_HTTP_CPU_QUOTA_H_

#include <optional>
#include <string>
#include <string_view>

namespace groupcache::internal {

// The quota, in CPUs (quota / period, e.g. 1.5), of a cgroup v2 cpu.max
// text: "150000 100000". nullopt for "max 100000" (no limit) and for text
// that is not two positive numbers.
std::optional<double> QuotaFromCpuMax(std::string_view cpu_max);

// The same from cgroup v1's cpu.cfs_quota_us and cpu.cfs_period_us texts;
// nullopt for a quota of -1 (no limit) or malformed text.
std::optional<double> QuotaFromCfs(std::string_view quota_us, std::string_view period_us);

// This process's cgroups in the text of /proc/self/cgroup: the v2 path
// (the "0::PATH" line) and the v1 path of the hierarchy with the "cpu"
// controller ("N:cpu,cpuacct:PATH"); each nullopt when absent.
struct CgroupPaths {
  std::optional<std::string> v2;
  std::optional<std::string> v1_cpu;
};
CgroupPaths ParseProcSelfCgroup(std::string_view text);

// How many threads `affinity` CPUs under `quota` CPUs allow:
// min(affinity, ceil(quota)), at least 1 (`quota` nullopt: affinity).
int CpusWithin(int affinity, std::optional<double> quota);

// The tightest CPU quota of the cgroups in `paths` and their ancestors, read
// below `root` (cgroup v2: ROOT/PATH/cpu.max; v1: ROOT/cpu/PATH/cpu.cfs_*
// or ROOT/cpu,cpuacct/PATH/...). A directory that does not exist is
// skipped, so a container that sees its own cgroup as the root (with or
// without a cgroup namespace) finds its quota. nullopt: no quota anywhere.
std::optional<double> ReadCgroupCpuQuota(const CgroupPaths& paths,
                                         const std::string& root = "/sys/fs/cgroup");

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_CPU_QUOTA_H_
