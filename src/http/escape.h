// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Percent-encoding into a buffer, for the peer client's request targets. The
// public helpers (QueryEscape, PathUnescape, QueryValue, ...) are in
// groupcache/url.h.
#ifndef GROUPCACHE_SRC_HTTP_ESCAPE_H_
#define GROUPCACHE_SRC_HTTP_ESCAPE_H_

#include <string>
#include <string_view>

#include "groupcache/url.h"

namespace groupcache::internal {

// Appends QueryEscape(s) to `out` without a temporary string.
void AppendEscaped(std::string& out, std::string_view s);

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_ESCAPE_H_
