// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "postgres_server.h"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include "net.h"

namespace groupcache::integration {
namespace {

using Clock = std::chrono::steady_clock;

// The user PostgreSQL runs as when the test is root ("nobody" on Debian).
constexpr uid_t kUnprivilegedUid = 65534;
constexpr gid_t kUnprivilegedGid = 65534;

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Waits up to `timeout` for `pid` to exit; true once reaped.
bool WaitExit(pid_t pid, std::chrono::milliseconds timeout, int* status) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const pid_t done = ::waitpid(pid, status, WNOHANG);
    if (done == pid || (done < 0 && errno == ECHILD)) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

std::unique_ptr<PostgresServer> PostgresServer::Start(std::string* error) {
  const std::string initdb = std::string(kBinDir) + "/initdb";
  if (::access(initdb.c_str(), X_OK) != 0 ||
      ::access((std::string(kBinDir) + "/postgres").c_str(), X_OK) != 0) {
    *error = std::string(kBinDir) +
             "/initdb or postgres is not installed: run scripts/install-deps.sh (package postgresql-15)";
    return nullptr;
  }
  std::unique_ptr<PostgresServer> pg(new PostgresServer());
  char dir_template[] = "/tmp/groupcache-postgres.XXXXXX";
  if (::mkdtemp(dir_template) == nullptr) {
    *error = "mkdtemp failed";
    return nullptr;
  }
  pg->dir_ = dir_template;
  pg->drop_privileges_ = ::geteuid() == 0;
  const std::filesystem::path pwfile = pg->dir_ / "pwfile";
  {
    std::ofstream out(pwfile);
    out << kPassword << "\n";
  }
  ::chmod(pwfile.c_str(), 0600);
  if (pg->drop_privileges_ && (::chown(pg->dir_.c_str(), kUnprivilegedUid, kUnprivilegedGid) != 0 ||
                               ::chown(pwfile.c_str(), kUnprivilegedUid, kUnprivilegedGid) != 0)) {
    *error = "cannot give " + pg->dir_.string() + " to nobody";
    return nullptr;
  }
  // -N: no fsync; a test cluster need not survive a crash.
  const pid_t init =
      pg->Spawn({initdb, "-D", (pg->dir_ / "data").string(), "-U", kUser, "--pwfile=" + pwfile.string(),
                 "--auth-host=scram-sha-256", "--auth-local=trust", "-N", "-E", "UTF8", "--locale=C"},
                pg->dir_ / "initdb.log");
  int status = 0;
  if (init < 0 || !WaitExit(init, std::chrono::seconds(60), &status) || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    if (init > 0) {
      ::kill(init, SIGKILL);
      ::waitpid(init, &status, 0);
    }
    *error = "initdb failed: " + ReadAll(pg->dir_ / "initdb.log");
    return nullptr;
  }
  for (int attempt = 0; attempt < 3; ++attempt) {
    pg->port_ = PickFreePort();
    if (pg->Launch(error)) return pg;
  }
  return nullptr;
}

PostgresServer::~PostgresServer() {
  Stop();
  std::error_code ignored;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

std::string PostgresServer::conninfo(const std::string& password) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=postgres user=" + kUser +
         " password=" + password + " connect_timeout=5";
}

bool PostgresServer::Exec(const std::string& sql, std::string* error) {
  PGconn* conn = PQconnectdb(conninfo().c_str());
  bool ok = PQstatus(conn) == CONNECTION_OK;
  if (ok) {
    PGresult* result = PQexec(conn, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    PQclear(result);
  }
  if (!ok) *error = PQerrorMessage(conn);
  PQfinish(conn);
  return ok;
}

void PostgresServer::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGINT);  // fast shutdown: clients are disconnected
  int status = 0;
  if (!WaitExit(pid_, std::chrono::seconds(10), &status)) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

bool PostgresServer::Restart(std::string* error) {
  Stop();
  return Launch(error);
}

std::string PostgresServer::Log() const { return ReadAll(dir_ / "postgres.log"); }

pid_t PostgresServer::Spawn(const std::vector<std::string>& argv, const std::filesystem::path& log) const {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return -1;
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls from here to exec.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(126);  // the test died before prctl
    ::dup2(log_fd, STDOUT_FILENO);
    ::dup2(log_fd, STDERR_FILENO);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    if (drop_privileges_ && (::setgroups(0, nullptr) != 0 || ::setgid(kUnprivilegedGid) != 0 ||
                             ::setuid(kUnprivilegedUid) != 0)) {
      ::_exit(125);
    }
    // A setuid child loses PR_SET_PDEATHSIG; set it again as the new user.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(126);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(log_fd);
  return pid;
}

bool PostgresServer::Launch(std::string* error) {
  const std::string postgres = std::string(kBinDir) + "/postgres";
  // Durability is of no use to a test; a small server starts faster.
  pid_ = Spawn({postgres, "-D", (dir_ / "data").string(), "-k", dir_.string(), "-p", std::to_string(port_),
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c",
                "full_page_writes=off", "-c", "shared_buffers=16MB", "-c", "max_connections=40"},
               dir_ / "postgres.log");
  if (pid_ < 0) {
    *error = "fork failed";
    return false;
  }
  const std::string ping =
      "host=127.0.0.1 port=" + std::to_string(port_) + " dbname=postgres connect_timeout=2";
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      *error = "postgres exited at start: " + Log();
      return false;
    }
    if (PQping(ping.c_str()) == PQPING_OK) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Stop();
  *error = "postgres did not accept connections within 20 s: " + Log();
  return false;
}

}  // namespace groupcache::integration
