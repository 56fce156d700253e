// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Waiting for SIGINT or SIGTERM, so the programs stop their servers cleanly.
#ifndef GROUPCACHE_EXAMPLES_COMMON_STOP_SIGNAL_H_
#define GROUPCACHE_EXAMPLES_COMMON_STOP_SIGNAL_H_

#include <pthread.h>
#include <signal.h>

namespace groupcache::examples {

// Blocks SIGINT and SIGTERM in the calling thread. Call it in main before any
// thread starts: threads inherit the mask, so the signals stay pending until
// WaitForStopSignal takes them, instead of landing on an I/O thread with no
// handler and killing the process mid-request.
inline sigset_t BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// Blocks until one of the signals in `set` arrives; returns its number.
inline int WaitForStopSignal(const sigset_t& set) {
  int signal_number = 0;
  while (sigwait(&set, &signal_number) != 0) {
  }
  return signal_number;
}

}  // namespace groupcache::examples

#endif  // GROUPCACHE_EXAMPLES_COMMON_STOP_SIGNAL_H_
