// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_SRC_HTTP_REQUEST_HEAD_H_
#define GROUPCACHE_SRC_HTTP_REQUEST_HEAD_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

namespace groupcache::internal {

// FramingRules are the rules of RFC 9112 on how a request's end is found
// and on its Host field, which the server applies to every request whatever
// parsed it. A request that breaks one gets 400 and the connection is
// closed: if this server and a proxy in front of it could disagree about
// where a request ends, a second request hidden in its body could be
// answered (request smuggling). Not thread-safe (a value type).
class FramingRules {
 public:
  // Notes one header field; names are case-insensitive.
  void See(std::string_view name, std::string_view value) {
    // Only three names matter; their lengths tell them apart cheaply.
    switch (name.size()) {
      case 4:
        if (IsHost(name) && hosts_ < 2) ++hosts_;
        break;
      case 14:
        if (NameIs(name, "content-length")) content_length_ = true;
        break;
      case 17:
        if (NameIs(name, "transfer-encoding")) {
          if (transfer_encodings_ < 2) ++transfer_encodings_;
          chunked_ = IsChunked(value);
        }
        break;
      default:
        break;
    }
  }

  // Returns why a request with the fields seen must be refused, or an empty
  // view if it may be served. `http11`: the request line said HTTP/1.1
  // (else HTTP/1.0).
  std::string_view Violation(bool http11) const {
    // RFC 9112 §6.1 and §6.3: the only transfer coding this server reads is
    // chunked, alone; anything else leaves the body's length unknown.
    if (transfer_encodings_ > 1) return "more than one Transfer-Encoding field";
    if (transfer_encodings_ == 1) {
      if (!chunked_) return "Transfer-Encoding other than chunked";
      if (content_length_) return "both Transfer-Encoding and Content-Length";
      if (!http11) return "Transfer-Encoding in an HTTP/1.0 request";
    }
    if (!HostsAllowed(hosts_, http11)) return hosts_ > 1 ? "more than one Host field" : "no Host field";
    return {};
  }

  // The Host rule alone, for the fast parser, which counts Host fields
  // itself and never completes a request with a Transfer-Encoding or a
  // body (so no other rule can apply to one it completes).
  static bool IsHost(std::string_view name) {
    // Four letters: one 32-bit compare, with the ASCII case bit set.
    if (name.size() != 4) return false;
    uint32_t word;
    uint32_t host;
    std::memcpy(&word, name.data(), 4);
    std::memcpy(&host, "host", 4);
    return (word | 0x20202020u) == host;
  }
  // RFC 9112 §3.2: exactly one Host in HTTP/1.1, at most one in HTTP/1.0.
  static bool HostsAllowed(int hosts, bool http11) { return hosts == 1 || (hosts == 0 && !http11); }

 private:
  // Whether `name` is `lower` (lowercase) in any case. REQUIRES: the same size.
  static bool NameIs(std::string_view name, std::string_view lower) {
    for (size_t i = 0; i < lower.size(); ++i) {
      char c = name[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != lower[i]) return false;
    }
    return true;
  }
  // Whether a Transfer-Encoding value is exactly "chunked", in any case,
  // with optional whitespace around it.
  static bool IsChunked(std::string_view value) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    return value.size() == 7 && NameIs(value, "chunked");
  }

  uint8_t hosts_ = 0;               // Host fields, counted up to 2
  uint8_t transfer_encodings_ = 0;  // Transfer-Encoding fields, up to 2
  bool chunked_ = false;            // the last Transfer-Encoding was exactly "chunked"
  bool content_length_ = false;
};

// A request head (request line and header fields) parsed in place: every
// view points into the bytes given to ParseRequestHead.
struct RequestHead {
  static constexpr size_t kMaxFields = 32;

  std::string_view method;
  std::string_view target;
  bool keep_alive = false;
  size_t size = 0;  // bytes of the head, up to and including the empty line
  std::array<std::pair<std::string_view, std::string_view>, kMaxFields> fields;
  size_t field_count = 0;

  // The value of the first field called `name` (case-insensitive), or empty.
  std::string_view Find(std::string_view name) const;
};

enum class HeadParse {
  kComplete,    // *head holds a request without a body that FramingRules allow
  kIncomplete,  // valid so far: read more bytes and call again
  kFallback,    // not handled here: let the full HTTP parser (Beast) decide
  kInvalid,     // no request line Beast accepts begins with these bytes: answer 400
};

// Parses the head at the start of `bytes`, for the common request the
// server's hot path sees: HTTP/1.1 or 1.0, CRLF line ends, no body. It is a
// strict subset of RFC 9112 and never answers for anything outside it:
// bare LF line ends in fields, obs-fold, control characters, a body
// (Content-Length other than 0, any Transfer-Encoding), a Connection header
// other than "close" or "keep-alive", more than kMaxFields fields, a head
// FramingRules refuse (no Host in HTTP/1.1, two Hosts), or anything else
// malformed gives kFallback, and the caller hands the same bytes to Beast,
// which accepts what HTTP allows and produces the error response for the
// rest. The contract: whatever this function completes, Beast parses
// identically (method, target, keep-alive, fields).
//
// kInvalid is the one answer given without Beast, and only for a request
// line that cannot become one Beast accepts, whatever bytes follow: it must
// be token SP 1*(any byte but CTL, SP and DEL) SP "HTTP/1.0" or "HTTP/1.1"
// CRLF. It is decided as soon as the bytes so far rule that out, without
// waiting for a line end, so binary garbage is refused at once instead of
// being held until a timeout.
//
// Written by hand because Beast's general parser (field table, allocation
// per field) was a fifth of the instructions of a cache hit served over
// HTTP. The caller bounds the bytes (max_header_bytes) and stops calling at
// the limit; this function reads only `bytes`.
HeadParse ParseRequestHead(std::string_view bytes, RequestHead* head);

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_REQUEST_HEAD_H_
