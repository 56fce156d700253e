// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Waiting in a test for what another thread does: a counter a callback
// bumps, a connection a server thread notices. A test waits for the event
// itself, never for a fixed time, so a slow machine only makes it slower.
#ifndef GROUPCACHE_TESTS_UNIT_SUPPORT_EVENTUALLY_H_
#define GROUPCACHE_TESTS_UNIT_SUPPORT_EVENTUALLY_H_

#include <chrono>
#include <thread>

namespace groupcache::testing {

// How long a test waits for something that should happen at once.
constexpr std::chrono::milliseconds kPatience = std::chrono::seconds(20);

// Polls `done` every millisecond for up to kPatience; returns its last value.
template <typename Predicate>
bool Eventually(Predicate done) {
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace groupcache::testing

#endif  // GROUPCACHE_TESTS_UNIT_SUPPORT_EVENTUALLY_H_
