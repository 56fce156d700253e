// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_PROCESS_STATS_H_
#define GROUPCACHED_PROCESS_STATS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// The process's own resource use, read from /proc/self as Prometheus'
// client libraries do, for the standard process_* metrics. The parsers are
// pure functions of the files' text; ReadProcessStats is the thin reader.
namespace groupcached {

// What /proc/self/stat (with /proc/stat's boot time) says.
struct ProcSelfStat {
  double cpu_seconds = 0;         // user + system time
  double start_time_seconds = 0;  // since the Unix epoch
  uint64_t virtual_memory_bytes = 0;
  uint64_t resident_memory_bytes = 0;
};

// Parses the text of /proc/self/stat, with `proc_stat` the text of
// /proc/stat (for its "btime" line), `ticks_per_second` (sysconf
// _SC_CLK_TCK) and `page_size` in bytes. The command name may hold spaces
// and parentheses. Returns nullopt when a field is missing or not a number.
std::optional<ProcSelfStat> ParseProcSelfStat(std::string_view stat, std::string_view proc_stat,
                                              int64_t ticks_per_second, int64_t page_size);

// The soft "Max open files" limit in the text of /proc/self/limits;
// "unlimited" reads as UINT64_MAX. Returns nullopt when the line is absent
// or malformed.
std::optional<uint64_t> ParseMaxOpenFiles(std::string_view limits);

// Every process_* value; each is absent when it could not be read.
struct ProcessStats {
  std::optional<ProcSelfStat> stat;
  std::optional<uint64_t> open_fds;
  std::optional<uint64_t> max_fds;
};

// Reads /proc/self/stat, /proc/stat, /proc/self/limits and counts the
// entries of /proc/self/fd, now. Cheap (a few small reads); never fails as a
// whole: what cannot be read is left absent.
ProcessStats ReadProcessStats();

// Appends the Prometheus families process_cpu_seconds_total,
// process_start_time_seconds, process_virtual_memory_bytes,
// process_resident_memory_bytes, process_open_fds and process_max_fds (each
// with HELP and TYPE) for what `stats` holds.
void AppendProcessMetrics(std::string& out, const ProcessStats& stats);

}  // namespace groupcached

#endif  // GROUPCACHED_PROCESS_STATS_H_
