// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

namespace groupcache::integration {
namespace {

using Clock = std::chrono::steady_clock;

// Waits until `pid` exits or `timeout` passes; returns the wait status.
// A pidfd makes this a single blocking poll; kernels without pidfd_open fall
// back to a bounded waitpid(WNOHANG) loop.
std::optional<int> WaitPid(pid_t pid, std::chrono::milliseconds timeout) {
  int status = 0;
  pid_t r = waitpid(pid, &status, WNOHANG);
  if (r == pid) return status;
  if (r < 0) return 0;  // not our child any more (already reaped): treat as gone
  const auto deadline = Clock::now() + timeout;
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() < 0) left = std::chrono::milliseconds(0);
    if (pidfd >= 0) {
      pollfd p{pidfd, POLLIN, 0};
      int n = poll(&p, 1, static_cast<int>(left.count()));
      if (n < 0 && errno == EINTR) continue;
    } else {
      timespec ts{0, 5'000'000};
      nanosleep(&ts, nullptr);
    }
    r = waitpid(pid, &status, WNOHANG);
    if (r == pid || r < 0) {
      if (pidfd >= 0) close(pidfd);
      return r == pid ? status : 0;
    }
    if (Clock::now() >= deadline) break;
  }
  if (pidfd >= 0) close(pidfd);
  return std::nullopt;
}

}  // namespace

Result<std::unique_ptr<ChildProcess>> ChildProcess::Start(const std::string& binary,
                                                          const std::vector<std::string>& args,
                                                          const std::filesystem::path& dir,
                                                          const std::string& name) {
  if (access(binary.c_str(), X_OK) != 0) {
    return Status::Unavailable("not an executable: " + binary);
  }
  std::filesystem::path out = dir / (name + ".out");
  std::filesystem::path err = dir / (name + ".err");
  int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out_fd < 0 || err_fd < 0) {
    if (out_fd >= 0) close(out_fd);
    if (err_fd >= 0) close(err_fd);
    return Status::Unavailable("cannot create log files in " + dir.string());
  }
  // Everything the child needs is prepared before fork: after fork only
  // async-signal-safe calls are allowed (the test may have threads).
  std::vector<std::string> storage;
  storage.push_back(binary);
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();

  pid_t pid = fork();
  if (pid < 0) {
    close(out_fd);
    close(err_fd);
    return Status::Unavailable(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    // Undo signal settings the test runner may have changed.
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out_fd);
  close(err_fd);
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, name, out, err));
}

ChildProcess::ChildProcess(pid_t pid, std::string name, std::filesystem::path out, std::filesystem::path err)
    : pid_(pid), name_(std::move(name)), stdout_path_(std::move(out)), stderr_path_(std::move(err)) {}

ChildProcess::~ChildProcess() { Stop(); }

std::optional<int> ChildProcess::Stop(std::chrono::milliseconds grace) {
  if (wait_status_) return std::nullopt;
  // A stopped process would hold SIGTERM until the grace period ends.
  if (frozen_) (void)Thaw();
  kill(pid_, SIGTERM);
  wait_status_ = WaitPid(pid_, grace);
  if (!wait_status_) {
    kill(pid_, SIGKILL);
    wait_status_ = WaitPid(pid_, std::chrono::seconds(30));
    if (!wait_status_) wait_status_ = 0;  // unkillable; give up rather than hang the suite
  }
  return wait_status_;
}

void ChildProcess::Kill() {
  if (wait_status_) return;
  kill(pid_, SIGKILL);
  frozen_ = false;  // SIGKILL ends a stopped process too
  wait_status_ = WaitPid(pid_, std::chrono::seconds(30));
  if (!wait_status_) wait_status_ = 0;
}

bool ChildProcess::Freeze() {
  if (wait_status_ || kill(pid_, SIGSTOP) != 0) return false;
  frozen_ = true;
  return true;
}

bool ChildProcess::Thaw() {
  if (wait_status_ || kill(pid_, SIGCONT) != 0) return false;
  frozen_ = false;
  return true;
}

std::optional<int> ChildProcess::WaitForExit(std::chrono::milliseconds timeout) {
  if (wait_status_) return wait_status_;
  wait_status_ = WaitPid(pid_, timeout);
  return wait_status_;
}

bool ChildProcess::running() { return !WaitForExit(std::chrono::milliseconds(0)); }

Result<RunOutput> RunToCompletion(const std::string& binary, const std::vector<std::string>& args,
                                  const std::filesystem::path& dir, const std::string& name,
                                  std::chrono::milliseconds timeout) {
  auto child = ChildProcess::Start(binary, args, dir, name);
  if (!child.ok()) return child.status();
  ChildProcess& p = **child;
  RunOutput result;
  std::optional<int> status = p.WaitForExit(timeout);
  if (!status) {
    p.Kill();
  } else if (WIFEXITED(*status)) {
    result.exit_code = WEXITSTATUS(*status);
  }
  result.out = ReadFile(p.stdout_path());
  result.err = ReadFile(p.stderr_path());
  return result;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace groupcache::integration
