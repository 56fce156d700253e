// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// groupcached: the deployable groupcache server. Everything it does comes from
// a TOML file (docs/configuration.md); the command line carries no secrets:
//
//   groupcached --config /etc/groupcached/groupcached.toml
//   groupcached --check-config --config FILE    validate, summarise, exit 0 or 1
//   groupcached --version                        version, commit, build type, compiler
//   groupcached                                  the embedded one-node demo
//
// SIGTERM/SIGINT stop it gracefully: /readyz answers 503 at once, the node
// keeps serving for node.drain (a second signal cuts that short), then stops.
// SIGHUP reopens the log file and re-reads [node].peers; SIGUSR1 (logrotate's
// convention) only reopens the log file. Under systemd (Type=notify, with
// $NOTIFY_SOCKET set) it reports READY=1 once both listeners accept,
// RELOADING=1 and READY=1 around a SIGHUP, and STOPPING=1 at the stop
// signal (sd_notify.h). This file
// is the process: arguments, signals and the wait; a Node (node.h) is the
// server.
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "daemon/build_info.h"
#include "daemon/config.h"
#include "daemon/file_security.h"
#include "daemon/group_source.h"
#include "daemon/log.h"
#include "daemon/node.h"
#include "daemon/node_settings.h"
#include "daemon/sd_notify.h"

namespace groupcached {
namespace {

using groupcache::Result;
using groupcache::Status;

// Servers get this long to finish in-flight requests; the whole shutdown,
// getters included, is cut off at kShutdownBound.
constexpr std::chrono::milliseconds kStopGrace{5000};
constexpr std::chrono::seconds kShutdownBound{10};

// Cuts a stuck shutdown off at kShutdownBound: getters blocked in a source
// must not keep the process (and its service manager) waiting forever.
class ShutdownWatchdog {
 public:
  explicit ShutdownWatchdog(Logger& logger)
      : thread_([this, &logger] {
          std::unique_lock<std::mutex> lock(mu_);
          if (!cv_.wait_for(lock, kShutdownBound, [this] { return done_; })) {
            logger.Error("shutdown did not finish in time; exiting",
                         {{"bound", std::to_string(kShutdownBound.count()) + "s"}});
            logger.Flush();
            std::_Exit(1);
          }
        }) {}
  ~ShutdownWatchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;  // guarded by mu_
  std::thread thread_;
};

// Reopens log.file by its name, after logrotate renamed it. A file that
// cannot be opened leaves the old one in use, and says so in it.
void ReopenLog(Logger& logger) {
  if (Status reopened = logger.Reopen(); !reopened.ok()) {
    logger.Error("reopening the log file failed; the old one stays in use", {{"error", reopened.message()}});
  }
}

// SIGHUP: reopens the log file (for log rotation), reloads the TLS files,
// re-reads the file at `path` and hands it to the node, which applies
// node.peers. A file that does not load changes nothing; TLS files that do
// not pass the checks leave the old ones in use. Returns the outcome in a
// few words, for the service manager's status line.
std::string ReloadFromFile(const std::string& path, Node& node) {
  Logger& logger = node.logger();
  ReopenLog(logger);
  if (node.config().tls.enabled()) (void)node.ReloadTls("sighup");  // logged either way
  if (!node.config().from_file) {
    logger.Warn("SIGHUP ignored: running the embedded default config, there is no file to re-read");
    return "serving; SIGHUP ignored (embedded config)";
  }
  Status permissions = CheckConfigFile(path);
  Result<Config> next = permissions.ok() ? LoadConfig(path) : Result<Config>(permissions);
  if (!next.ok()) {
    logger.Error("reload failed; the running configuration stays", {{"error", next.status().message()}});
    return "serving; the last reload failed, the running configuration stays";
  }
  // The node logs what it applied, and what it could not.
  return node.Reload(*next).ok() ? "serving; reloaded" : "serving; the last reload was not applied in full";
}

// Handles SIGHUP (reload, reported to the service manager through
// `notifier`) and SIGUSR1 (reopen the log); returns false for any other
// signal, which stops the node.
bool HandleNonStopSignal(int signal_number, const std::string& path, Node& node, ServiceNotifier& notifier) {
  if (signal_number == SIGHUP) {
    notifier.Reloading("reloading after SIGHUP");
    notifier.Ready(ReloadFromFile(path, node));
    return true;
  }
  if (signal_number == SIGUSR1) {
    ReopenLog(node.logger());
    // The first line of the new file says why it was started.
    node.logger().Info("log reopened", {{"signal", "SIGUSR1"}});
    return true;
  }
  return false;
}

// Blocks until SIGINT or SIGTERM, handling SIGHUP and SIGUSR1 meanwhile,
// and polling the TLS files between signals; returns the signal that ended
// the wait.
int WaitForStop(const sigset_t& signals, const std::string& path, Node& node, ServiceNotifier& notifier) {
  const std::chrono::milliseconds poll = node.tls_poll_interval();
  auto next_poll = std::chrono::steady_clock::now() + poll;
  for (;;) {
    int signal_number = 0;
    if (poll.count() <= 0) {
      if (sigwait(&signals, &signal_number) != 0) continue;
    } else {
      const auto left =
          std::chrono::duration_cast<std::chrono::nanoseconds>(next_poll - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        node.PollTls();
        next_poll = std::chrono::steady_clock::now() + poll;
        continue;
      }
      const timespec timeout{static_cast<time_t>(left.count() / 1000000000),
                             static_cast<long>(left.count() % 1000000000)};
      signal_number = sigtimedwait(&signals, nullptr, &timeout);
      if (signal_number < 0) continue;  // EAGAIN: time to poll (checked above); EINTR: retry
    }
    if (HandleNonStopSignal(signal_number, path, node, notifier)) continue;
    return signal_number;
  }
}

std::string SignalName(int signal_number) { return signal_number == SIGINT ? "SIGINT" : "SIGTERM"; }

// Keeps serving for node.drain with /readyz at 503 after the stop signal, so
// that load balancers and the peers' DNS lookups see the node leave before it
// stops. SIGHUP and SIGUSR1 are still handled; a second SIGINT or SIGTERM
// ends the drain.
void Drain(const sigset_t& signals, const std::string& path, Node& node, ServiceNotifier& notifier) {
  const std::chrono::milliseconds drain = node.config().node.drain;
  if (drain.count() <= 0) return;
  node.BeginDrain();
  const auto deadline = std::chrono::steady_clock::now() + drain;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    timespec timeout{static_cast<time_t>(left.count() / 1000000000),
                     static_cast<long>(left.count() % 1000000000)};
    const int signal_number = sigtimedwait(&signals, nullptr, &timeout);
    if (signal_number < 0) continue;  // EAGAIN: the time is up (checked above); EINTR: retry
    if (HandleNonStopSignal(signal_number, path, node, notifier)) continue;
    node.logger().Warn("draining cut short by a second signal", {{"signal", SignalName(signal_number)}});
    return;
  }
}

int Serve(NodeSettings settings, const std::string& path, const sigset_t& signals) {
  const bool log_to_file = !settings.config.log.file.empty();
  Result<std::unique_ptr<Logger>> logger = Logger::Create(LogOptionsFor(settings));
  if (!logger.ok()) {
    std::fprintf(stderr, "groupcached: %s\n", logger.status().message().c_str());
    return 1;
  }
  for (const std::string& warning : settings.warnings) (*logger)->Warn(warning);
  Result<std::unique_ptr<Node>> node = Node::Create(std::move(settings), std::move(logger).value());
  if (!node.ok()) {
    // The node logged it; the operator starting it by hand looks at the
    // terminal, not the file.
    if (log_to_file) std::fprintf(stderr, "groupcached: %s\n", node.status().message().c_str());
    return 1;
  }
  (*node)->Start();
  ServiceNotifier notifier = ServiceNotifier::FromEnvironment((*node)->logger());
  notifier.Ready("serving: api " + (*node)->api_address() + ", peers " + (*node)->peer_address());
  const int signal_number = WaitForStop(signals, path, **node, notifier);
  Logger& log = (*node)->logger();
  log.Info("stopping", {{"signal", SignalName(signal_number)}});
  notifier.Stopping("stopping after " + SignalName(signal_number) + ": draining, then closing");
  Drain(signals, path, **node, notifier);
  {
    ShutdownWatchdog watchdog(log);
    (*node)->Stop(kStopGrace);
  }
  return 0;  // the node's destructor frees what Stop has quiesced
}

// --check-config: everything a start would check, short of binding and
// connecting; prints the summary. Returns the exit code.
int CheckConfig(const std::string& path) {
  Result<NodeSettings> settings = LoadNodeSettings(path);
  const Status status = settings.ok() ? CheckGroupSources(settings->config) : settings.status();
  if (!status.ok()) {
    std::fprintf(stderr, "groupcached: configuration refused:\n%s\n", status.message().c_str());
    return 1;
  }
  for (const std::string& warning : settings->warnings) {
    std::fprintf(stderr, "groupcached: warning: %s\n", warning.c_str());
  }
  for (const std::string& warning : PeerAliasWarnings(settings->config)) {
    std::fprintf(stderr, "groupcached: warning: %s\n", warning.c_str());
  }
  std::fputs(DescribeConfig(settings->config).c_str(), stdout);
  std::puts("configuration OK");
  return 0;
}

int Main(int argc, char** argv) {
  CLI::App app{"groupcached: a groupcache server configured by one TOML file"};
  app.footer(
      "Without --config, the embedded one-node demo runs (API on 127.0.0.1:8080).\n"
      "Signals: SIGTERM/SIGINT stop gracefully (/readyz answers 503 at once; serving goes on for\n"
      "node.drain, or until a second signal); SIGHUP reopens the log file, reloads the TLS files and\n"
      "re-reads [node].peers;\n"
      "SIGUSR1 reopens the log file only.\n"
      "Every setting, and every secret, comes from the file: see docs/configuration.md.");
  std::string config_path;
  bool check_only = false;
  app.add_option("--config", config_path, "the TOML configuration file")->type_name("FILE");
  app.add_flag("--check-config", check_only, "validate the configuration, print a summary, exit 0 or 1");
  std::string version = VersionText(ThisBuild());
  if (!version.empty() && version.back() == '\n') version.pop_back();  // CLI11 adds one
  app.set_version_flag("--version", version, "print the version, git commit, build type and compiler");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (app.count("--config") > 0 && config_path.empty()) {
    std::fprintf(stderr, "groupcached: --config needs a file name\n");
    return 2;
  }
  if (check_only) return CheckConfig(config_path);

  Result<NodeSettings> settings = LoadNodeSettings(config_path);
  if (!settings.ok()) {
    std::fprintf(stderr, "groupcached: configuration refused:\n%s\n", settings.status().message().c_str());
    return 1;
  }
  // Blocked before the runtime starts any thread, so that every thread
  // inherits the mask and the signals wait for sigwait in this thread instead
  // of interrupting an I/O thread.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A closed stderr pipe must not kill the server at its next log line.
  signal(SIGPIPE, SIG_IGN);
  return Serve(std::move(settings).value(), config_path, signals);
}

}  // namespace
}  // namespace groupcached

int main(int argc, char** argv) {
  try {
    return groupcached::Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "groupcached: fatal: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "groupcached: fatal: unknown exception\n");
  }
  return 1;
}
