// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http/request_head.h"

#include <boost/beast/core/string.hpp>

namespace groupcache::internal {

namespace {

namespace beast = boost::beast;

// RFC 9110 tchar: the characters of a token (method, field name).
constexpr std::array<bool, 256> MakeTcharTable() {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr std::array<bool, 256> kTchar = MakeTcharTable();

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!kTchar[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

// A request-target here is visible ASCII only (RFC 9112 §3.2 forms all are).
bool IsTarget(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

// field-value characters: VCHAR, SP, HTAB and obs-text; no CTL, no DEL.
bool IsFieldValue(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != '\t') || u == 0x7f) return false;
  }
  return true;
}

std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Beast's request-target characters: any byte but a control, SP or DEL.
bool IsPathChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u != 0x7f;
}

// Whether `bytes`, up to their first LF, can begin a request line that
// Beast accepts, whatever follows: token SP 1*pathchar SP "HTTP/1.0" or
// "HTTP/1.1" CRLF (Beast takes any digits in the version, then refuses all
// but 1.0 and 1.1). Off the hot path: run only when the quick parse of the
// request line did not succeed.
bool MayStartRequestLine(std::string_view bytes) {
  size_t i = 0;
  while (i < bytes.size() && kTchar[static_cast<unsigned char>(bytes[i])]) ++i;
  if (i == bytes.size()) return true;
  if (i == 0 || bytes[i] != ' ') return false;
  const size_t target = ++i;
  while (i < bytes.size() && IsPathChar(bytes[i])) ++i;
  if (i == bytes.size()) return true;
  if (i == target || bytes[i] != ' ') return false;
  const std::string_view version = bytes.substr(i + 1, 10);
  return std::string_view("HTTP/1.1\r\n").starts_with(version) ||
         std::string_view("HTTP/1.0\r\n").starts_with(version);
}

// Whether `partial`, a field line whose line end has not arrived, can still
// become one the quick parse takes (token ":" field-value), or the empty
// line that ends the head. If not, Beast
// decides at once rather than after the line ends (a control byte in a
// name, say, which Beast refuses as soon as it sees it).
bool MayBeFieldLine(std::string_view partial) {
  if (partial == "\r") return true;  // the empty line that ends the head, arriving
  size_t i = 0;
  while (i < partial.size() && kTchar[static_cast<unsigned char>(partial[i])]) ++i;
  if (i == partial.size()) return true;
  if (i == 0 || partial[i] != ':') return false;
  std::string_view value = partial.substr(i + 1);
  if (!value.empty() && value.back() == '\r') value.remove_suffix(1);  // the line end arriving
  return IsFieldValue(value);
}

}  // namespace

std::string_view RequestHead::Find(std::string_view name) const {
  for (size_t i = 0; i < field_count; ++i) {
    if (beast::iequals(fields[i].first, name)) return fields[i].second;
  }
  return {};
}

HeadParse ParseRequestHead(std::string_view bytes, RequestHead* head) {
  size_t pos = 0;
  std::string_view line;
  // Takes the next CRLF-terminated line; a bare LF is left to Beast.
  auto next_line = [&]() -> HeadParse {
    const size_t lf = bytes.find('\n', pos);
    if (lf == std::string_view::npos) return HeadParse::kIncomplete;
    if (lf == pos || bytes[lf - 1] != '\r') return HeadParse::kFallback;
    line = bytes.substr(pos, lf - 1 - pos);
    pos = lf + 1;
    return HeadParse::kComplete;
  };

  if (bytes.empty()) return HeadParse::kIncomplete;
  // request-line = method SP request-target SP HTTP-version. Whatever the
  // quick parse below does not take is checked against what Beast could
  // accept, so garbage is refused before its line ends (or never does).
  if (HeadParse state = next_line(); state != HeadParse::kComplete) {
    return MayStartRequestLine(bytes) ? state : HeadParse::kInvalid;
  }
  auto not_here = [bytes] { return MayStartRequestLine(bytes) ? HeadParse::kFallback : HeadParse::kInvalid; };
  const size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return not_here();
  const size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return not_here();
  head->method = line.substr(0, sp1);
  head->target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  const bool http11 = version == "HTTP/1.1";
  if ((!http11 && version != "HTTP/1.0") || !IsToken(head->method) || !IsTarget(head->target)) {
    return not_here();
  }

  bool close = false;
  bool keep_alive = false;
  int hosts = 0;  // up to 2
  head->field_count = 0;
  for (;;) {
    if (HeadParse state = next_line(); state != HeadParse::kComplete) {
      if (state == HeadParse::kIncomplete && !MayBeFieldLine(bytes.substr(pos))) return HeadParse::kFallback;
      return state;
    }
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return HeadParse::kFallback;
    const std::string_view name = line.substr(0, colon);  // obs-fold starts with SP: not a token
    const std::string_view raw_value = line.substr(colon + 1);
    if (!IsToken(name) || !IsFieldValue(raw_value) || head->field_count == RequestHead::kMaxFields) {
      return HeadParse::kFallback;
    }
    const std::string_view value = TrimWhitespace(raw_value);
    if (beast::iequals(name, "content-length")) {
      if (value != "0") return HeadParse::kFallback;  // a body: Beast reads it
    } else if (beast::iequals(name, "transfer-encoding")) {
      return HeadParse::kFallback;
    } else if (beast::iequals(name, "proxy-connection")) {
      return HeadParse::kFallback;  // Beast parses it as a token list too
    } else if (beast::iequals(name, "connection")) {
      if (beast::iequals(value, "close")) {
        close = true;
      } else if (beast::iequals(value, "keep-alive")) {
        keep_alive = true;
      } else {
        return HeadParse::kFallback;  // a token list: Beast's rules apply
      }
    }
    if (FramingRules::IsHost(name) && hosts < 2) ++hosts;
    head->fields[head->field_count++] = {name, value};
  }
  // Beast would parse this head, but the server refuses it: let the server
  // say why, after Beast, as for every head the framing rules refuse.
  if (!FramingRules::HostsAllowed(hosts, http11)) return HeadParse::kFallback;
  head->keep_alive = !close && (http11 || keep_alive);
  head->size = pos;
  return HeadParse::kComplete;
}

}  // namespace groupcache::internal
