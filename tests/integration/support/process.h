// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Child processes for the integration tests.
#ifndef GROUPCACHE_TESTS_INTEGRATION_SUPPORT_PROCESS_H_
#define GROUPCACHE_TESTS_INTEGRATION_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "groupcache/status.h"

namespace groupcache::integration {

// A ChildProcess is a program started by a test with its stdout and stderr
// redirected to files. The destructor stops it (SIGTERM, then SIGKILL after a
// grace period) and reaps it, so a test never leaks a process. The child also
// gets SIGKILL if the test process dies first.
// Thread-safety: not thread-safe.
class ChildProcess {
 public:
  // Starts `binary` with `args` (argv[1..]). Output goes to `<dir>/<name>.out`
  // and `<dir>/<name>.err`. Errors: Unavailable if fork or exec fails (an exec
  // failure is reported as exit status 127 by the child; Start checks that the
  // binary exists and is executable first).
  static Result<std::unique_ptr<ChildProcess>> Start(const std::string& binary,
                                                     const std::vector<std::string>& args,
                                                     const std::filesystem::path& dir,
                                                     const std::string& name);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Sends SIGTERM, waits up to `grace` for the exit, then sends SIGKILL and
  // reaps. Idempotent. Returns the wait status, or nullopt if already reaped.
  std::optional<int> Stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
  // SIGKILL and reap at once, as a crashed peer would disappear.
  void Kill();
  // SIGSTOP: the process is frozen (its kernel still accepts connections
  // and buffers requests; nothing answers). Stop() and the destructor thaw
  // a frozen process before stopping it, so a failing test never leaves
  // one behind. Returns false if the signal could not be sent.
  [[nodiscard]] bool Freeze();
  // SIGCONT: the process runs again. Returns false if the signal could not
  // be sent.
  [[nodiscard]] bool Thaw();
  // Waits up to `timeout` for the process to exit on its own; returns its
  // wait status (see WIFEXITED), or nullopt if it is still running.
  std::optional<int> WaitForExit(std::chrono::milliseconds timeout);
  // True until the process has been seen to exit.
  bool running();

  pid_t pid() const { return pid_; }
  const std::string& name() const { return name_; }
  const std::filesystem::path& stdout_path() const { return stdout_path_; }
  const std::filesystem::path& stderr_path() const { return stderr_path_; }

 private:
  ChildProcess(pid_t pid, std::string name, std::filesystem::path out, std::filesystem::path err);

  pid_t pid_;
  std::optional<int> wait_status_;  // set once reaped
  bool frozen_ = false;             // SIGSTOPped by Freeze and not yet thawed
  std::string name_;
  std::filesystem::path stdout_path_;
  std::filesystem::path stderr_path_;
};

// The outcome of running a program to completion.
struct RunOutput {
  int exit_code = -1;  // -1 if killed by a signal or timed out
  std::string out;
  std::string err;
};

// Runs `binary` with `args` to completion (killing it after `timeout`) and
// returns its exit code and output. Output files are kept in `dir`.
Result<RunOutput> RunToCompletion(const std::string& binary, const std::vector<std::string>& args,
                                  const std::filesystem::path& dir, const std::string& name,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Reads a whole file; empty if it cannot be read.
std::string ReadFile(const std::filesystem::path& path);

}  // namespace groupcache::integration

#endif  // GROUPCACHE_TESTS_INTEGRATION_SUPPORT_PROCESS_H_
