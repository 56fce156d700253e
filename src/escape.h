// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Percent-encoding of group names and keys in peer URLs, and query parsing.
#ifndef GROUPCACHE_SRC_ESCAPE_H_
#define GROUPCACHE_SRC_ESCAPE_H_

#include <optional>
#include <string>
#include <string_view>

#include "groupcache/status.h"

namespace groupcache::internal {

// Appends `s` to `out` with every byte except A-Z a-z 0-9 '-' '_' '.' '~'
// written as %XX (upper-case hex). This is Go's url.QueryEscape except that a
// space becomes %20, never '+': a Go server decodes paths without turning '+'
// into a space, so %20 is the only spelling both servers read as a space.
void AppendEscaped(std::string& out, std::string_view s);
std::string Escape(std::string_view s);

// Decodes %XX escapes (either hex case) and '+' as a space: the exact inverse
// of Go's url.QueryEscape and of Escape above. InvalidArgument for a '%' not
// followed by two hex digits.
Result<std::string> Unescape(std::string_view s);

// Decodes %XX escapes as a URL path is decoded (Go's r.URL.Path): unlike
// Unescape, '+' stays '+'. InvalidArgument for a malformed escape.
Result<std::string> UnescapePath(std::string_view s);

// Returns the first value of `name` in a query string ("a=1&name=red"), with
// '+' and %XX decoded, as Go's Request.FormValue reads the URL: pairs with a
// malformed escape or a ';' are skipped. nullopt when absent.
std::optional<std::string> QueryValue(std::string_view query, std::string_view name);

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_ESCAPE_H_
