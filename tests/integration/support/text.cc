// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "text.h"

#include <fstream>
#include <regex>

namespace groupcache::integration {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The flat {"Name": number, ...} object that follows "`name`":, as a map.
std::map<std::string, int64_t> NumbersOf(std::string_view json, std::string_view name, bool* found) {
  std::map<std::string, int64_t> out;
  std::string quoted = "\"" + std::string(name) + "\"";
  size_t at = json.find(quoted);
  if (at == std::string_view::npos) return out;
  size_t open = json.find('{', at);
  size_t close = json.find('}', open);
  if (open == std::string_view::npos || close == std::string_view::npos) return out;
  *found = true;
  std::string body(json.substr(open + 1, close - open - 1));
  static const std::regex kField(R"re("([A-Za-z]+)"\s*:\s*(-?[0-9]+))re");
  for (std::sregex_iterator it(body.begin(), body.end(), kField), end; it != end; ++it) {
    out[(*it)[1].str()] = std::stoll((*it)[2].str());
  }
  return out;
}

}  // namespace

std::string SyntheticValue(std::string_view key, size_t size) {
  std::string unit = std::string(key) + ":";
  std::string v(size, '\0');
  for (size_t i = 0; i < size; ++i) v[i] = unit[i % unit.size()];
  return v;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::optional<std::string> Unhex(std::string_view hex) {
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.remove_suffix(1);
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexDigit(hex[i]), lo = HexDigit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (IsUnreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
  }
  return out;
}

std::string Printable(std::string_view s) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
  }
  return out + "\"";
}

int CountLinesContaining(const std::filesystem::path& path, std::string_view needle) {
  std::ifstream in(path, std::ios::binary);
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.find(needle) != std::string::npos) ++n;
  }
  return n;
}

int CountLookups(const std::filesystem::path& path, std::string_view key) {
  static constexpr std::string_view kMarker = "looking up ";
  std::ifstream in(path, std::ios::binary);
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    size_t at = line.find(kMarker);
    if (at != std::string::npos && std::string_view(line).substr(at + kMarker.size()) == key) ++n;
  }
  return n;
}

int64_t KvStats::Stat(const std::string& name) const {
  auto it = stats.find(name);
  return it == stats.end() ? -1 : it->second;
}

std::optional<KvStats> ParseKvStats(std::string_view json) {
  KvStats s;
  bool found = false, ignored = false;
  s.stats = NumbersOf(json, "Stats", &found);
  if (!found) return std::nullopt;
  s.main_cache = NumbersOf(json, "MainCache", &ignored);
  s.hot_cache = NumbersOf(json, "HotCache", &ignored);
  return s;
}

}  // namespace groupcache::integration
