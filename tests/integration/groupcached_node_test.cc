// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// One groupcached node at a time: start refused for unsafe files,
// --check-config, /metrics against the requests made, SIGTERM under load,
// and the files and http sources at their edges.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "groupcached_fixture.h"
#include "net.h"
#include "origin_server.h"
#include "process.h"
#include "text.h"

namespace groupcache::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;

// Polls (bounded) until `predicate` holds; returns whether it did.
template <typename Predicate>
bool PollUntil(Predicate predicate, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = Clock::now() + timeout;
  while (!predicate()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::string ColorsGroup() { return StaticGroup("colors", {{"red", "#FF0000"}, {"green", "#00FF00"}}); }

int StatusOf(const Server& node, const std::string& target) {
  auto reply = HttpGet(node.port, target);
  if (!reply.ok()) {
    ADD_FAILURE() << target << ": " << reply.status().message();
    return -1;
  }
  return reply->status;
}

using GroupcachedStartTest = GroupcachedTest;

TEST_F(GroupcachedStartTest, WorldReadablePrivateKeyIsRefusedBeforeListening) {
  const NodeConfig config = SingleNodeConfig(ColorsGroup());
  ASSERT_EQ(chmod(config.tls->key.c_str(), 0644), 0);
  const std::filesystem::path path = WriteConfig("node", config);

  auto run = RunToCompletion(GroupcachedBinary(), {"--config", path.string()}, dir_, "refused");
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->exit_code, 1) << run->err;
  EXPECT_THAT(run->err, HasSubstr(config.tls->key));
  EXPECT_THAT(run->err, HasSubstr("readable by others"));
  EXPECT_THAT(run->err, HasSubstr("chmod o-r " + config.tls->key));
  EXPECT_THAT(run->err, Not(HasSubstr("listening")));

  // With the fix the message gives, the same config starts.
  ASSERT_EQ(chmod(config.tls->key.c_str(), 0600), 0);
  Server* node = Start(GroupcachedBinary(), {"--config", path.string()}, "fixed", config.api_port);
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(StatusOf(*node, "/healthz"), 200);
}

TEST_F(GroupcachedStartTest, GroupWritableConfigIsRefusedBeforeListening) {
  const NodeConfig config = SingleNodeConfig(ColorsGroup());
  const std::filesystem::path path = WriteConfig("node", config, 0664);

  auto run = RunToCompletion(GroupcachedBinary(), {"--config", path.string()}, dir_, "refused");
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->exit_code, 1) << run->err;
  EXPECT_THAT(run->err, HasSubstr(path.string()));
  EXPECT_THAT(run->err, HasSubstr("writable by group or others"));
  EXPECT_THAT(run->err, HasSubstr("chmod go-w " + path.string()));
  EXPECT_THAT(run->err, Not(HasSubstr("listening")));

  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  Server* node = Start(GroupcachedBinary(), {"--config", path.string()}, "fixed", config.api_port);
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(StatusOf(*node, "/healthz"), 200);
}

TEST_F(GroupcachedStartTest, CheckConfigExitsZeroForAGoodConfigAndOneForABadOne) {
  NodeConfig config = SingleNodeConfig(StaticGroup("colors", {{"red", "check-config-value-91c2"}}));
  const std::filesystem::path good = WriteConfig("good", config);
  auto ok = RunToCompletion(GroupcachedBinary(), {"--check-config", "--config", good.string()}, dir_, "good");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->exit_code, 0) << ok->err;
  EXPECT_THAT(ok->out, HasSubstr("configuration OK"));
  EXPECT_THAT(ok->out + ok->err, Not(HasSubstr("check-config-value-91c2")))
      << "the summary shows a static value";
  EXPECT_FALSE(WaitForPort(config.api_port, std::chrono::milliseconds(0))) << "--check-config listened";

  config.limits_toml = "max_value_bytes = \"64XB\"\n";
  const std::filesystem::path bad = WriteConfig("bad", config);
  auto refused =
      RunToCompletion(GroupcachedBinary(), {"--check-config", "--config", bad.string()}, dir_, "bad");
  ASSERT_TRUE(refused.ok()) << refused.status().message();
  EXPECT_EQ(refused->exit_code, 1);
  EXPECT_THAT(refused->err, HasSubstr(bad.string() + ":"));
  EXPECT_THAT(refused->err, HasSubstr("limits.max_value_bytes"));

  ASSERT_EQ(chmod(good.c_str(), 0664), 0);
  auto writable =
      RunToCompletion(GroupcachedBinary(), {"--check-config", "--config", good.string()}, dir_, "writable");
  ASSERT_TRUE(writable.ok()) << writable.status().message();
  EXPECT_EQ(writable->exit_code, 1);
  EXPECT_THAT(writable->err, HasSubstr("chmod go-w " + good.string()));
}

TEST_F(GroupcachedStartTest, CheckConfigAndStartListEveryProblemWithTheTlsFiles) {
  NodeConfig config = SingleNodeConfig(ColorsGroup());
  // A CA file that is no certificate, an expired certificate naming another
  // host, and the key of another certificate: each passed --check-config.
  const std::filesystem::path garbage = pki_dir_ / "garbage-ca.pem";
  WriteFileWithMode(garbage, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n", 0644);
  groupcache::testing::Issued expired =
      Pki().Issue("expired", "IP:127.0.0.9",
                  groupcache::testing::Validity{-std::chrono::hours(48), -std::chrono::hours(1)});
  const NodeTlsFiles other = IssueNode("other");
  config.tls = NodeTlsFiles{garbage.string(), expired.cert_file, other.key};
  const std::filesystem::path path = WriteConfig("node", config);

  for (const bool check_only : {true, false}) {
    SCOPED_TRACE(check_only ? "--check-config" : "start");
    std::vector<std::string> args = {"--config", path.string()};
    if (check_only) args.insert(args.begin(), "--check-config");
    auto run = RunToCompletion(GroupcachedBinary(), args, dir_, check_only ? "check" : "start");
    ASSERT_TRUE(run.ok()) << run.status().message();
    EXPECT_EQ(run->exit_code, 1) << run->err;
    EXPECT_THAT(run->err, ::testing::ContainsRegex(path.string() + ":[0-9]+: tls.ca: CA file " +
                                                   garbage.string() + ": no PEM certificate"));
    EXPECT_THAT(run->err, ::testing::ContainsRegex(":[0-9]+: tls.cert: certificate " + expired.cert_file +
                                                   " .* has expired"));
    EXPECT_THAT(run->err, HasSubstr("does not name 127.0.0.1, the host of node.self"));
    EXPECT_THAT(run->err, ::testing::ContainsRegex(":[0-9]+: tls.key: key file " + other.key +
                                                   ": is not the key of the certificate"));
    EXPECT_THAT(run->out + run->err, Not(HasSubstr("configuration OK")));
    EXPECT_THAT(run->err, Not(HasSubstr("listening")));
  }
  EXPECT_FALSE(WaitForPort(config.api_port, std::chrono::milliseconds(0)));
}

TEST_F(GroupcachedStartTest, CheckConfigRefusesOnePortForTheApiAndThePeers) {
  NodeConfig config = SingleNodeConfig(ColorsGroup());
  config.peer_port = config.api_port;
  const std::filesystem::path path = WriteConfig("node", config);
  auto run =
      RunToCompletion(GroupcachedBinary(), {"--check-config", "--config", path.string()}, dir_, "check");
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->exit_code, 1) << run->out;
  EXPECT_THAT(run->err,
              ::testing::ContainsRegex(path.string() + ":[0-9]+: node.peer_listen: .* is the address "
                                                       "of node.api_listen too"));
}

// `config` with an array nested 10,000 deep under [limits] (a 20 KB line,
// which overflowed toml11's stack), and the line it is on.
std::pair<NodeConfig, int> WithDeeplyNestedArray(NodeConfig config) {
  config.limits_toml = "deep = " + std::string(10000, '[') + std::string(10000, ']') + "\n";
  const std::string text = ConfigToml(config);
  const auto before = text.begin() + static_cast<std::ptrdiff_t>(text.find("deep = "));
  return {config, static_cast<int>(std::count(text.begin(), before, '\n')) + 1};
}

TEST_F(GroupcachedStartTest, DeeplyNestedTomlIsRefusedWithItsLineNotACrash) {
  const auto [config, line] = WithDeeplyNestedArray(SingleNodeConfig(ColorsGroup()));
  const std::filesystem::path path = WriteConfig("deep", config);
  const std::string expected =
      path.string() + ":" + std::to_string(line) + ": arrays and inline tables nested deeper than 32 levels";

  auto check =
      RunToCompletion(GroupcachedBinary(), {"--check-config", "--config", path.string()}, dir_, "check");
  ASSERT_TRUE(check.ok()) << check.status().message();
  EXPECT_EQ(check->exit_code, 1) << "killed by a signal? " << check->err;
  EXPECT_THAT(check->err, HasSubstr(expected));

  auto start = RunToCompletion(GroupcachedBinary(), {"--config", path.string()}, dir_, "start");
  ASSERT_TRUE(start.ok()) << start.status().message();
  EXPECT_EQ(start->exit_code, 1) << "killed by a signal? " << start->err;
  EXPECT_THAT(start->err, HasSubstr(expected));
  EXPECT_THAT(start->err, Not(HasSubstr("listening")));
}

TEST_F(GroupcachedStartTest, CheckConfigWarnsAboutPeerAliases) {
  NodeConfig config = SingleNodeConfig(ColorsGroup());
  const std::string alias = "https://localhost:" + std::to_string(config.peer_port);
  config.peers = {config.self, alias};
  const std::filesystem::path path = WriteConfig("aliases", config);
  auto run =
      RunToCompletion(GroupcachedBinary(), {"--check-config", "--config", path.string()}, dir_, "check");
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->exit_code, 0) << run->err;
  EXPECT_THAT(run->out, HasSubstr("configuration OK"));
  EXPECT_THAT(run->err, HasSubstr("groupcached: warning: " + path.string() + ": node.peers[1] \"" + alias +
                                  "\" and node.peers[0] \"" + config.self + "\" may be the same node"));

  // Another spelling of the same endpoint is refused outright.
  config.peers = {config.self, "https://127.1:" + std::to_string(config.peer_port)};
  const std::filesystem::path twice = WriteConfig("twice", config);
  auto refused =
      RunToCompletion(GroupcachedBinary(), {"--check-config", "--config", twice.string()}, dir_, "twice");
  ASSERT_TRUE(refused.ok()) << refused.status().message();
  EXPECT_EQ(refused->exit_code, 1);
  EXPECT_THAT(refused->err, HasSubstr(twice.string() + ":5: node.peers[1]: \"" + config.peers[1] +
                                      "\" is the same endpoint as node.peers[0]"));
}

TEST_F(GroupcachedStartTest, VersionAndBuildInfoNameTheSameBuild) {
  auto run = RunToCompletion(GroupcachedBinary(), {"--version"}, dir_, "version");
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_EQ(run->exit_code, 0) << run->err;
  // The values CMake configured this tree with (tests/integration/CMakeLists.txt).
  const std::string version = GC_PROJECT_VERSION;
  const std::string build_type = std::string(GC_BUILD_TYPE).empty() ? "none" : GC_BUILD_TYPE;
  const std::string compiler = GC_COMPILER;
  std::map<std::string, std::string> printed;
  std::istringstream lines(run->out);
  std::string line;
  ASSERT_TRUE(std::getline(lines, line));
  EXPECT_EQ(line, "groupcached " + version);
  while (std::getline(lines, line)) {
    const size_t colon = line.find(": ");
    ASSERT_NE(colon, std::string::npos) << line;
    printed[line.substr(0, colon)] = line.substr(colon + 2);
  }
  EXPECT_EQ(printed.size(), 3u) << run->out;
  EXPECT_EQ(printed["build type"], build_type);
  EXPECT_EQ(printed["compiler"], compiler);
  const std::string& commit = printed["commit"];
  EXPECT_TRUE(commit == "unknown" ||
              (commit.size() == 12 && commit.find_first_not_of("0123456789abcdef") == std::string::npos))
      << commit;

  // /metrics exports the same four values.
  Server* node = StartNode("node", SingleNodeConfig(ColorsGroup()));
  ASSERT_NE(node, nullptr);
  const MetricsDoc m = MetricsOf(*node);
  EXPECT_EQ(m.Get("groupcached_build_info{version=\"" + version + "\",commit=\"" + commit +
                  "\",build_type=\"" + build_type + "\",compiler=\"" + compiler + "\"}"),
            1)
      << m.text();
  EXPECT_EQ(m.Sum("groupcached_build_info"), 1);
}

using GroupcachedNodeTest = GroupcachedTest;

TEST_F(GroupcachedNodeTest, SighupWithDeeplyNestedTomlKeepsTheRunningConfig) {
  const NodeConfig config = SingleNodeConfig(ColorsGroup());
  Server* node = StartNode("node", config);
  ASSERT_NE(node, nullptr);
  const std::filesystem::path path = conf_dir_ / "node.toml";

  const auto [deep, line] = WithDeeplyNestedArray(config);
  WriteFileWithMode(path, ConfigToml(deep), 0644);
  ASSERT_EQ(kill(node->process->pid(), SIGHUP), 0);
  ASSERT_TRUE(PollUntil([&] { return CountLinesContaining(node->log(), "reload failed") > 0; }))
      << "no refusal logged after SIGHUP; the node is " << (node->process->running() ? "running" : "gone");
  EXPECT_EQ(CountLinesContaining(node->log(), "the running configuration stays"), 1);
  EXPECT_EQ(CountLinesContaining(node->log(), path.string() + ":" + std::to_string(line) +
                                                  ": arrays and inline tables nested deeper than 32 levels"),
            1);
  ASSERT_TRUE(node->process->running());
  auto value = HttpGet(node->port, "/groups/colors/red");
  ASSERT_TRUE(value.ok()) << value.status().message();
  EXPECT_EQ(value->status, 200);
  EXPECT_EQ(value->body, "#FF0000");

  // The signal loop is intact: the good file reloads as before.
  WriteFileWithMode(path, ConfigToml(config), 0644);
  ASSERT_EQ(kill(node->process->pid(), SIGHUP), 0);
  EXPECT_TRUE(
      PollUntil([&] { return CountLinesContaining(node->log(), "reload: peer list unchanged") > 0; }));
  EXPECT_EQ(StatusOf(*node, "/healthz"), 200);
}

TEST_F(GroupcachedNodeTest, SighupReopensTheLogFileForRotation) {
  NodeConfig config = SingleNodeConfig(ColorsGroup());
  const std::filesystem::path log = logs_dir_ / "node.log";
  const std::filesystem::path rotated = logs_dir_ / "node.log.1";
  config.log_file = log.string();
  Server* node = StartNode("node", config);
  ASSERT_NE(node, nullptr);
  ASSERT_TRUE(PollUntil([&] { return CountLinesContaining(log, "listening") > 0; }));

  std::filesystem::rename(log, rotated);  // what logrotate does
  ASSERT_EQ(kill(node->process->pid(), SIGHUP), 0);
  ASSERT_TRUE(PollUntil([&] { return CountLinesContaining(log, "reload: peer list unchanged") > 0; }))
      << "nothing logged to a new " << log << " after SIGHUP";
  EXPECT_EQ(CountLinesContaining(rotated, "listening"), 1);
  EXPECT_EQ(CountLinesContaining(rotated, "reload"), 0) << "the renamed file is still written to";
  struct stat st;
  ASSERT_EQ(stat(log.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(StatusOf(*node, "/healthz"), 200);
}

TEST_F(GroupcachedNodeTest, Sigusr1ReopensTheLogFileAndKeepsServing) {
  NodeConfig config = SingleNodeConfig(ColorsGroup());
  const std::filesystem::path log = logs_dir_ / "node.log";
  const std::filesystem::path rotated = logs_dir_ / "node.log.1";
  config.log_file = log.string();
  Server* node = StartNode("node", config);
  ASSERT_NE(node, nullptr);
  ASSERT_TRUE(PollUntil([&] { return CountLinesContaining(log, "listening") > 0; }));

  std::filesystem::rename(log, rotated);  // what logrotate does before its postrotate kill -USR1
  ASSERT_EQ(kill(node->process->pid(), SIGUSR1), 0);
  ASSERT_TRUE(PollUntil([&] { return CountLinesContaining(log, "log reopened") > 0; }))
      << "nothing logged to a new " << log << " after SIGUSR1";
  EXPECT_EQ(CountLinesContaining(rotated, "log reopened"), 0) << "the renamed file is still written to";
  EXPECT_EQ(CountLinesContaining(log, "reload"), 0) << "SIGUSR1 re-read the config";
  struct stat st;
  ASSERT_EQ(stat(log.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // Still serving: SIGUSR1's default action ends the process.
  EXPECT_EQ(StatusOf(*node, "/healthz"), 200);
}

TEST_F(GroupcachedNodeTest, MetricsCountExactlyTheRequestsMade) {
  Server* node = StartNode("node", SingleNodeConfig(ColorsGroup()));
  ASSERT_NE(node, nullptr);
  for (const char* key : {"red", "red", "red", "green"}) {
    EXPECT_EQ(StatusOf(*node, std::string("/groups/colors/") + key), 200) << key;
  }
  EXPECT_EQ(StatusOf(*node, "/groups/colors/nope"), 404);
  EXPECT_EQ(StatusOf(*node, "/groups/colors/nope"), 404);
  EXPECT_EQ(StatusOf(*node, "/groups/nosuchgroup/red"), 404);
  EXPECT_EQ(StatusOf(*node, "/groups/colors/"), 400);  // an empty key

  const MetricsDoc m = MetricsOf(*node);
  const auto group = [](const char* name) { return GroupSeries(name, "colors"); };
  EXPECT_EQ(m.Get(group("groupcache_gets_total")), 6);  // 4 hits and misses, 2 not found
  EXPECT_EQ(m.Get(group("groupcache_cache_hits_total")), 2);
  EXPECT_EQ(m.Get(group("groupcache_loads_total")), 4);
  EXPECT_EQ(m.Get(group("groupcache_loads_deduped_total")), 4);
  EXPECT_EQ(m.Get(group("groupcache_local_loads_total")), 2);
  EXPECT_EQ(m.Get(group("groupcache_local_load_errs_total")), 2);
  EXPECT_EQ(m.Get(group("groupcache_peer_loads_total")), 0);
  EXPECT_EQ(m.Get(group("groupcache_peer_errors_total")), 0);
  EXPECT_EQ(m.Get(group("groupcache_server_requests_total")), 0);
  EXPECT_EQ(m.Get("groupcache_cache_items{group=\"colors\",cache=\"main\"}"), 2);
  EXPECT_EQ(m.Get("groupcache_cache_get_hits_total{group=\"colors\",cache=\"main\"}"), 2);
  const auto requests = [&m](const char* group_label, int code) {
    return m.Get(std::string("groupcache_client_request_duration_seconds_count{group=\"") + group_label +
                 "\",code=\"" + std::to_string(code) + "\"}");
  };
  EXPECT_EQ(requests("colors", 200), 4);
  EXPECT_EQ(requests("colors", 404), 2);
  EXPECT_EQ(requests("colors", 400), 1);
  EXPECT_EQ(requests("", 404), 1);  // an unknown group is not a label value
  EXPECT_EQ(m.Sum("groupcache_client_request_duration_seconds_count"), 8);
  EXPECT_EQ(m.Get("groupcache_source_load_duration_seconds_count{group=\"colors\",result=\"ok\"}"), 2);
  EXPECT_EQ(m.Get("groupcache_source_load_duration_seconds_count{group=\"colors\",result=\"not_found\"}"), 2);
  EXPECT_THAT(m.text(), Not(HasSubstr("nosuchgroup")));

  // The /metrics request itself, /healthz and /readyz count from now on.
  EXPECT_EQ(StatusOf(*node, "/healthz"), 200);
  EXPECT_EQ(StatusOf(*node, "/readyz"), 200);
  const MetricsDoc later = MetricsOf(*node);
  EXPECT_EQ(later.Get("groupcache_client_request_duration_seconds_count{group=\"\",code=\"200\"}"), 3);
  EXPECT_EQ(later.Get(group("groupcache_gets_total")), 6);
}

TEST_F(GroupcachedNodeTest, SigtermLetsInFlightRequestsFinishAndExitsZero) {
  constexpr int kRequests = 4;
  std::vector<Result<HttpReply>> replies(kRequests, Status::Unavailable("not run"));
  // Declared before the origin, so that on an early failure the origin stops
  // first (answering nothing) and the clients are not left waiting.
  std::vector<std::jthread> clients;
  // Every answer is held until the test releases it, after the SIGTERM.
  OriginServer origin([](std::string_view target) {
    OriginReply reply = OriginReply::Status(200, "slow value of " + std::string(target));
    reply.action = OriginReply::Action::kHold;
    return reply;
  });
  Server* node =
      StartNode("node", SingleNodeConfig(HttpGroup("origin", origin.url() + "/objects/{key}", "30s")));
  ASSERT_NE(node, nullptr);

  for (int i = 0; i < kRequests; ++i) {
    clients.emplace_back([&replies, i, port = node->port] {
      replies[i] = HttpGet(port, "/groups/origin/slow-" + std::to_string(i), std::chrono::seconds(30));
    });
  }
  // In flight: every request has reached its group (and the first ones the
  // origin; the rest may wait for a free worker thread).
  ASSERT_TRUE(PollUntil([&] {
    return MetricsOf(*node).Get(GroupSeries("groupcache_gets_total", "origin")) == kRequests;
  })) << "the requests never all arrived";
  ASSERT_TRUE(origin.WaitForRequests(1, std::chrono::seconds(10)));

  ASSERT_EQ(kill(node->process->pid(), SIGTERM), 0);
  ASSERT_TRUE(PollUntil([&] { return CountLinesContaining(node->log(), "stopping") > 0; }))
      << "no \"stopping\" line after SIGTERM";
  origin.Release();

  for (std::jthread& client : clients) client.join();
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_TRUE(replies[i].ok()) << "request " << i << ": " << replies[i].status().message();
    EXPECT_EQ(replies[i]->status, 200) << "request " << i << ": " << replies[i]->body;
    EXPECT_EQ(replies[i]->body, "slow value of /objects/slow-" + std::to_string(i));
  }
  std::optional<int> status = node->process->WaitForExit(std::chrono::seconds(15));
  ASSERT_TRUE(status.has_value()) << "still running after SIGTERM";
  EXPECT_TRUE(WIFEXITED(*status)) << "wait status " << *status;
  EXPECT_EQ(WEXITSTATUS(*status), 0);
  EXPECT_EQ(CountLinesContaining(node->log(), "stopped"), 1);
}

// The order in which `needles` first appear in the file at `path`: true if
// each appears, after the one before.
bool AppearInOrder(const std::filesystem::path& path, const std::vector<std::string>& needles) {
  const std::string text = ReadFile(path);
  size_t at = 0;
  for (const std::string& needle : needles) {
    at = text.find(needle, at);
    if (at == std::string::npos) return false;
  }
  return true;
}

TEST_F(GroupcachedNodeTest, SigtermDrainsNotReadyButServingUntilASecondSignal) {
  NodeConfig config = SingleNodeConfig(ColorsGroup());
  config.drain = "10m";  // longer than the test: only the second signal ends it
  Server* node = StartNode("node", config);
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(StatusOf(*node, "/readyz"), 200);

  ASSERT_EQ(kill(node->process->pid(), SIGTERM), 0);
  ASSERT_TRUE(PollUntil([&] { return StatusOf(*node, "/readyz") == 503; }))
      << "/readyz still 200 after SIGTERM";
  // Draining: clients and peers are still served.
  auto value = HttpGet(node->port, "/groups/colors/red");
  ASSERT_TRUE(value.ok()) << value.status().message();
  EXPECT_EQ(value->status, 200);
  EXPECT_EQ(value->body, "#FF0000");
  EXPECT_EQ(StatusOf(*node, "/healthz"), 200);
  EXPECT_TRUE(node->process->running());
  EXPECT_EQ(CountLinesContaining(node->log(), "stopped"), 0);

  ASSERT_EQ(kill(node->process->pid(), SIGTERM), 0);
  std::optional<int> status = node->process->WaitForExit(std::chrono::seconds(15));
  ASSERT_TRUE(status.has_value()) << "still running after a second SIGTERM";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "wait status " << *status;
  EXPECT_TRUE(
      AppearInOrder(node->log(), {"stopping\" signal=SIGTERM", "draining: /readyz answers 503", "for=600s",
                                  "draining cut short by a second signal\" signal=SIGTERM", "stopped"}))
      << ReadFile(node->log());
}

TEST_F(GroupcachedNodeTest, SigtermDrainEndsOnItsOwnAndExitsZero) {
  NodeConfig config = SingleNodeConfig(ColorsGroup());
  config.drain = "300ms";
  Server* node = StartNode("node", config);
  ASSERT_NE(node, nullptr);
  ASSERT_EQ(kill(node->process->pid(), SIGTERM), 0);
  std::optional<int> status = node->process->WaitForExit(std::chrono::seconds(15));
  ASSERT_TRUE(status.has_value()) << "still running after the drain";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "wait status " << *status;
  EXPECT_TRUE(AppearInOrder(
      node->log(), {"stopping\" signal=SIGTERM", "draining: /readyz answers 503", "for=300ms", "stopped"}))
      << ReadFile(node->log());
  EXPECT_EQ(CountLinesContaining(node->log(), "cut short"), 0);
}

TEST_F(GroupcachedNodeTest, FilesSourceRefusesEscapesAndSymlinksOutOfTheRoot) {
  const std::filesystem::path files = dir_ / "files";
  const std::filesystem::path root = files / "root";
  const std::string kOutside = "OUTSIDE-THE-ROOT-5e1b";
  std::filesystem::create_directories(root / "sub");
  WriteFileWithMode(files / "outside.txt", kOutside, 0644);
  WriteFileWithMode(root / "a.txt", "inside a", 0644);
  WriteFileWithMode(root / "sub" / "b.txt", "inside b", 0644);
  std::filesystem::create_symlink("a.txt", root / "link-in");
  std::filesystem::create_symlink("../outside.txt", root / "link-out");
  std::filesystem::create_symlink(files / "outside.txt", root / "link-abs");
  std::filesystem::create_symlink("..", root / "link-parent");
  std::filesystem::create_symlink("../..", root / "sub" / "link-up");
  Server* node = StartNode("node", SingleNodeConfig(FilesGroup("assets", root)));
  ASSERT_NE(node, nullptr);

  const std::vector<std::pair<std::string, std::string>> served = {
      {"a.txt", "inside a"}, {"sub/b.txt", "inside b"}, {"sub%2Fb.txt", "inside b"}, {"link-in", "inside a"}};
  for (const auto& [key, value] : served) {
    auto reply = HttpGet(node->port, "/groups/assets/" + key);
    ASSERT_TRUE(reply.ok()) << key << ": " << reply.status().message();
    EXPECT_EQ(reply->status, 200) << key;
    EXPECT_EQ(reply->body, value) << key;
  }
  EXPECT_EQ(StatusOf(*node, "/groups/assets/missing.txt"), 404);

  const std::string absolute = (files / "outside.txt").string();
  const std::vector<std::string> refused = {
      "../outside.txt",         // raw
      "%2e%2e/outside.txt",     // percent-encoded dots
      "%2E%2E%2Foutside.txt",   // and slash
      "sub/../../outside.txt",  // back out of a subdirectory
      "sub/..%2F..%2Foutside.txt",
      "/" + absolute,             // an absolute path: "/groups/assets//tmp/..."
      PercentEncode(absolute),    // the same, encoded
      "link-out",                 // a relative symlink leading out
      "link-abs",                 // an absolute symlink
      "link-parent/outside.txt",  // through a symlink to the parent
      "sub/link-up/outside.txt",
      "sub",  // a directory, not a file
  };
  for (const std::string& key : refused) {
    auto reply = HttpGet(node->port, "/groups/assets/" + key);
    ASSERT_TRUE(reply.ok()) << key << ": " << reply.status().message();
    EXPECT_EQ(reply->status, 400) << key << ": " << reply->body;
    EXPECT_THAT(reply->body, Not(HasSubstr(kOutside))) << key;
  }
  EXPECT_EQ(StatusOf(*node, "/groups/assets/a.txt"), 200) << "the node stopped serving";
}

TEST_F(GroupcachedNodeTest, HttpSourceMapsOriginAnswersHangsAndOversizedBodies) {
  const std::string kExact(1024, 'e');  // exactly max_value_bytes
  OriginServer origin([&](std::string_view target) {
    if (target == "/objects/present") return OriginReply::Status(200, "origin value");
    if (target == "/objects/exact") return OriginReply::Status(200, kExact);
    if (target == "/objects/absent") return OriginReply::Status(404, "no");
    if (target == "/objects/failing") return OriginReply::Status(500, "origin broke");
    if (target == "/objects/hang") return OriginReply{OriginReply::Action::kHang, ""};
    if (target == "/objects/huge-declared") {
      return OriginReply{OriginReply::Action::kRespond,
                         "HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n" + std::string(4096, 'h')};
    }
    if (target == "/objects/huge-streamed") {  // no Content-Length: the body runs until close
      return OriginReply{OriginReply::Action::kRespond,
                         "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + std::string(64 * 1024, 's')};
    }
    return OriginReply::Status(404, "unexpected");
  });
  NodeConfig config = SingleNodeConfig(HttpGroup("origin", origin.url() + "/objects/{key}", "1s"));
  config.limits_toml = "max_value_bytes = \"1KiB\"\n";
  Server* node = StartNode("node", config);
  ASSERT_NE(node, nullptr);

  auto present = HttpGet(node->port, "/groups/origin/present");
  ASSERT_TRUE(present.ok()) << present.status().message();
  EXPECT_EQ(present->status, 200);
  EXPECT_EQ(present->body, "origin value");
  auto exact = HttpGet(node->port, "/groups/origin/exact");
  ASSERT_TRUE(exact.ok()) << exact.status().message();
  EXPECT_EQ(exact->status, 200);
  EXPECT_EQ(exact->body, kExact);
  EXPECT_EQ(StatusOf(*node, "/groups/origin/absent"), 404);
  EXPECT_EQ(StatusOf(*node, "/groups/origin/failing"), 502);
  EXPECT_EQ(StatusOf(*node, "/groups/origin/hang"), 502);  // after the source's 1 s timeout
  EXPECT_EQ(StatusOf(*node, "/groups/origin/huge-declared"), 502);
  EXPECT_EQ(StatusOf(*node, "/groups/origin/huge-streamed"), 502);

  // Still serving, from the cache and from the origin.
  EXPECT_EQ(StatusOf(*node, "/healthz"), 200);
  auto again = HttpGet(node->port, "/groups/origin/present");
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->status, 200);
  EXPECT_EQ(again->body, "origin value");
  EXPECT_EQ(StatusOf(*node, "/groups/origin/absent"), 404);

  const std::vector<std::string> targets = origin.targets();
  EXPECT_EQ(std::count(targets.begin(), targets.end(), "/objects/present"), 1)
      << "a cached value was re-fetched";
  EXPECT_EQ(std::count(targets.begin(), targets.end(), "/objects/hang"), 1);
  const MetricsDoc m = MetricsOf(*node);
  const auto loads = [&m](const char* result) {
    return m.Get(std::string("groupcache_source_load_duration_seconds_count{group=\"origin\",result=\"") +
                 result + "\"}");
  };
  EXPECT_EQ(loads("ok"), 2);
  EXPECT_EQ(loads("not_found"), 2);
  EXPECT_EQ(loads("error"), 4);
  EXPECT_EQ(m.Get("groupcache_client_request_duration_seconds_count{group=\"origin\",code=\"502\"}"), 4);
}

}  // namespace
}  // namespace groupcache::integration
