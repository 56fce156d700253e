// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Helpers shared by the libFuzzer targets in fuzz/.
#ifndef GROUPCACHE_FUZZ_FUZZ_CHECK_H_
#define GROUPCACHE_FUZZ_FUZZ_CHECK_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace groupcache::fuzz {

// Prints `s` with every byte outside printable ASCII as \xNN, so a report
// shows the exact input that broke an invariant.
inline std::string Printable(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

[[noreturn]] inline void Fail(const char* file, int line, const char* condition, const std::string& detail) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s\n%s\n", file, line, condition, detail.c_str());
  std::abort();  // libFuzzer reports a deadly signal and writes the reproducer
}

inline std::string_view AsView(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace groupcache::fuzz

// Aborts, printing the condition and `detail` (a std::string), when
// `condition` is false. Fuzz targets check their invariants with it.
#define FUZZ_CHECK(condition, detail)                                                   \
  do {                                                                                  \
    if (!(condition)) ::groupcache::fuzz::Fail(__FILE__, __LINE__, #condition, detail); \
  } while (false)

#endif  // GROUPCACHE_FUZZ_FUZZ_CHECK_H_
