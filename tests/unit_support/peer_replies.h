// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Test-only: the bytes a groupcache peer answers with, for scripted peers.
#ifndef GROUPCACHE_TESTS_UNIT_SUPPORT_PEER_REPLIES_H_
#define GROUPCACHE_TESTS_UNIT_SUPPORT_PEER_REPLIES_H_

#include <string>
#include <string_view>

#include "http/wire.h"

namespace groupcache::testing {

// A complete 200 response carrying `value` as a GetResponse.
inline std::string GetResponseReply(std::string_view value) {
  const std::string body = internal::EncodeGetResponsePrefix(value.size()) + std::string(value);
  return "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace groupcache::testing

#endif  // GROUPCACHE_TESTS_UNIT_SUPPORT_PEER_REPLIES_H_
