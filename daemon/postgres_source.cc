// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The postgres source: a parameterised query per key over a small pool of
// libpq connections, each step asynchronous so that a worker thread waits in
// poll() for the deadline at most. The only daemon file that needs libpq.
#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>

#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "sources.h"

namespace groupcached {
namespace {

using groupcache::Getter;
using groupcache::Result;
using groupcache::Sink;
using groupcache::Status;
using Clock = std::chrono::steady_clock;

// The column types whose binary form is the value's bytes as they are
// (pg_type.h): bytea, name, text, json, char(n), varchar.
constexpr Oid kByteaOid = 17;
constexpr Oid kNameOid = 19;
constexpr Oid kTextOid = 25;
constexpr Oid kJsonOid = 114;
constexpr Oid kBpcharOid = 1042;
constexpr Oid kVarcharOid = 1043;

bool IsRawBytesType(Oid type) {
  return type == kByteaOid || type == kNameOid || type == kTextOid || type == kJsonOid ||
         type == kBpcharOid || type == kVarcharOid;
}

struct ConnectionCloser {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using Connection = std::unique_ptr<PGconn, ConnectionCloser>;

struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using QueryResult = std::unique_ptr<PGresult, ResultClearer>;

// Notices (RAISE NOTICE in a function the query calls) may quote the key;
// libpq would print them on stderr.
void IgnoreNotice(void*, const char*) {}

// What libpq's conninfo parser found: the server, for messages, and the
// secrets that must never appear in one.
struct ParsedConninfo {
  std::string where;
  std::vector<std::string> secrets;
};

Result<ParsedConninfo> ParseConninfo(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    // libpq's message quotes the text around the mistake, which may be the
    // password: it is not passed on.
    PQfreemem(error);
    return Status::InvalidArgument(
        "the connection string is not one libpq can parse (see libpq's \"Connection "
        "Strings\"; it is not shown, as it may hold a password)");
  }
  ParsedConninfo parsed;
  parsed.secrets.push_back(conninfo);
  std::string host, port, dbname;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || *o->val == '\0') continue;
    const std::string keyword = o->keyword;
    if (keyword == "host" || (keyword == "hostaddr" && host.empty())) host = o->val;
    if (keyword == "port") port = o->val;
    if (keyword == "dbname") dbname = o->val;
    if (keyword == "password" || keyword == "sslpassword") parsed.secrets.emplace_back(o->val);
  }
  PQconninfoFree(options);
  parsed.where = "postgres source (host " + (host.empty() ? std::string("default") : host);
  if (!port.empty()) parsed.where += ", port " + port;
  if (!dbname.empty()) parsed.where += ", dbname " + dbname;
  parsed.where += ")";
  return parsed;
}

int MillisUntil(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : left > INT_MAX ? INT_MAX : static_cast<int>(left);
}

class PostgresSource final : public Getter {
 public:
  PostgresSource(PostgresSourceOptions options, ParsedConninfo parsed)
      : options_(std::move(options)), where_(std::move(parsed.where)), secrets_(std::move(parsed.secrets)) {}

  ~PostgresSource() override = default;

  Status Get(std::string_view key, Sink& dest) override {
    // Text parameters are C strings: a NUL would cut the key short.
    if (key.find('\0') != std::string_view::npos) return Status::InvalidArgument("NUL byte in key");
    const Clock::time_point deadline = Clock::now() + options_.timeout;
    for (int attempt = 0;; ++attempt) {
      bool reused = false;
      Result<Connection> acquired = Acquire(deadline, reused);
      if (!acquired.ok()) return acquired.status();
      Connection conn = std::move(acquired).value();
      bool broken = false;
      Status status = Query(conn.get(), key, deadline, dest, broken);
      if (broken) conn.reset();
      Release(std::move(conn));
      // A connection that sat idle may have been cut by a server restart
      // since: that is not this key's failure. Its idle siblings likely
      // were too, so they go, and one new connection is tried.
      if (broken && reused && attempt == 0 && status.code() == groupcache::StatusCode::kUnavailable) {
        DropIdle();
        continue;
      }
      return status;
    }
  }

 private:
  // Takes an idle connection (reused = true), or opens one when fewer than
  // pool_size are open, waiting for either until `deadline`.
  Result<Connection> Acquire(Clock::time_point deadline, bool& reused) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!available_.wait_until(lock, deadline,
                                 [&] { return !idle_.empty() || open_ < options_.pool_size; })) {
        return Status::DeadlineExceeded(where_ + ": all " + std::to_string(options_.pool_size) +
                                        " connections stayed busy until the deadline");
      }
      if (!idle_.empty()) {
        Connection conn = std::move(idle_.back());
        idle_.pop_back();
        reused = true;
        return conn;
      }
      ++open_;  // this slot is ours while connecting
    }
    Result<Connection> conn = Connect(deadline);
    if (!conn.ok()) Release(nullptr);
    return conn;
  }

  // Returns a healthy connection to the pool; null frees its slot.
  void Release(Connection conn) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (conn != nullptr) {
        idle_.push_back(std::move(conn));
      } else {
        --open_;
      }
    }
    available_.notify_one();
  }

  void DropIdle() {
    std::vector<Connection> dropped;
    {
      std::lock_guard<std::mutex> lock(mu_);
      dropped.swap(idle_);
      open_ -= static_cast<int>(dropped.size());
    }
    available_.notify_all();
    // The connections close here, outside the lock.
  }

  Result<Connection> Connect(Clock::time_point deadline) {
    Connection conn(PQconnectStart(options_.conninfo.c_str()));
    if (conn == nullptr) return Status::Unavailable(where_ + ": cannot connect: out of memory");
    if (PQstatus(conn.get()) == CONNECTION_BAD)
      return Status::Unavailable(where_ + ": cannot connect: " + ErrorOf(conn.get(), {}));
    PQsetNoticeProcessor(conn.get(), IgnoreNotice, nullptr);
    // As libpq documents: behave as if the last poll said "writing".
    PostgresPollingStatusType polling = PGRES_POLLING_WRITING;
    while (polling != PGRES_POLLING_OK) {
      if (polling == PGRES_POLLING_FAILED)
        return Status::Unavailable(where_ + ": cannot connect: " + ErrorOf(conn.get(), {}));
      Status ready = WaitFor(conn.get(), polling == PGRES_POLLING_WRITING ? POLLOUT : POLLIN, deadline);
      if (!ready.ok()) return ready;
      polling = PQconnectPoll(conn.get());
    }
    if (PQsetnonblocking(conn.get(), 1) != 0)
      return Status::Unavailable(where_ + ": cannot connect: " + ErrorOf(conn.get(), {}));
    return conn;
  }

  // Waits until the connection's socket has one of `events`, or the
  // deadline. POLLERR and POLLHUP count as ready: libpq reads the failure.
  Status WaitFor(PGconn* conn, short events, Clock::time_point deadline) const {
    const int fd = PQsocket(conn);
    if (fd < 0) return Status::Unavailable(where_ + ": the connection has no socket");
    for (;;) {
      const int ms = MillisUntil(deadline);
      if (ms == 0) {
        return Status::DeadlineExceeded(where_ + ": no answer within " +
                                        std::to_string(options_.timeout.count()) + "ms");
      }
      pollfd p{fd, events, 0};
      const int n = ::poll(&p, 1, ms);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Status::Unavailable(where_ + ": poll: " + std::strerror(errno));
      if (n > 0) return Status::Ok();
    }
  }

  // Runs the query with `key` as $1 on `conn`. Sets `broken` when the
  // connection must not be used again: it failed, or the deadline passed
  // with the query under way (closing it is what stops waiting for it).
  Status Query(PGconn* conn, std::string_view key, Clock::time_point deadline, Sink& dest, bool& broken) {
    const std::string param(key);
    const char* values[1] = {param.c_str()};
    const int lengths[1] = {static_cast<int>(param.size())};
    const int formats[1] = {0};  // text: the server converts it to $1's type
    if (PQsendQueryParams(conn, options_.query.c_str(), 1, nullptr, values, lengths, formats,
                          /*resultFormat=*/1) == 0) {
      broken = true;
      return Status::Unavailable(where_ + ": sending the query: " + ErrorOf(conn, key));
    }
    for (;;) {
      const int flushed = PQflush(conn);
      if (flushed == 0) break;
      if (flushed < 0) {
        broken = true;
        return Status::Unavailable(where_ + ": sending the query: " + ErrorOf(conn, key));
      }
      Status ready = WaitFor(conn, POLLIN | POLLOUT, deadline);
      if (ready.ok() && PQconsumeInput(conn) == 0) {
        ready = Status::Unavailable(where_ + ": sending the query: " + ErrorOf(conn, key));
      }
      if (!ready.ok()) {
        broken = true;
        return ready;
      }
    }
    QueryResult first;
    for (;;) {
      while (PQisBusy(conn) != 0) {
        Status ready = WaitFor(conn, POLLIN, deadline);
        if (ready.ok() && PQconsumeInput(conn) == 0) {
          ready = Status::Unavailable(where_ + ": reading the answer: " + ErrorOf(conn, key));
        }
        if (!ready.ok()) {
          broken = true;
          return ready;
        }
      }
      QueryResult next(PQgetResult(conn));
      if (next == nullptr) break;
      if (first == nullptr) first = std::move(next);
    }
    if (PQstatus(conn) != CONNECTION_OK || PQtransactionStatus(conn) != PQTRANS_IDLE) broken = true;
    if (first == nullptr) return Status::Unavailable(where_ + ": no answer to the query");
    return Interpret(first.get(), conn, key, dest);
  }

  Status Interpret(const PGresult* result, PGconn* conn, std::string_view key, Sink& dest) const {
    switch (PQresultStatus(result)) {
      case PGRES_TUPLES_OK:
        break;
      case PGRES_FATAL_ERROR:
        return ServerError(result, conn, key);
      default:
        return Status::Internal(where_ + ": the query returned no rows (" +
                                PQresStatus(PQresultStatus(result)) + "); it must be a SELECT of one column");
    }
    if (PQnfields(result) != 1) {
      return Status::Internal(where_ + ": the query returned " + std::to_string(PQnfields(result)) +
                              " columns; it must return exactly one, the value");
    }
    const int rows = PQntuples(result);
    if (rows == 0) return Status::NotFound(where_ + ": no row");
    if (rows > 1) {
      return Status::Internal(where_ + ": the query returned " + std::to_string(rows) +
                              " rows for one key; it must return at most one");
    }
    if (!IsRawBytesType(PQftype(result, 0))) {
      return Status::Internal(where_ + ": the query's column has type OID " +
                              std::to_string(PQftype(result, 0)) +
                              "; it must be bytea, text, varchar, char, name or json (cast it)");
    }
    if (PQgetisnull(result, 0, 0)) return Status::NotFound(where_ + ": the value is NULL");
    const size_t size = static_cast<size_t>(PQgetlength(result, 0, 0));
    if (size > options_.max_bytes) {
      return Status::ResourceExhausted(where_ + ": value of " + std::to_string(size) +
                                       " bytes is over the limit of " + std::to_string(options_.max_bytes));
    }
    dest.SetBytes(PQgetvalue(result, 0, 0), size);
    return Status::Ok();
  }

  // An error the server reported, by its SQLSTATE class: data exceptions
  // (22: the key is not valid input for $1's type) are the key's fault;
  // connection exceptions, insufficient resources, operator intervention,
  // system errors and transaction rollbacks (08, 53, 57, 58, 40) are the
  // server's; anything else (42: syntax or access) is the query's.
  Status ServerError(const PGresult* result, PGconn* conn, std::string_view key) const {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    if (state == nullptr) {
      // libpq's own failure (the connection was lost): no SQLSTATE.
      return Status::Unavailable(where_ + ": query failed: " + ErrorOf(conn, key));
    }
    const std::string sqlstate = state;
    const std::string message = where_ + ": query failed with SQLSTATE " + sqlstate + ": " +
                                Redacted(primary != nullptr ? primary : "", key);
    const std::string klass = sqlstate.substr(0, 2);
    if (klass == "22") return Status::InvalidArgument(message);
    if (klass == "08" || klass == "53" || klass == "57" || klass == "58" || klass == "40")
      return Status::Unavailable(message);
    return Status::Internal(message);
  }

  std::string ErrorOf(const PGconn* conn, std::string_view key) const {
    return Redacted(PQerrorMessage(conn), key);
  }

  // `text` on one line, or a placeholder when it quotes the key or a secret
  // (a server message may quote the parameter: "invalid input syntax for
  // type integer: \"KEY\"").
  std::string Redacted(std::string text, std::string_view key) const {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    for (char& c : text) {
      if (c == '\n' || c == '\t') c = ' ';
    }
    for (const std::string& secret : secrets_) {
      if (text.find(secret) != std::string::npos)
        return "(message withheld: it quotes the connection string)";
    }
    if (!key.empty() && text.find(key) != std::string::npos) return "(message withheld: it quotes the key)";
    return text.empty() ? "(no message)" : text;
  }

  const PostgresSourceOptions options_;
  const std::string where_;                 // names the server, never a secret
  const std::vector<std::string> secrets_;  // never in a message

  std::mutex mu_;
  std::condition_variable available_;  // an idle connection or a free slot
  std::vector<Connection> idle_;       // guarded by mu_
  int open_ = 0;                       // idle and in use; guarded by mu_
};

}  // namespace

Result<std::shared_ptr<Getter>> MakePostgresSource(PostgresSourceOptions options) {
  if (options.query.find("$1") == std::string::npos)
    return Status::InvalidArgument("postgres source: the query must contain $1, where the key goes");
  if (options.timeout.count() <= 0)
    return Status::InvalidArgument("postgres source: timeout must be positive");
  if (options.pool_size < 1 || options.pool_size > kMaxPostgresPoolSize) {
    return Status::InvalidArgument("postgres source: pool_size must be 1 to " +
                                   std::to_string(kMaxPostgresPoolSize));
  }
  if (options.max_bytes == 0) return Status::InvalidArgument("postgres source: max_bytes must be positive");
  Result<ParsedConninfo> parsed = ParseConninfo(options.conninfo);
  if (!parsed.ok()) return Status::InvalidArgument("postgres source: " + parsed.status().message());
  return std::shared_ptr<Getter>(
      std::make_shared<PostgresSource>(std::move(options), std::move(parsed).value()));
}

}  // namespace groupcached
