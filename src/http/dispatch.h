// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The dispatch layer of the server: a request read from a connection goes to
// its handler, whose response comes back through the connection's
// ResponseSlot, on this thread or posted from another.
#ifndef GROUPCACHE_SRC_HTTP_DISPATCH_H_
#define GROUPCACHE_SRC_HTTP_DISPATCH_H_

#include <cstddef>

#include "groupcache/http_server.h"
#include "http/request_reader.h"
#include "http/router.h"
#include "http/server_impl.h"

namespace groupcache::internal {

// Dispatches `request` (one not refused). Returns true
// with `response` set when the answer is known now: a refused target (414,
// 400; the connection then closes), an unknown path (404), or a handler that
// responded on this thread (a cache hit). Returns false when the handler's
// response will come from another thread: wait on conn.slot->timer, which a
// posted response cancels, then take conn.slot->response if it is ready.
// A handler that throws answers 500 (its Responder is dropped).
bool Dispatch(const Router& router, size_t max_target_bytes, Connection& conn, IncomingRequest& request,
              HttpResponse& response);

}  // namespace groupcache::internal

#endif  // GROUPCACHE_SRC_HTTP_DISPATCH_H_
