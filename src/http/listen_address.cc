// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// ParseListenAddress (declared in groupcache/http_server.h), apart from the
// server so that it can be fuzzed without Boost.Asio.
#include <charconv>
#include <string>
#include <string_view>
#include <utility>

#include "groupcache/http_server.h"

namespace groupcache {

Result<std::pair<std::string, uint16_t>> ParseListenAddress(std::string_view addr) {
  const std::string quoted = "listen address \"" + std::string(addr) + "\"";
  const size_t colon = addr.rfind(':');
  if (colon == std::string_view::npos) return Status::InvalidArgument(quoted + ": missing port");
  std::string_view host = addr.substr(0, colon);
  const std::string_view port_text = addr.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return Status::InvalidArgument(quoted + ": an IPv6 host must be in brackets");
  }
  for (const char c : host) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '[' || c == ']') {
      return Status::InvalidArgument(quoted +
                                     ": the host contains whitespace, a control character or a bracket");
    }
  }
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return Status::InvalidArgument(quoted + ": invalid port");
  }
  std::string host_string(host);
  if (host_string == "localhost") host_string = "127.0.0.1";
  return std::make_pair(std::move(host_string), static_cast<uint16_t>(port));
}

}  // namespace groupcache
