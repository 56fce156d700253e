// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/etag.h"

namespace groupcached {
namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string QuotedHex(uint64_t hash) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string etag(18, '"');
  for (int i = 16; i >= 1; --i, hash >>= 4) etag[i] = kHex[hash & 0xF];
  return etag;
}

}  // namespace

std::string ETagOf(const groupcache::ByteView& value) { return QuotedHex(value.Hash64()); }

std::string ETagOf(std::string_view value) { return QuotedHex(groupcache::ByteView::Hash64Of(value)); }

bool IfNoneMatchMatches(std::string_view header, std::string_view etag) {
  if (TrimSpaces(header) == "*") return true;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view tag = TrimSpaces(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

}  // namespace groupcached
