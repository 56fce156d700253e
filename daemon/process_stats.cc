// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/process_stats.h"

#include <dirent.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>
#include <vector>

namespace groupcached {
namespace {

// The whitespace-separated words of `text`.
std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
    const size_t begin = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n') ++i;
    if (i > begin) words.push_back(text.substr(begin, i - begin));
  }
  return words;
}

std::optional<uint64_t> Number(std::string_view word) {
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (ec != std::errc() || end != word.data() + word.size()) return std::nullopt;
  return value;
}

// The value of the line "btime N" of /proc/stat: boot time, seconds since the epoch.
std::optional<uint64_t> BootTime(std::string_view proc_stat) {
  size_t at = 0;
  while (at < proc_stat.size()) {
    size_t end = proc_stat.find('\n', at);
    if (end == std::string_view::npos) end = proc_stat.size();
    const std::vector<std::string_view> words = Words(proc_stat.substr(at, end - at));
    if (words.size() == 2 && words[0] == "btime") return Number(words[1]);
    at = end + 1;
  }
  return std::nullopt;
}

std::string ReadWhole(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string FormatDouble(double value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : "0";
}

void AppendFamily(std::string& out, std::string_view name, std::string_view type, std::string_view help,
                  const std::string& value) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
  out.append(name).append(" ").append(value).append("\n");
}

}  // namespace

std::optional<ProcSelfStat> ParseProcSelfStat(std::string_view stat, std::string_view proc_stat,
                                              int64_t ticks_per_second, int64_t page_size) {
  if (ticks_per_second <= 0 || page_size <= 0) return std::nullopt;
  // "pid (comm) state ppid ...": comm may hold ") (", so the last ')' ends it.
  const size_t close = stat.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  const std::vector<std::string_view> fields = Words(stat.substr(close + 1));
  // fields[0] is field 3 (state) of proc(5); field N is fields[N - 3].
  constexpr size_t kUtime = 14 - 3, kStime = 15 - 3, kStartTime = 22 - 3, kVsize = 23 - 3, kRss = 24 - 3;
  if (fields.size() <= kRss) return std::nullopt;
  const auto utime = Number(fields[kUtime]), stime = Number(fields[kStime]);
  const auto start = Number(fields[kStartTime]), vsize = Number(fields[kVsize]), rss = Number(fields[kRss]);
  const auto boot = BootTime(proc_stat);
  if (!utime || !stime || !start || !vsize || !rss || !boot) return std::nullopt;
  ProcSelfStat out;
  const double ticks = static_cast<double>(ticks_per_second);
  out.cpu_seconds = static_cast<double>(*utime + *stime) / ticks;
  out.start_time_seconds = static_cast<double>(*boot) + static_cast<double>(*start) / ticks;
  out.virtual_memory_bytes = *vsize;
  out.resident_memory_bytes = *rss * static_cast<uint64_t>(page_size);
  return out;
}

std::optional<uint64_t> ParseMaxOpenFiles(std::string_view limits) {
  constexpr std::string_view kName = "Max open files";
  const size_t at = limits.find(kName);
  if (at == std::string_view::npos || (at > 0 && limits[at - 1] != '\n')) return std::nullopt;
  size_t end = limits.find('\n', at);
  if (end == std::string_view::npos) end = limits.size();
  // "Max open files            1024                 524288               files"
  const std::vector<std::string_view> words =
      Words(limits.substr(at + kName.size(), end - at - kName.size()));
  if (words.empty()) return std::nullopt;
  if (words[0] == "unlimited") return std::numeric_limits<uint64_t>::max();
  return Number(words[0]);
}

ProcessStats ReadProcessStats() {
  ProcessStats stats;
  stats.stat = ParseProcSelfStat(ReadWhole("/proc/self/stat"), ReadWhole("/proc/stat"),
                                 ::sysconf(_SC_CLK_TCK), ::sysconf(_SC_PAGESIZE));
  stats.max_fds = ParseMaxOpenFiles(ReadWhole("/proc/self/limits"));
  if (DIR* dir = ::opendir("/proc/self/fd")) {
    uint64_t count = 0;
    while (const dirent* entry = ::readdir(dir)) {
      if (entry->d_name[0] != '.') ++count;
    }
    ::closedir(dir);
    stats.open_fds = count > 0 ? count - 1 : 0;  // less the directory stream's own descriptor
  }
  return stats;
}

void AppendProcessMetrics(std::string& out, const ProcessStats& stats) {
  if (stats.stat) {
    AppendFamily(out, "process_cpu_seconds_total", "counter",
                 "Total user and system CPU time spent in seconds.", FormatDouble(stats.stat->cpu_seconds));
    AppendFamily(out, "process_start_time_seconds", "gauge",
                 "Start time of the process since unix epoch in seconds.",
                 FormatDouble(stats.stat->start_time_seconds));
    AppendFamily(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
                 std::to_string(stats.stat->virtual_memory_bytes));
    AppendFamily(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
                 std::to_string(stats.stat->resident_memory_bytes));
  }
  if (stats.open_fds) {
    AppendFamily(out, "process_open_fds", "gauge", "Number of open file descriptors.",
                 std::to_string(*stats.open_fds));
  }
  if (stats.max_fds) {
    AppendFamily(
        out, "process_max_fds", "gauge", "Maximum number of open file descriptors.",
        *stats.max_fds == std::numeric_limits<uint64_t>::max() ? "+Inf" : std::to_string(*stats.max_fds));
  }
}

}  // namespace groupcached
