// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The whole public API of groupcache for C++.
#ifndef GROUPCACHE_GROUPCACHE_H_
#define GROUPCACHE_GROUPCACHE_H_

#include "groupcache/byte_view.h"
#include "groupcache/dns_peers.h"
#include "groupcache/executor.h"
#include "groupcache/getter.h"
#include "groupcache/group.h"
#include "groupcache/hash_ring.h"
#include "groupcache/http_fetch.h"
#include "groupcache/http_pool.h"
#include "groupcache/http_server.h"
#include "groupcache/peers.h"
#include "groupcache/registry.h"
#include "groupcache/runtime.h"
#include "groupcache/stats.h"
#include "groupcache/status.h"
#include "groupcache/url.h"

#endif  // GROUPCACHE_GROUPCACHE_H_
