// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The postgres source against a real PostgreSQL 15 of the test's own: the
// source directly (values, errors, the deadline, a server that goes away),
// then through groupcached processes. One server for the whole binary, as
// initdb takes seconds: the binary is one ctest test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "daemon/sources.h"
#include "groupcached_fixture.h"
#include "postgres_server.h"
#include "process.h"

namespace groupcache::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

constexpr const char* kInjection = "'; DROP TABLE items; --";

PostgresServer* server = nullptr;  // set up once for every test

class PostgresEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    std::string error;
    pg_ = PostgresServer::Start(&error);
    ASSERT_NE(pg_, nullptr) << error;
    const std::string schema = R"sql(
      CREATE TABLE items (k text PRIMARY KEY, s text, b bytea, n integer);
      INSERT INTO items VALUES
        ('red', '#FF0000', NULL, 1),
        ('blob', NULL, '\x00610062ff00'::bytea, 2),
        ('big', repeat('x', 100), NULL, 3),
        ('empty', '', NULL, 4);
      INSERT INTO items (k, s) VALUES ('''; DROP TABLE items; --', 'still here');
      CREATE TABLE dups (k text, s text);
      INSERT INTO dups VALUES ('twice', 'a'), ('twice', 'b');
    )sql";
    ASSERT_TRUE(pg_->Exec(schema, &error)) << error;
    server = pg_.get();
  }
  void TearDown() override {
    server = nullptr;
    pg_.reset();  // stops the server and removes its directory
  }

 private:
  std::unique_ptr<PostgresServer> pg_;
};

const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

// Every test needs the server; when it did not start, the environment's
// failure says why, and no test runs.
class PostgresSourceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(server, nullptr) << "PostgreSQL did not start"; }
};

groupcached::PostgresSourceOptions Options(const std::string& query) {
  groupcached::PostgresSourceOptions options;
  options.conninfo = server->conninfo();
  options.query = query;
  options.timeout = std::chrono::seconds(5);
  options.pool_size = 2;
  options.max_bytes = 1024;
  return options;
}

std::shared_ptr<Getter> Source(const std::string& query) {
  auto source = groupcached::MakePostgresSource(Options(query));
  EXPECT_TRUE(source.ok()) << source.status().message();
  return source.ok() ? *source : nullptr;
}

// The status of Get(key), and the value when OK.
std::pair<Status, std::string> Load(Getter& source, std::string_view key) {
  Sink sink;
  Status status = source.Get(key, sink);
  return {status, std::string(sink.view().ToString())};
}

void ExpectNoSecrets(const std::string& text) {
  EXPECT_THAT(text, Not(HasSubstr(PostgresServer::kPassword)));
}

TEST_F(PostgresSourceTest, TextAndByteaValues) {
  auto text = Source("SELECT s FROM items WHERE k = $1");
  auto bytes = Source("SELECT b FROM items WHERE k = $1");
  ASSERT_TRUE(text && bytes);
  EXPECT_EQ(Load(*text, "red").second, "#FF0000");
  EXPECT_TRUE(Load(*text, "empty").first.ok());
  auto [status, value] = Load(*bytes, "blob");
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(value, std::string("\0a\0b\xff\0", 6));
}

TEST_F(PostgresSourceTest, MissingRowAndNullAreNotFound) {
  auto text = Source("SELECT s FROM items WHERE k = $1");
  ASSERT_TRUE(text);
  EXPECT_EQ(Load(*text, "no-such-key").first.code(), StatusCode::kNotFound);
  EXPECT_EQ(Load(*text, "blob").first.code(), StatusCode::kNotFound);  // s is NULL
}

TEST_F(PostgresSourceTest, ResultsOfTheWrongShapeAreErrorsWithoutTheKey) {
  auto dups = Source("SELECT s FROM dups WHERE k = $1");
  auto two = Source("SELECT s, b FROM items WHERE k = $1");
  auto integer = Source("SELECT n FROM items WHERE k = $1");
  ASSERT_TRUE(dups && two && integer);
  Status status = Load(*dups, "twice").first;
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_THAT(status.message(), HasSubstr("returned 2 rows for one key"));
  EXPECT_THAT(status.message(), Not(HasSubstr("twice")));
  EXPECT_THAT(Load(*two, "red").first.message(), HasSubstr("returned 2 columns"));
  EXPECT_THAT(Load(*integer, "red").first.message(), HasSubstr("must be bytea, text"));
}

TEST_F(PostgresSourceTest, TheKeyIsAParameterNeverSql) {
  auto text = Source("SELECT s FROM items WHERE k = $1");
  ASSERT_TRUE(text);
  EXPECT_EQ(Load(*text, kInjection).second, "still here");
  EXPECT_EQ(Load(*text, "red").second, "#FF0000");  // the table is still there
  EXPECT_EQ(Load(*text, std::string("a\0b", 3)).first.code(), StatusCode::kInvalidArgument);
}

TEST_F(PostgresSourceTest, ServerMessagesQuotingTheKeyAreWithheld) {
  auto by_number = Source("SELECT s FROM items WHERE n = $1");
  ASSERT_TRUE(by_number);
  EXPECT_EQ(Load(*by_number, "1").second, "#FF0000");
  // "invalid input syntax for type integer: \"...\"" would quote the key.
  Status status = Load(*by_number, "not-a-number-7d2e").first;
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("SQLSTATE 22P02"));
  EXPECT_THAT(status.message(), Not(HasSubstr("7d2e")));
  auto missing_table = Source("SELECT s FROM nowhere WHERE k = $1");
  status = Load(*missing_table, "red").first;
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_THAT(status.message(), HasSubstr("SQLSTATE 42P01"));
}

TEST_F(PostgresSourceTest, ValuesOverTheLimitAreRefused) {
  auto text = Source("SELECT s FROM items WHERE k = $1");
  ASSERT_TRUE(text);
  groupcached::PostgresSourceOptions options = Options("SELECT s FROM items WHERE k = $1");
  options.max_bytes = 99;
  auto small = groupcached::MakePostgresSource(options);
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(Load(**small, "big").first.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(Load(**small, "red").second, "#FF0000");
}

TEST_F(PostgresSourceTest, TheDeadlineClosesTheConnectionAndTheNextQueryWorks) {
  groupcached::PostgresSourceOptions options =
      Options("SELECT s FROM items, pg_sleep(CASE WHEN $1 = 'red' THEN 5 ELSE 0 END) WHERE k = $1");
  options.timeout = std::chrono::seconds(1);
  options.pool_size = 1;  // the next query gets the one connection, or its replacement
  auto source = groupcached::MakePostgresSource(options);
  ASSERT_TRUE(source.ok());
  const Clock::time_point start = Clock::now();
  Status status = Load(**source, "red").first;
  const auto took = Clock::now() - start;
  EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded) << status.message();
  EXPECT_LT(took, std::chrono::milliseconds(3000));
  EXPECT_EQ(Load(**source, kInjection).second, "still here");
}

TEST_F(PostgresSourceTest, ConcurrentLoadsShareTheBoundedPool) {
  auto text = Source("SELECT s FROM items WHERE k = $1");
  ASSERT_TRUE(text);
  std::vector<std::thread> threads;
  std::atomic<int> right{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 10; ++j) right += Load(*text, "red").second == "#FF0000";
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(right.load(), 80);
}

TEST_F(PostgresSourceTest, SecretsNeverAppearInErrors) {
  groupcached::PostgresSourceOptions options = Options("SELECT s FROM items WHERE k = $1");
  options.conninfo = server->conninfo("wrong-hunter2");
  auto wrong = groupcached::MakePostgresSource(options);
  ASSERT_TRUE(wrong.ok());
  Status status = Load(**wrong, "red").first;
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_THAT(status.message(), HasSubstr("host 127.0.0.1"));
  EXPECT_THAT(status.message(), Not(HasSubstr("hunter2")));
  // libpq's parser quotes the text around a mistake; it is not passed on.
  options.conninfo = "host=127.0.0.1 password=hunter2 'unterminated";
  auto malformed = groupcached::MakePostgresSource(options);
  ASSERT_FALSE(malformed.ok());
  EXPECT_THAT(malformed.status().message(), Not(HasSubstr("hunter2")));
  options = Options("SELECT 1");
  EXPECT_THAT(groupcached::MakePostgresSource(options).status().message(), HasSubstr("must contain $1"));
}

// Last: it stops the shared server (and starts it again).
TEST_F(PostgresSourceTest, ZzAStoppedServerIsUnavailableThenRecovers) {
  auto text = Source("SELECT s FROM items WHERE k = $1");
  ASSERT_TRUE(text);
  ASSERT_EQ(Load(*text, "red").second, "#FF0000");  // a pooled connection now
  server->Stop();
  const Clock::time_point start = Clock::now();
  Status status = Load(*text, "red").first;
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.message();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
  std::string error;
  ASSERT_TRUE(server->Restart(&error)) << error;
  // The pooled connection was dropped: the next load opens a new one.
  EXPECT_EQ(Load(*text, "red").second, "#FF0000");
}

// groupcached processes loading from the server.
class GroupcachedPostgresTest : public GroupcachedTest {
 protected:
  void SetUp() override {
    ASSERT_NE(server, nullptr) << "PostgreSQL did not start";
    GroupcachedTest::SetUp();
  }
  std::string PostgresGroup(const std::string& name, const std::filesystem::path& conninfo_file,
                            const std::string& query) {
    return "[[group]]\nname = \"" + name + "\"\ncache_bytes = \"1MiB\"\nsource = { type = \"postgres\", " +
           "conninfo_file = " + TomlString(conninfo_file.string()) + ", query = " + TomlString(query) +
           ", timeout = \"2s\", pool_size = 2 }\n\n";
  }
  std::filesystem::path WriteConninfo(mode_t mode) {
    const std::filesystem::path path = conf_dir_ / "pg.conninfo";
    WriteFileWithMode(path, server->conninfo() + "\n", mode);
    return path;
  }
  // Everything the test's processes wrote: their output and logs.
  std::string AllOutput() {
    std::string all;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
      if (entry.is_regular_file() && entry.path().parent_path() != conf_dir_) all += ReadFile(entry.path());
    }
    return all;
  }
};

TEST_F(GroupcachedPostgresTest, AClusterServesRowsAndErrors) {
  const std::filesystem::path conninfo = WriteConninfo(0600);
  const std::string groups = PostgresGroup("text", conninfo, "SELECT s FROM items WHERE k = $1") +
                             PostgresGroup("bytes", conninfo, "SELECT b FROM items WHERE k = $1") +
                             PostgresGroup("dups", conninfo, "SELECT s FROM dups WHERE k = $1");
  std::vector<NodeConfig> configs = TlsClusterConfigs(3, groups);
  std::vector<Server*> nodes;
  for (size_t i = 0; i < configs.size(); ++i) {
    configs[i].limits_toml = "max_value_bytes = \"64B\"\n";  // "big" holds 100
    Server* node = StartNode("node" + std::to_string(i), configs[i]);
    ASSERT_NE(node, nullptr);
    nodes.push_back(node);
  }
  for (Server* node : nodes) {
    EXPECT_EQ(GetValue(*node, "text", "red"), std::make_pair(200, std::string("#FF0000"))) << node->url;
    EXPECT_EQ(GetValue(*node, "text", kInjection), std::make_pair(200, std::string("still here")));
    EXPECT_EQ(GetValue(*node, "bytes", "blob"), std::make_pair(200, std::string("\0a\0b\xff\0", 6)));
    EXPECT_EQ(GetValue(*node, "text", "no-such-key").first, 404);
    EXPECT_EQ(GetValue(*node, "dups", "twice").first, 502);
    EXPECT_EQ(GetValue(*node, "text", "big").first, 502);
  }
  const std::string output = AllOutput();
  // The source failures are logged, the key only as a hash.
  EXPECT_THAT(output, HasSubstr("returned 2 rows for one key"));
  EXPECT_THAT(output, HasSubstr("over the limit of 64"));
  EXPECT_THAT(output, Not(HasSubstr("twice")));
  ExpectNoSecrets(output);
}

TEST_F(GroupcachedPostgresTest, CheckConfigNeverShowsTheConninfoAndRefusesAReadableFile) {
  const std::filesystem::path conninfo = WriteConninfo(0600);
  NodeConfig config = SingleNodeConfig(PostgresGroup("text", conninfo, "SELECT s FROM items WHERE k = $1"));
  const std::filesystem::path path = WriteConfig("node", config);
  auto ok = RunToCompletion(GroupcachedBinary(), {"--check-config", "--config", path.string()}, dir_, "good");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->exit_code, 0) << ok->err;
  EXPECT_THAT(ok->out, HasSubstr("postgres, conninfo_file " + conninfo.string()));
  ExpectNoSecrets(ok->out + ok->err);

  ASSERT_EQ(::chmod(conninfo.c_str(), 0644), 0);
  auto refused =
      RunToCompletion(GroupcachedBinary(), {"--check-config", "--config", path.string()}, dir_, "readable");
  ASSERT_TRUE(refused.ok()) << refused.status().message();
  EXPECT_EQ(refused->exit_code, 1);
  EXPECT_THAT(refused->err, HasSubstr("group[0].source.conninfo_file"));
  EXPECT_THAT(refused->err, HasSubstr(conninfo.string()));
  ExpectNoSecrets(refused->out + refused->err);
  // A start is refused the same way.
  auto start = RunToCompletion(GroupcachedBinary(), {"--config", path.string()}, dir_, "start",
                               std::chrono::seconds(10));
  ASSERT_TRUE(start.ok()) << start.status().message();
  EXPECT_NE(start->exit_code, 0);
  EXPECT_THAT(start->err, HasSubstr("group[0].source.conninfo_file"));
  ExpectNoSecrets(start->out + start->err);
}

}  // namespace
}  // namespace groupcache::integration
