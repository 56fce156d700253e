// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Test-only: a real PostgreSQL 15 server of the test's own, on 127.0.0.1 at
// a free port, for tests of groupcached's postgres source.
//
//   std::string error;
//   std::unique_ptr<PostgresServer> pg = PostgresServer::Start(&error);
//   ASSERT_NE(pg, nullptr) << error;
//   ASSERT_TRUE(pg->Exec("CREATE TABLE t (k text, v bytea)", &error)) << error;
//   options.conninfo = pg->conninfo();     // TCP, with the password
//
// initdb makes a fresh cluster in a temporary directory (the server's socket
// goes there too); the superuser kUser logs in over TCP with kPassword
// (scram-sha-256), and over the socket without one. PostgreSQL refuses to
// run as root: when the test runs as root the directory is given to
// "nobody" and initdb and postgres drop to that user before exec. The server
// gets SIGTERM if the test process dies (PR_SET_PDEATHSIG); the destructor
// stops it and removes the directory. Stop and Restart play a server that
// went away and came back on the same port.
//
// PostgreSQL 15 must be installed (/usr/lib/postgresql/15/bin; package
// postgresql-15, installed by scripts/install-deps.sh): Start fails, saying
// so, when it is not; tests should fail then, not skip. Not thread-safe.
#ifndef GROUPCACHE_TESTS_INTEGRATION_SUPPORT_POSTGRES_SERVER_H_
#define GROUPCACHE_TESTS_INTEGRATION_SUPPORT_POSTGRES_SERVER_H_

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace groupcache::integration {

class PostgresServer {
 public:
  static constexpr const char* kBinDir = "/usr/lib/postgresql/15/bin";
  static constexpr const char* kUser = "gc";
  // Distinctive, so that a test can look for it in logs and output.
  static constexpr const char* kPassword = "pg-secret-5e1b9c";

  // Runs initdb, starts the server and waits (up to 20 s) until it accepts
  // connections. Null, with the reason in *error, on failure.
  static std::unique_ptr<PostgresServer> Start(std::string* error);
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  uint16_t port() const { return port_; }
  // A libpq connection string for TCP on 127.0.0.1 with the password.
  std::string conninfo(const std::string& password = kPassword) const;

  // Runs `sql` (one or more statements) as the superuser; false with
  // libpq's message in *error on failure.
  bool Exec(const std::string& sql, std::string* error);

  // Stops the server (fast shutdown: SIGINT, SIGKILL after 10 s) and waits
  // for it to exit. Idempotent.
  void Stop();
  // Starts the stopped server again on the same port and waits until it
  // accepts connections. False, with the reason in *error, on failure.
  bool Restart(std::string* error);

  // The server's log, for a failure message.
  std::string Log() const;

 private:
  PostgresServer() = default;
  // Forks and execs `argv`, as the unprivileged user when root, with
  // stdout and stderr appended to `log`. Returns the pid, or -1.
  pid_t Spawn(const std::vector<std::string>& argv, const std::filesystem::path& log) const;
  bool Launch(std::string* error);

  std::filesystem::path dir_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
  bool drop_privileges_ = false;
};

}  // namespace groupcache::integration

#endif  // GROUPCACHE_TESTS_INTEGRATION_SUPPORT_POSTGRES_SERVER_H_
