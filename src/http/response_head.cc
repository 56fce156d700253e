// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http/response_head.h"

#include <algorithm>
#include <boost/beast/http/status.hpp>
#include <charconv>
#include <cstring>
#include <ctime>

namespace groupcache::internal {
namespace {

namespace http = boost::beast::http;
using namespace std::string_view_literals;

// "Date: Sun, 22 Nov 2026 15:47:16 GMT\r\n", recomputed once a second per thread.
std::string_view DateLine() {
  thread_local std::time_t cached_second = 0;
  thread_local char buf[64];
  thread_local size_t len = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm;
    gmtime_r(&now, &tm);
    len = std::strftime(buf, sizeof buf, "Date: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
    cached_second = now;
  }
  return {buf, len};
}

bool HasLineBreak(std::string_view s) {
  for (char c : s) {
    if (c == '\r' || c == '\n') return true;
  }
  return false;
}

// Appends to a caller-owned buffer that only grows, by memcpy: the head of
// a response is a dozen short pieces, and std::string's append (length
// checks, capacity checks, strlen for literals) was a tenth of a cache hit's
// instructions.
class HeadWriter {
 public:
  explicit HeadWriter(std::string& storage) : storage_(storage) {}

  // Makes room for `n` more bytes.
  void Reserve(size_t n) {
    if (storage_.size() < used_ + n) storage_.resize(std::max(used_ + n, 2 * storage_.size()));
  }
  // Appends bytes for which Reserve has made room.
  void Put(std::string_view s) {
    std::memcpy(storage_.data() + used_, s.data(), s.size());
    used_ += s.size();
  }
  void PutNumber(size_t n) {
    auto [end, ec] = std::to_chars(storage_.data() + used_, storage_.data() + used_ + 20, n);
    used_ = static_cast<size_t>(end - storage_.data());
  }
  std::string_view view() const { return {storage_.data(), used_}; }

 private:
  std::string& storage_;
  size_t used_ = 0;
};

std::string_view StatusLine(int status) {
  switch (status) {
    case 200:
      return "HTTP/1.1 200 OK\r\n"sv;
    case 304:
      return "HTTP/1.1 304 Not Modified\r\n"sv;
    case 400:
      return "HTTP/1.1 400 Bad Request\r\n"sv;
    case 404:
      return "HTTP/1.1 404 Not Found\r\n"sv;
    case 500:
      return "HTTP/1.1 500 Internal Server Error\r\n"sv;
    default:
      return {};
  }
}

}  // namespace

std::string_view BuildResponseHead(std::string& storage, const HttpResponse& response, bool keep_alive) {
  HeadWriter out(storage);
  const std::string_view date = DateLine();
  const bool content_type = !response.content_type.empty() && !HasLineBreak(response.content_type);
  size_t size = 64 + date.size() + 40 + 24 + (content_type ? 16 + response.content_type.size() : 0);
  for (const auto& [name, value] : response.headers) size += name.size() + value.size() + 4;
  out.Reserve(size);

  if (std::string_view line = StatusLine(response.status); !line.empty()) {
    out.Put(line);
  } else {
    const std::string_view reason(http::obsolete_reason(static_cast<http::status>(response.status)));
    out.Put("HTTP/1.1 "sv);
    out.PutNumber(static_cast<size_t>(std::clamp(response.status, 0, 999)));
    out.Put(" "sv);
    out.Put(reason.empty() ? "Unknown"sv : reason.substr(0, 32));
    out.Put("\r\n"sv);
  }
  if (content_type) {
    out.Put("Content-Type: "sv);
    out.Put(response.content_type);
    out.Put("\r\n"sv);
  }
  for (const auto& [name, value] : response.headers) {
    // A header a handler built from request data must not split the response.
    if (name.empty() || HasLineBreak(name) || HasLineBreak(value)) continue;
    out.Put(name);
    out.Put(": "sv);
    out.Put(value);
    out.Put("\r\n"sv);
  }
  out.Put(date);
  // 1xx, 204 and 304 carry no body, and so no Content-Length (RFC 9110).
  if (ResponseHasBody(response.status)) {
    out.Put("Content-Length: "sv);
    out.PutNumber(response.body_prefix.size() + response.body.size());
    out.Put("\r\n"sv);
  }
  out.Put(keep_alive ? "\r\n"sv : "Connection: close\r\n\r\n"sv);
  return out.view();
}

}  // namespace groupcache::internal
