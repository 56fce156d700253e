// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The client API on a real HttpServer on 127.0.0.1, queried over sockets.
#include "api.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "daemon/etag.h"
#include "gmock/gmock.h"
#include "groupcache/http_server.h"
#include "groupcache/registry.h"
#include "groupcache/runtime.h"
#include "gtest/gtest.h"
#include "log.h"
#include "metrics.h"
#include "sources.h"

namespace groupcached {
namespace {

using groupcache::Sink;
using groupcache::Status;
using ::testing::HasSubstr;
using ::testing::Not;

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// Sends one request with Connection: close and reads the reply to EOF.
Reply Fetch(uint16_t port, std::string_view method, std::string_view target,
            std::string_view extra_headers = "") {
  Reply reply;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return reply;
  }
  std::string request = std::string(method) + " " + std::string(target) +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + std::string(extra_headers) +
                        "\r\n";
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string raw;
  char buf[16384];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) raw.append(buf, static_cast<size_t>(n));
  ::close(fd);

  const size_t end_of_head = raw.find("\r\n\r\n");
  if (end_of_head == std::string::npos) return reply;
  std::istringstream head(raw.substr(0, end_of_head));
  std::string line;
  std::getline(head, line);
  reply.status = std::atoi(line.substr(line.find(' ') + 1).c_str());
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    reply.headers[name] = line.substr(std::min(line.size(), colon + 2));
  }
  reply.body = raw.substr(end_of_head + 4);
  return reply;
}

constexpr std::string_view kSecretKey = "distinctive-failing-key-Q7x";
constexpr std::string_view kSecretValue = "distinctive-value-Z9w";

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char templ[] = "/tmp/groupcached_api_XXXXXX";
    ASSERT_NE(::mkdtemp(templ), nullptr);
    dir_ = templ;
    LogOptions log_options;
    log_options.level = LogLevel::kDebug;
    log_options.file = (dir_ / "api.log").string();
    auto logger = Logger::Create(log_options);
    ASSERT_TRUE(logger.ok()) << logger.status().ToString();
    logger_ = std::move(logger).value();

    groupcache::RuntimeOptions runtime_options;
    runtime_options.io_threads = 1;
    runtime_options.worker_threads = 2;
    runtime_ = std::make_unique<groupcache::Runtime>(runtime_options);
    registry_ = std::make_unique<groupcache::GroupRegistry>(&runtime_->workers());

    auto values = MakeStaticSource({{"red", "#FF0000"},
                                    {"a/b c+d", "slashy"},
                                    {"secret", std::string(kSecretValue)},
                                    {"big", std::string(100000, 'b')}});
    ASSERT_TRUE(values.ok());
    std::shared_ptr<groupcache::Getter> static_source = *values;
    auto getter = groupcache::MakeGetter([static_source](std::string_view key, Sink& dest) {
      if (key == kSecretKey) return Status::Unavailable("db at 10.1.2.3 refused: internal detail");
      if (key == "refuse") return Status::InvalidArgument("the source cannot name this key");
      return static_source->Get(key, dest);
    });
    ASSERT_TRUE(registry_->NewGroup("colors", 1 << 20, InstrumentSource(getter, "colors", metrics_)).ok());

    auto server = groupcache::HttpServer::Listen(*runtime_, groupcache::HttpServerOptions{});
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    ApiOptions options;
    options.max_key_bytes = 64;
    options.delete_token = delete_token_;
    // A status with the registry's groups, as a node fills it.
    options.status = [this] {
      StatusData data;
      data.self = "http://127.0.0.1:1";
      StatusMember self;
      self.url = data.self;
      self.self = true;
      data.members.push_back(self);
      for (const groupcache::Group* group : registry_->groups()) {
        data.groups.push_back({group->name(), group->cache_bytes(), group->stats(),
                               group->cache_stats(groupcache::CacheType::kMain),
                               group->cache_stats(groupcache::CacheType::kHot)});
      }
      return data;
    };
    RegisterApi(*server_, *registry_, metrics_, *logger_, options, [this] { return ready_.load(); });
    server_->Start();
    port_ = server_->port();
  }

  void TearDown() override {
    server_->Stop();
    server_.reset();
    runtime_->Shutdown();
    registry_.reset();
    runtime_.reset();
    logger_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string LogText() const {
    std::ifstream in(dir_ / "api.log");
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  Reply Get(std::string_view target, std::string_view headers = "") {
    return Fetch(port_, "GET", target, headers);
  }

  std::filesystem::path dir_;
  Metrics metrics_;
  std::unique_ptr<Logger> logger_;
  std::unique_ptr<groupcache::Runtime> runtime_;
  std::unique_ptr<groupcache::GroupRegistry> registry_;
  std::unique_ptr<groupcache::HttpServer> server_;
  std::atomic<bool> ready_{true};
  uint16_t port_ = 0;
  std::string delete_token_;  // set before SetUp to serve DELETE
};

// The API with api.delete_token_file configured.
class ApiDeleteTest : public ApiTest {
 protected:
  ApiDeleteTest() { delete_token_ = "0123456789abcdef-token"; }
  Reply Delete(std::string_view target, std::string_view headers) {
    return Fetch(port_, "DELETE", target, headers);
  }
  int64_t MainItems() {
    return registry_->GetGroup("colors")->cache_stats(groupcache::CacheType::kMain).items;
  }
};

TEST_F(ApiDeleteTest, DeleteOfAGroupPurgesIt) {
  ASSERT_EQ(Get("/groups/colors/red").status, 200);
  ASSERT_EQ(Get("/groups/colors/big").status, 200);
  ASSERT_EQ(MainItems(), 2);
  EXPECT_EQ(Delete("/groups/colors", "").status, 401);
  EXPECT_EQ(MainItems(), 2);
  Reply reply = Delete("/groups/colors", "Authorization: Bearer 0123456789abcdef-token\r\n");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "purged\n");
  EXPECT_EQ(MainItems(), 0);
  EXPECT_EQ(Delete("/groups/nosuch", "Authorization: Bearer 0123456789abcdef-token\r\n").status, 404);
  EXPECT_THAT(LogText(), HasSubstr("group purged"));
}

TEST_F(ApiDeleteTest, DeleteWithTheTokenRemovesTheKey) {
  ASSERT_EQ(Get("/groups/colors/red").status, 200);
  ASSERT_EQ(MainItems(), 1);
  Reply reply = Delete("/groups/colors/red", "Authorization: Bearer 0123456789abcdef-token\r\n");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "removed\n");
  EXPECT_EQ(MainItems(), 0);
  // The scheme is case-insensitive.
  EXPECT_EQ(Delete("/groups/colors/red", "Authorization: bearer 0123456789abcdef-token\r\n").status, 200);
  EXPECT_EQ(Get("/groups/colors/red").status, 200);  // loaded again from the source
  EXPECT_EQ(MainItems(), 1);
  EXPECT_THAT(LogText(), HasSubstr("key removed"));
  EXPECT_THAT(LogText(), Not(HasSubstr("red")));  // the key never reaches the log
}

TEST_F(ApiDeleteTest, DeleteWithoutTheRightTokenIs401AndRemovesNothing) {
  ASSERT_EQ(Get("/groups/colors/red").status, 200);
  for (std::string_view headers :
       {std::string_view(""), std::string_view("Authorization: Bearer wrong-token-of-same-len\r\n"),
        std::string_view("Authorization: Bearer 0123456789abcdef-toke\r\n"),
        std::string_view("Authorization: Bearer 0123456789abcdef-tokenX\r\n"),
        std::string_view("Authorization: Basic 0123456789abcdef-token\r\n"),
        std::string_view("Authorization: 0123456789abcdef-token\r\n")}) {
    Reply reply = Delete("/groups/colors/red", headers);
    EXPECT_EQ(reply.status, 401) << headers;
    EXPECT_EQ(reply.headers["www-authenticate"], "Bearer") << headers;
  }
  // Unknown groups too: no answer tells an unauthorised client what exists.
  EXPECT_EQ(Delete("/groups/nosuch/red", "").status, 401);
  EXPECT_EQ(MainItems(), 1);
}

TEST_F(ApiDeleteTest, OtherMethodsStill405WithDeleteAllowed) {
  Reply reply = Fetch(port_, "POST", "/groups/colors/red");
  EXPECT_EQ(reply.status, 405);
  EXPECT_EQ(reply.headers["allow"], "GET, HEAD, DELETE");
  EXPECT_EQ(Delete("/groups/colors/", "Authorization: Bearer 0123456789abcdef-token\r\n").status, 400);
  EXPECT_EQ(Delete("/groups/nosuch/k", "Authorization: Bearer 0123456789abcdef-token\r\n").status, 404);
}

TEST_F(ApiTest, AnswersTheValueWithAnETag) {
  Reply reply = Get("/groups/colors/red");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "#FF0000");
  EXPECT_EQ(reply.headers["content-type"], "application/octet-stream");
  EXPECT_EQ(reply.headers["content-length"], "7");
  EXPECT_EQ(reply.headers["etag"], ETagOf("#FF0000"));
  // A hit answers the same.
  Reply again = Get("/groups/colors/red");
  EXPECT_EQ(again.body, "#FF0000");
  EXPECT_EQ(again.headers["etag"], reply.headers["etag"]);
  EXPECT_EQ(Get("/groups/colors/big").body.size(), 100000u);
}

TEST_F(ApiTest, KeyIsTheDecodedRestOfThePath) {
  for (const char* target :
       {"/groups/colors/a%2Fb%20c+d", "/groups/colors/a/b%20c+d", "/groups/c%6Flors/a/b%20c%2bd"}) {
    Reply reply = Get(target);
    EXPECT_EQ(reply.status, 200) << target;
    EXPECT_EQ(reply.body, "slashy") << target;
  }
}

TEST_F(ApiTest, MissingKeyAndUnknownGroupAre404) {
  Reply missing = Get("/groups/colors/blue");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "not found\n");
  EXPECT_EQ(Get("/groups/nope/red").status, 404);
  EXPECT_EQ(Get("/elsewhere").status, 404);
}

TEST_F(ApiTest, InvalidKeysAre400) {
  for (const std::string& target :
       {std::string("/groups/colors/"), std::string("/groups/colors"), std::string("/groups/colors/%zz"),
        std::string("/groups/colors/abc%4"), std::string("/groups/colors/a%00b"),
        "/groups/colors/" + std::string(65, 'k'), std::string("/groups/colors/refuse"),
        std::string("/groups/%zz/red")}) {
    Reply reply = Get(target);
    EXPECT_EQ(reply.status, 400) << target;
    EXPECT_EQ(reply.body.find("colors"), std::string::npos) << target;
  }
  EXPECT_EQ(Get("/groups/colors/" + std::string(64, 'k')).status, 404);  // at the limit: a valid key
}

TEST_F(ApiTest, SourceFailureIs502WithoutDetailsAndLogsNoKey) {
  Reply reply = Get("/groups/colors/" + std::string(kSecretKey));
  EXPECT_EQ(reply.status, 502);
  EXPECT_EQ(reply.body, "source failed\n");
  EXPECT_EQ(Get("/groups/colors/secret").body, kSecretValue);
  logger_->Flush();
  const std::string log = LogText();
  EXPECT_NE(log.find("source failed"), std::string::npos) << log;
  EXPECT_NE(log.find(logger_->KeyRef(kSecretKey)), std::string::npos) << log;
  EXPECT_EQ(log.find(kSecretKey), std::string::npos) << log;
  EXPECT_EQ(log.find(kSecretValue), std::string::npos) << log;
}

TEST_F(ApiTest, IfNoneMatchAnswers304) {
  const std::string etag = Get("/groups/colors/red").headers["etag"];
  ASSERT_EQ(etag.size(), 18u);
  for (const std::string& header : {etag, "W/" + etag, std::string("\"other\", ") + etag, std::string("*")}) {
    Reply reply = Get("/groups/colors/red", "If-None-Match: " + header + "\r\n");
    EXPECT_EQ(reply.status, 304) << header;
    EXPECT_EQ(reply.body, "") << header;
    EXPECT_EQ(reply.headers["etag"], etag) << header;
  }
  Reply changed = Get("/groups/colors/red", "If-None-Match: \"0000000000000000\"\r\n");
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(changed.body, "#FF0000");
}

TEST_F(ApiTest, HeadSendsTheHeadersOnly) {
  Reply reply = Fetch(port_, "HEAD", "/groups/colors/red");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "");
  EXPECT_EQ(reply.headers["content-length"], "7");
  EXPECT_EQ(reply.headers["etag"], ETagOf("#FF0000"));
  EXPECT_EQ(Fetch(port_, "HEAD", "/groups/colors/blue").status, 404);
}

TEST_F(ApiTest, OtherMethodsAre405) {
  for (const char* target :
       {"/groups/colors/red", "/metrics", "/healthz", "/readyz", "/status", "/status.json"}) {
    Reply reply = Fetch(port_, "POST", target);
    EXPECT_EQ(reply.status, 405) << target;
    EXPECT_EQ(reply.headers["allow"], "GET, HEAD") << target;
  }
  EXPECT_EQ(Fetch(port_, "DELETE", "/groups/colors/red").status, 405);
}

TEST_F(ApiTest, HealthAndReadiness) {
  Reply health = Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "ok\n");
  EXPECT_EQ(Get("/readyz").status, 200);
  ready_ = false;
  Reply not_ready = Get("/readyz");
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_EQ(Get("/healthz").status, 200);
  ready_ = true;
  EXPECT_EQ(Get("/readyz").body, "ready\n");
}

TEST_F(ApiTest, StatusPageShowsGroupsButNeverAKeyOrValue) {
  ASSERT_EQ(Get("/groups/colors/a%2Fb%20c%2Bd").body, "slashy");
  Reply html = Get("/status");
  EXPECT_EQ(html.status, 200);
  EXPECT_EQ(html.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(html.headers["cache-control"], "no-store");
  EXPECT_THAT(html.body, HasSubstr("<td>colors</td>"));
  Reply json = Get("/status.json");
  EXPECT_EQ(json.status, 200);
  EXPECT_EQ(json.headers["content-type"], "application/json");
  EXPECT_THAT(json.body, HasSubstr("\"name\":\"colors\""));
  EXPECT_THAT(json.body, HasSubstr("\"items\":1,"));
  for (const Reply* reply : {&html, &json}) {
    EXPECT_THAT(reply->body, Not(HasSubstr("slashy")));
    EXPECT_THAT(reply->body, Not(HasSubstr("a/b c+d")));
    EXPECT_THAT(reply->body, Not(HasSubstr("a%2Fb")));
  }
  Reply head = Fetch(port_, "HEAD", "/status");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.headers["content-length"], std::to_string(html.body.size()));
  EXPECT_EQ(Get("/status/more").status, 404);
}

// Returns the value of the sample line starting with `series` + " ", or -1.
double Sample(const std::string& exposition, const std::string& series) {
  const std::string prefix = series + " ";
  std::istringstream in(exposition);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(prefix)) return std::stod(line.substr(prefix.size()));
  }
  return -1;
}

TEST_F(ApiTest, MetricsCountTheRequestsMade) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(Get("/groups/colors/red").status, 200);
  ASSERT_EQ(Get("/groups/colors/blue").status, 404);
  ASSERT_EQ(Get("/groups/colors/%zz").status, 400);
  ASSERT_EQ(Get("/groups/nope/red").status, 404);
  ASSERT_EQ(Get("/healthz").status, 200);

  Reply reply = Get("/metrics");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
  const std::string& m = reply.body;
  EXPECT_EQ(Sample(m, "groupcache_client_request_duration_seconds_count{group=\"colors\",code=\"200\"}"), 3)
      << m;
  EXPECT_EQ(Sample(m, "groupcache_client_request_duration_seconds_count{group=\"colors\",code=\"404\"}"), 1);
  EXPECT_EQ(Sample(m, "groupcache_client_request_duration_seconds_count{group=\"colors\",code=\"400\"}"), 1);
  // Requests naming no configured group are labelled group="".
  EXPECT_EQ(Sample(m, "groupcache_client_request_duration_seconds_count{group=\"\",code=\"404\"}"), 1);
  EXPECT_EQ(Sample(m, "groupcache_client_request_duration_seconds_count{group=\"\",code=\"200\"}"), 1);
  EXPECT_EQ(Sample(m, "groupcache_gets_total{group=\"colors\"}"), 4);
  EXPECT_EQ(Sample(m, "groupcache_cache_hits_total{group=\"colors\"}"), 2);
  EXPECT_EQ(Sample(m, "groupcache_local_loads_total{group=\"colors\"}"), 1);
  EXPECT_EQ(Sample(m, "groupcache_local_load_errs_total{group=\"colors\"}"), 1);
  EXPECT_EQ(Sample(m, "groupcache_cache_items{group=\"colors\",cache=\"main\"}"), 1);
  EXPECT_EQ(Sample(m, "groupcache_source_load_duration_seconds_count{group=\"colors\",result=\"ok\"}"), 1);
  EXPECT_EQ(Sample(m, "groupcache_source_load_duration_seconds_count{group=\"colors\",result=\"not_found\"}"),
            1);
  EXPECT_EQ(m.find("\"red\""), std::string::npos) << "a key in the metrics";

  // The scrape itself is counted once it is answered.
  EXPECT_EQ(Sample(Get("/metrics").body,
                   "groupcache_client_request_duration_seconds_count{group=\"\",code=\"200\"}"),
            2);
}

}  // namespace
}  // namespace groupcached
