// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// ${VAR} references in config values: the expansion itself, and where the
// loader applies it (and where it does not).
#include "daemon/config_env.h"

#include <map>
#include <string>
#include <variant>

#include "daemon/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace groupcached {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kName = "/etc/groupcached.toml";

// An environment holding exactly `variables`.
Environment FakeEnvironment(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const std::string& name) -> std::optional<std::string> {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

const Environment kEnv = FakeEnvironment({{"POD_IP", "10.0.0.7"},
                                          {"PORT", "8443"},
                                          {"EMPTY", ""},
                                          {"CREDS", "/run/credentials/groupcached.service"},
                                          {"NESTED", "${POD_IP}"},
                                          {"TIMEOUT", "3s"}});

std::string Expand(std::string_view text) {
  auto expanded = internal::ExpandVariables(text, kEnv);
  EXPECT_TRUE(expanded.ok()) << text << ": " << expanded.status().message();
  return expanded.ok() ? *expanded : "";
}

std::string ExpandError(std::string_view text) {
  auto expanded = internal::ExpandVariables(text, kEnv);
  EXPECT_FALSE(expanded.ok()) << text << " expanded to " << *expanded;
  return expanded.ok() ? "" : expanded.status().message();
}

TEST(ExpandVariablesTest, ReplacesReferencesAndKeepsEverythingElse) {
  EXPECT_EQ(Expand(""), "");
  EXPECT_EQ(Expand("plain"), "plain");
  EXPECT_EQ(Expand("${POD_IP}"), "10.0.0.7");
  EXPECT_EQ(Expand("https://${POD_IP}:${PORT}"), "https://10.0.0.7:8443");
  EXPECT_EQ(Expand("${CREDS}/node.key"), "/run/credentials/groupcached.service/node.key");
  // Only the braced form is a reference; other dollars stay.
  EXPECT_EQ(Expand("$POD_IP $ a$ $$ $1 {POD_IP}"), "$POD_IP $ a$ $$ $1 {POD_IP}");
  // A value is inserted as it is, never expanded again.
  EXPECT_EQ(Expand("${NESTED}"), "${POD_IP}");
}

TEST(ExpandVariablesTest, DoubleDollarBraceIsALiteral) {
  EXPECT_EQ(Expand("$${POD_IP}"), "${POD_IP}");
  EXPECT_EQ(Expand("a$${b"), "a${b");
  EXPECT_EQ(Expand("$$${POD_IP}"), "$${POD_IP}");
  EXPECT_EQ(Expand("$${POD_IP}=${POD_IP}"), "${POD_IP}=10.0.0.7");
}

TEST(ExpandVariablesTest, UnsetEmptyAndMalformedReferencesAreErrors) {
  EXPECT_EQ(ExpandError("https://${NODE_IP}:8443"), "${NODE_IP} is not set in the environment");
  EXPECT_EQ(ExpandError("${EMPTY}"), "${EMPTY} is empty");
  EXPECT_THAT(ExpandError("${POD_IP"), HasSubstr("${ is not closed with } (write $${ for a literal ${)"));
  for (const char* bad : {"${}", "${1X}", "${POD-IP}", "${pod ip}", "${${POD_IP}}"}) {
    EXPECT_THAT(ExpandError(bad), HasSubstr("is not a variable reference")) << bad;
  }
  EXPECT_THAT(ExpandError(std::string("${") + std::string(500, 'A') + "}"),
              HasSubstr("is not a variable reference"));
  // No environment at all: every reference is unset.
  EXPECT_FALSE(internal::ExpandVariables("${POD_IP}", nullptr).ok());
}

// A node of a DNS-discovered cluster, as a Kubernetes manifest would write it.
const std::string kPodConfig = R"([node]
self = "https://${POD_IP}:${PORT}"
api_listen = "${POD_IP}:8080"
peer_listen = "0.0.0.0:${PORT}"
drain = "${TIMEOUT}"

[discovery]
type = "dns"
name = "groupcached.cache.svc.cluster.local"
servers = ["${POD_IP}:53"]

[tls]
ca = "${CREDS}/ca.pem"
cert = "certs/${POD_IP}.pem"
key = "${CREDS}/node.key"

[log]
file = "${CREDS}/log/groupcached.log"

[limits]
request_timeout = "${TIMEOUT}"
max_value_bytes = "${PORT}KiB"

[[group]]
name = "colors"
cache_bytes = "64MiB"
source = { type = "static", values = { dollar = "${POD_IP}", price = "$5" } }

[[group]]
name = "origin"
cache_bytes = "64MiB"
source = { type = "http", url = "https://origin.internal/${POD_IP}/{key}", ca_file = "${CREDS}/origin-ca.pem" }
)";

TEST(ConfigEnvironmentTest, ValuesAndPathsAreExpanded) {
  auto config = LoadConfigFromString(kPodConfig, kName, "/etc/groupcached", kEnv);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->node.self, "https://10.0.0.7:8443");
  EXPECT_EQ(config->node.api_listen, "10.0.0.7:8080");
  EXPECT_EQ(config->node.peer_listen, "0.0.0.0:8443");
  EXPECT_EQ(config->node.drain, std::chrono::seconds(3));
  EXPECT_EQ(config->discovery.servers, std::vector<std::string>{"10.0.0.7:53"});
  EXPECT_EQ(config->tls.ca, "/run/credentials/groupcached.service/ca.pem");
  // Expanded first, then resolved against the config's directory.
  EXPECT_EQ(config->tls.cert, "/etc/groupcached/certs/10.0.0.7.pem");
  EXPECT_EQ(config->tls.key, "/run/credentials/groupcached.service/node.key");
  EXPECT_EQ(config->log.file, "/run/credentials/groupcached.service/log/groupcached.log");
  EXPECT_EQ(config->limits.request_timeout, std::chrono::seconds(3));
  EXPECT_EQ(config->limits.max_value_bytes, size_t{8443} << 10);
  const auto& origin = std::get<HttpSourceConfig>(config->groups[1].source);
  EXPECT_EQ(origin.ca_file, "/run/credentials/groupcached.service/origin-ca.pem");
}

TEST(ConfigEnvironmentTest, StaticValuesAndSourceUrlsAreNotExpanded) {
  auto config = LoadConfigFromString(kPodConfig, kName, "/etc/groupcached", kEnv);
  ASSERT_TRUE(config.ok()) << config.status().message();
  const auto& colors = std::get<StaticSourceConfig>(config->groups[0].source);
  EXPECT_EQ(colors.values.at("dollar"), "${POD_IP}");  // data, not configuration
  EXPECT_EQ(colors.values.at("price"), "$5");
  // A URL may carry credentials; secrets never come from the environment.
  EXPECT_EQ(std::get<HttpSourceConfig>(config->groups[1].source).url,
            "https://origin.internal/${POD_IP}/{key}");
}

TEST(ConfigEnvironmentTest, AnUnsetVariableNamesTheKeyTheLineAndTheVariable) {
  auto config = LoadConfigFromString(kPodConfig, kName, "/etc/groupcached",
                                     FakeEnvironment({{"PORT", "8443"}, {"TIMEOUT", "3s"}}));
  ASSERT_FALSE(config.ok());
  const std::string& error = config.status().message();
  EXPECT_THAT(error,
              HasSubstr("/etc/groupcached.toml:2: node.self: ${POD_IP} is not set in the environment"));
  EXPECT_THAT(error, HasSubstr(":3: node.api_listen: ${POD_IP} is not set"));
  EXPECT_THAT(error, HasSubstr(":10: discovery.servers[0]: ${POD_IP} is not set"));
  EXPECT_THAT(error, HasSubstr(":13: tls.ca: ${CREDS} is not set"));
  EXPECT_THAT(error, HasSubstr(":14: tls.cert: ${POD_IP} is not set"));
  EXPECT_THAT(error, HasSubstr(":18: log.file: ${CREDS} is not set"));
  EXPECT_THAT(error, HasSubstr(":32: group[1].source.ca_file: ${CREDS} is not set"));
  // One line per problem: a missing self is not also reported as a bad URL.
  EXPECT_THAT(error, Not(HasSubstr("must start with")));
}

TEST(ConfigEnvironmentTest, ExpandedValuesAreValidatedAsWritten) {
  const Environment env = FakeEnvironment(
      {{"POD_IP", "not an address"}, {"PORT", "99999"}, {"CREDS", "/c"}, {"TIMEOUT", "soon"}});
  auto config = LoadConfigFromString(kPodConfig, kName, "/etc/groupcached", env);
  ASSERT_FALSE(config.ok());
  const std::string& error = config.status().message();
  EXPECT_THAT(error, HasSubstr(":2: node.self: \"https://not an address:99999\""));
  EXPECT_THAT(error, HasSubstr(":5: node.drain: \"soon\" is not a duration"));
  EXPECT_THAT(error, HasSubstr(":10: discovery.servers[0]: \"not an address:53\""));
}

TEST(ConfigEnvironmentTest, PeersMayUseVariables) {
  const std::string text = R"([node]
self = "http://${POD_IP}:9000"
peer_listen = "0.0.0.0:9000"
peers = ["http://${POD_IP}:9000", "http://10.0.0.8:9000", "http://${POD_IP}:09000"]
[tls]
insecure_plaintext = true
[[group]]
name = "g"
cache_bytes = 0
source = { type = "static", values = {} }
)";
  // The third entry is the first one spelled differently once expanded.
  auto duplicate = LoadConfigFromString(text, kName, "", kEnv);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_THAT(duplicate.status().message(),
              HasSubstr(":4: node.peers[2]: \"http://10.0.0.7:09000\" is the same endpoint as node.peers[0] "
                        "(\"http://10.0.0.7:9000\")"));
  std::string two = text;
  two.replace(two.find(", \"http://${POD_IP}:09000\""), 26, "");
  auto config = LoadConfigFromString(two, kName, "", kEnv);
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->node.peers, (std::vector<std::string>{"http://10.0.0.7:9000", "http://10.0.0.8:9000"}));
}

}  // namespace
}  // namespace groupcached
