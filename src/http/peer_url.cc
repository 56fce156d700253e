// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include <cctype>
#include <charconv>

#include "groupcache/url.h"

namespace groupcache {
namespace {

// True for bytes that may not appear in a host: whitespace and control
// bytes (the host goes into a Host header), and brackets outside the
// "[v6]" form.
bool HasForbiddenHostByte(std::string_view host) {
  for (const char c : host) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '[' || c == ']') return true;
  }
  return false;
}

}  // namespace

Result<PeerUrl> ParsePeerUrl(std::string_view url) {
  const std::string quoted = "peer URL \"" + std::string(url) + "\"";
  PeerUrl out;
  std::string_view authority;
  if (url.starts_with("http://")) {
    authority = url.substr(7);
  } else if (url.starts_with("https://")) {
    authority = url.substr(8);
    out.tls = true;
  } else {
    return Status::InvalidArgument(quoted + ": must start with http:// or https://");
  }
  if (authority.empty()) return Status::InvalidArgument(quoted + ": missing host");
  if (authority.back() == '/') {
    return Status::InvalidArgument(quoted +
                                   ": remove the trailing slash (the base path is added by the pool)");
  }
  if (authority.find_first_of("/?#@ ") != std::string_view::npos) {
    return Status::InvalidArgument(quoted + ": must be http://host:port with no path, query or user info");
  }
  out.url = std::string(url);
  out.host_header = std::string(authority);
  std::string_view host = authority;
  std::string_view port = out.tls ? "443" : "80";
  if (authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::InvalidArgument(quoted + ": unclosed '['");
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return Status::InvalidArgument(quoted + ": junk after ']'");
      port = rest.substr(1);
    }
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return Status::InvalidArgument(quoted + ": an IPv6 host must be in brackets");
    }
  }
  if (host.empty()) return Status::InvalidArgument(quoted + ": missing host");
  if (HasForbiddenHostByte(host)) {
    return Status::InvalidArgument(quoted +
                                   ": the host contains whitespace, a control character or a bracket");
  }
  unsigned port_number = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), port_number);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos ||
      ec != std::errc() || end != port.data() + port.size() || port_number == 0 || port_number > 65535) {
    return Status::InvalidArgument(quoted + ": invalid port");
  }
  out.host = std::string(host);
  out.port = std::string(port);
  return out;
}

std::string PeerUrl::Endpoint() const {
  std::string out = tls ? "https://" : "http://";
  for (char c : host) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  out += ':';
  out += std::to_string(std::stoul(port));  // validated: 1 to 5 digits
  return out;
}

}  // namespace groupcache
