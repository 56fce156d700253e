// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http/cpu_quota.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

namespace groupcache::internal {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\n')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

std::optional<long long> Integer(std::string_view word) {
  word = Trim(word);
  long long value = 0;
  const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
  if (word.empty() || ec != std::errc() || end != word.data() + word.size()) return std::nullopt;
  return value;
}

std::optional<double> Ratio(std::optional<long long> quota, std::optional<long long> period) {
  if (!quota || !period || *quota <= 0 || *period <= 0) return std::nullopt;
  return static_cast<double>(*quota) / static_cast<double>(*period);
}

// The file's text, or nullopt when it cannot be opened.
std::optional<std::string> ReadSmallFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `path` and each of its ancestors, deepest first, ending with "".
std::vector<std::string> SelfAndAncestors(std::string path) {
  std::vector<std::string> out;
  while (!path.empty() && path.back() == '/') path.pop_back();
  for (;;) {
    out.push_back(path);
    if (path.empty()) return out;
    const size_t slash = path.rfind('/');
    path = slash == std::string::npos ? "" : path.substr(0, slash);
  }
}

std::optional<double> Tighter(std::optional<double> a, std::optional<double> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

}  // namespace

std::optional<double> QuotaFromCpuMax(std::string_view cpu_max) {
  cpu_max = Trim(cpu_max);
  const size_t space = cpu_max.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const std::string_view quota = cpu_max.substr(0, space);
  if (quota == "max") return std::nullopt;
  return Ratio(Integer(quota), Integer(cpu_max.substr(space + 1)));
}

std::optional<double> QuotaFromCfs(std::string_view quota_us, std::string_view period_us) {
  return Ratio(Integer(quota_us), Integer(period_us));  // -1: no limit, as any non-positive quota
}

CgroupPaths ParseProcSelfCgroup(std::string_view text) {
  CgroupPaths paths;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(at, end - at);
    at = end + 1;
    // "ID:CONTROLLERS:PATH"; the path may itself hold ':'.
    const size_t first = line.find(':');
    const size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    const std::string_view id = line.substr(0, first);
    const std::string_view controllers = line.substr(first + 1, second - first - 1);
    const std::string path(line.substr(second + 1));
    if (id == "0" && controllers.empty()) {
      paths.v2 = path;
      continue;
    }
    for (size_t c = 0; c <= controllers.size();) {
      size_t comma = controllers.find(',', c);
      if (comma == std::string_view::npos) comma = controllers.size();
      if (controllers.substr(c, comma - c) == "cpu") paths.v1_cpu = path;
      c = comma + 1;
    }
  }
  return paths;
}

int CpusWithin(int affinity, std::optional<double> quota) {
  int cpus = std::max(1, affinity);
  if (quota && *quota > 0) {
    // ceil: 1.5 CPUs of quota keeps two threads busy half the time each.
    const double whole = std::ceil(*quota - 1e-9);
    if (whole < static_cast<double>(cpus)) cpus = static_cast<int>(whole);
  }
  return std::max(1, cpus);
}

std::optional<double> ReadCgroupCpuQuota(const CgroupPaths& paths, const std::string& root) {
  std::optional<double> quota;
  if (paths.v2) {
    for (const std::string& dir : SelfAndAncestors(*paths.v2)) {
      if (auto text = ReadSmallFile(root + dir + "/cpu.max")) quota = Tighter(quota, QuotaFromCpuMax(*text));
    }
  }
  if (paths.v1_cpu) {
    for (const char* mount : {"/cpu", "/cpu,cpuacct"}) {
      for (const std::string& dir : SelfAndAncestors(*paths.v1_cpu)) {
        const std::string base = root + mount + dir;
        auto quota_us = ReadSmallFile(base + "/cpu.cfs_quota_us");
        auto period_us = ReadSmallFile(base + "/cpu.cfs_period_us");
        if (quota_us && period_us) quota = Tighter(quota, QuotaFromCfs(*quota_us, *period_us));
      }
    }
  }
  return quota;
}

}  // namespace groupcache::internal
