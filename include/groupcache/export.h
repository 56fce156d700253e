// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// GROUPCACHE_API marks what the library exports. The library is compiled with
// hidden visibility (-fvisibility=hidden -fvisibility-inlines-hidden), so a
// shared build (BUILD_SHARED_LIBS=ON) exports the annotated classes and
// functions of include/groupcache/ and nothing from src/. In a static build
// the mark changes nothing.
#ifndef GROUPCACHE_EXPORT_H_
#define GROUPCACHE_EXPORT_H_

#if defined(__GNUC__) || defined(__clang__)
#define GROUPCACHE_API [[gnu::visibility("default")]]
#else
#define GROUPCACHE_API
#endif

#endif  // GROUPCACHE_EXPORT_H_
