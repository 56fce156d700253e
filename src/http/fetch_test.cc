// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// HttpFetcher against scripted servers on 127.0.0.1: well-behaved,
// streaming, stalling, redirecting, oversized, and TLS with right and wrong
// certificates.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <string>
#include <thread>

#include "groupcache/http_fetch.h"
#include "gtest/gtest.h"
#include "scripted_peer.h"
#include "test_certs.h"

namespace groupcache {
namespace {

using namespace std::chrono_literals;
using testing::ScriptedConnection;
using testing::ScriptedPeer;
using testing::Tally;

std::string Response(int code, std::string_view body, std::string_view extra_headers = "") {
  return "HTTP/1.1 " + std::to_string(code) + " X\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n" + std::string(extra_headers) + "\r\n" + std::string(body);
}

std::unique_ptr<HttpFetcher> MakeFetcher(HttpFetcherOptions options = {}) {
  auto fetcher = HttpFetcher::Create(std::move(options));
  EXPECT_TRUE(fetcher.ok()) << fetcher.status().ToString();
  return fetcher.ok() ? std::move(fetcher).value() : nullptr;
}

Result<HttpFetchResponse> Get(HttpFetcher& fetcher, const std::string& url,
                              std::vector<HttpHeader> headers = {}) {
  return fetcher.FetchAndWait({url, std::move(headers)});
}

TEST(HttpFetcher, ReturnsStatusHeadersAndBodyAndSendsTheRequestHeaders) {
  std::mutex mu;
  std::string head;  // guarded by mu
  ScriptedPeer server([&](ScriptedConnection& c) {
    if (c.ReadRequest().empty()) return;
    {
      std::lock_guard<std::mutex> lock(mu);
      head = c.last_head();
    }
    c.Write(
        Response(200, "hello", "ETag: \"v1\"\r\nCache-Control: max-age=60\r\nX-Twice: a\r\nX-Twice: b\r\n"));
  });
  auto fetcher = MakeFetcher();
  auto got = Get(*fetcher, server.url() + "/v/k?x=1", {{"If-None-Match", "\"v0\""}});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->status_code, 200);
  EXPECT_EQ(got->body, "hello");
  EXPECT_EQ(got->Header("etag").value_or(""), "\"v1\"");
  EXPECT_EQ(got->Header("CACHE-CONTROL").value_or(""), "max-age=60");
  EXPECT_EQ(got->Header("X-Twice").value_or(""), "a");
  EXPECT_FALSE(got->Header("Age").has_value());
  int twice = 0;
  for (const HttpHeader& h : got->headers) twice += h.name == "X-Twice";
  EXPECT_EQ(twice, 2);
  EXPECT_EQ(got->url.target, "/v/k?x=1");
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_TRUE(head.starts_with("GET /v/k?x=1 HTTP/1.1\r\n")) << head;
  EXPECT_NE(head.find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"), std::string::npos)
      << head;
  EXPECT_NE(head.find("If-None-Match: \"v0\"\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("User-Agent: groupcache\r\n"), std::string::npos) << head;
}

TEST(HttpFetcher, ReturnsOtherStatusesWithoutReadingTheBody) {
  // A 404 that declares 100 MiB: the head is the answer, the limit does not apply.
  ScriptedPeer server([](ScriptedConnection& c) {
    if (!c.ReadRequest().empty()) c.Write("HTTP/1.1 404 Not Found\r\nContent-Length: 104857600\r\n\r\nxx");
  });
  HttpFetcherOptions options;
  options.max_body_bytes = 1024;
  auto fetcher = MakeFetcher(options);
  auto got = Get(*fetcher, server.url() + "/missing");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->status_code, 404);
  EXPECT_TRUE(got->body.empty());
}

TEST(HttpFetcher, BodiesOverTheLimitAreResourceExhausted) {
  ScriptedPeer server([](ScriptedConnection& c) {
    const std::string target = c.ReadRequest();
    if (target == "/length") {
      c.Write("HTTP/1.1 200 OK\r\nContent-Length: 104857600\r\n\r\n");
    } else if (target == "/chunked") {
      c.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
      const std::string chunk = "400\r\n" + std::string(0x400, 'x') + "\r\n";
      while (c.Write(chunk)) {
      }
    }
  });
  HttpFetcherOptions options;
  options.max_body_bytes = 64 * 1024;
  auto fetcher = MakeFetcher(options);
  for (const char* path : {"/length", "/chunked"}) {
    auto got = Get(*fetcher, server.url() + path);
    EXPECT_EQ(got.status().code(), StatusCode::kResourceExhausted) << path << ": " << got.status().ToString();
  }
}

TEST(HttpFetcher, BodiesInFlightAreLeasedFromTheBudget) {
  ScriptedPeer server([](ScriptedConnection& c) {
    if (!c.ReadRequest().empty()) c.Write(Response(200, std::string(256 * 1024, 'v')));
  });
  ByteBudget budget(64 * 1024);
  HttpFetcherOptions options;
  options.budget = &budget;
  auto fetcher = MakeFetcher(options);
  auto got = Get(*fetcher, server.url() + "/v");
  EXPECT_EQ(got.status().code(), StatusCode::kResourceExhausted) << got.status().ToString();
  EXPECT_EQ(budget.refusals(), 1u);
  EXPECT_EQ(budget.in_use(), 0u);
}

// The server streams 1-byte chunks for as long as the client reads. The
// fetch fails at its deadline, and its socket is closed then while the
// fetcher lives on: the script sees the client go.
TEST(HttpFetcher, TheDeadlineBoundsAStreamAndClosesItsSocket) {
  Tally gone;
  ScriptedPeer server([&](ScriptedConnection& c) {
    if (c.ReadRequest().empty()) return;
    std::string chunks;
    for (int i = 0; i < 1000; ++i) chunks += "1\r\nx\r\n";
    if (c.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")) {
      while (!c.stopping() && c.Write(chunks)) {
      }
    }
    if (!c.stopping()) gone.Add();
  });
  HttpFetcherOptions options;
  options.timeout = 300ms;
  auto fetcher = MakeFetcher(options);
  auto got = Get(*fetcher, server.url() + "/stream");
  EXPECT_EQ(got.status().code(), StatusCode::kDeadlineExceeded) << got.status().ToString();
  EXPECT_EQ(got.status().message().find("/stream"), std::string::npos) << "errors name no path";
  EXPECT_TRUE(gone.WaitFor(1)) << "the fetch kept reading after its deadline";
}

TEST(HttpFetcher, AsyncFetchOfAStallingServerAnswersDeadlineExceeded) {
  ScriptedPeer server([](ScriptedConnection& c) {
    c.ReadRequest();
    c.WaitForClientClose(60s);  // answers nothing
  });
  HttpFetcherOptions options;
  options.timeout = 200ms;
  auto fetcher = MakeFetcher(options);
  std::promise<Status> done;
  fetcher->Fetch({server.url() + "/x", {}}, [&](Result<HttpFetchResponse> r) { done.set_value(r.status()); });
  EXPECT_EQ(done.get_future().get().code(), StatusCode::kDeadlineExceeded);
}

TEST(HttpFetcher, DestroyingTheFetcherAnswersFetchesInFlight) {
  Tally requests;
  ScriptedPeer server([&](ScriptedConnection& c) {
    if (c.ReadRequest().empty()) return;
    requests.Add();
    c.WaitForClientClose(60s);
  });
  HttpFetcherOptions options;
  options.timeout = 60s;
  std::promise<Status> done;  // before the fetcher, which answers into it as it goes
  auto fetcher = MakeFetcher(options);
  fetcher->Fetch({server.url() + "/x", {}}, [&](Result<HttpFetchResponse> r) { done.set_value(r.status()); });
  ASSERT_TRUE(requests.WaitFor(1));
  fetcher.reset();
  auto answered = done.get_future();
  ASSERT_EQ(answered.wait_for(0s), std::future_status::ready)
      << "the callback ran before the destructor returned";
  EXPECT_EQ(answered.get().code(), StatusCode::kUnavailable);
}

// The threads of this process now (Linux: /proc/self/status).
int ThreadCount() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("Threads:")) return std::stoi(line.substr(8));
  }
  return -1;
}

// An AsyncGetter's group may be released as its load ends, inside the
// fetch's callback, taking the last reference to the fetcher with it: the
// fetcher is then destroyed on its own thread, which cannot join itself.
TEST(HttpFetcher, TheLastOwnerMayLetGoInsideACallback) {
  ScriptedPeer server([](ScriptedConnection& c) {
    if (c.ReadRequest().empty()) return;
    c.Write(Response(200, "v"));
  });
  const int threads_before = ThreadCount();
  ASSERT_GT(threads_before, 0);
  for (int i = 0; i < 20; ++i) {
    auto owner = std::make_shared<std::unique_ptr<HttpFetcher>>(MakeFetcher());
    std::promise<std::string> done;
    HttpFetcher& fetcher = **owner;
    fetcher.Fetch({server.url() + "/x", {}}, [owner, &done](Result<HttpFetchResponse> r) mutable {
      owner->reset();  // the fetcher's destructor, on the fetcher's thread
      done.set_value(r.ok() ? r->body : r.status().ToString());
    });
    owner.reset();  // the callback holds the last reference now
    auto answered = done.get_future();
    ASSERT_EQ(answered.wait_for(30s), std::future_status::ready);
    EXPECT_EQ(answered.get(), "v");
    // The fetcher is destroyed on a thread of its own: wait until it and
    // the fetcher's thread have ended, so that nothing of this iteration
    // still runs when the next one (or the process's exit) begins.
    const auto until = std::chrono::steady_clock::now() + 30s;
    while (ThreadCount() > threads_before && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(1ms);
    }
    ASSERT_LE(ThreadCount(), threads_before) << "the fetcher's threads did not end";
  }
}

class HttpFetcherRedirectTest : public ::testing::Test {
 protected:
  HttpFetcherRedirectTest()
      : other_([this](ScriptedConnection& c) {
          if (c.ReadRequest().empty()) return;
          std::lock_guard<std::mutex> lock(mu_);
          other_head_ = c.last_head();
          c.Write(Response(200, "other"));
        }),
        server_([this](ScriptedConnection& c) {
          const std::string target = c.ReadRequest();
          if (target == "/start") {
            c.Write(Response(302, "", "Location: next/final\r\n"));
          } else if (target == "/next/final") {
            c.Write(Response(200, "final"));
          } else if (target == "/loop") {
            c.Write(Response(301, "", "Location: /loop\r\n"));
          } else if (target == "/none") {
            c.Write(Response(307, ""));
          } else if (target == "/ftp") {
            c.Write(Response(302, "", "Location: ftp://127.0.0.1/x\r\n"));
          } else if (target == "/away") {
            c.Write(Response(308, "", "Location: " + other_.url() + "/there\r\n"));
          }
        }) {}

  std::mutex mu_;
  std::string other_head_;  // guarded by mu_
  ScriptedPeer other_;
  ScriptedPeer server_;
};

TEST_F(HttpFetcherRedirectTest, WithoutRedirectsTheRedirectIsTheResponse) {
  auto fetcher = MakeFetcher();
  auto got = Get(*fetcher, server_.url() + "/start");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->status_code, 302);
  EXPECT_EQ(got->Header("Location").value_or(""), "next/final");
  EXPECT_EQ(server_.connections(), 1);
}

TEST_F(HttpFetcherRedirectTest, FollowsUpToTheLimit) {
  HttpFetcherOptions options;
  options.max_redirects = 2;
  auto fetcher = MakeFetcher(options);
  auto got = Get(*fetcher, server_.url() + "/start");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->body, "final");
  EXPECT_EQ(got->url.target, "/next/final");
  auto loop = Get(*fetcher, server_.url() + "/loop");
  EXPECT_EQ(loop.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(loop.status().message().find("more than 2 redirects"), std::string::npos)
      << loop.status().ToString();
  EXPECT_EQ(Get(*fetcher, server_.url() + "/none").status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(Get(*fetcher, server_.url() + "/ftp").status().code(), StatusCode::kUnavailable);
}

TEST_F(HttpFetcherRedirectTest, CredentialsAreNotSentToAnotherOrigin) {
  HttpFetcherOptions options;
  options.max_redirects = 1;
  auto fetcher = MakeFetcher(options);
  auto got = Get(*fetcher, server_.url() + "/away", {{"Authorization", "Bearer secret"}, {"X-Keep", "1"}});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->body, "other");
  std::lock_guard<std::mutex> lock(mu_);
  EXPECT_EQ(other_head_.find("secret"), std::string::npos) << other_head_;
  EXPECT_NE(other_head_.find("X-Keep: 1\r\n"), std::string::npos) << other_head_;
}

TEST(HttpFetcher, RefusesMalformedRequestsAndOptions) {
  auto fetcher = MakeFetcher();
  for (const char* url : {"", "ftp://127.0.0.1/x", "http://user@127.0.0.1/x", "http://127.0.0.1:0/x"}) {
    EXPECT_EQ(Get(*fetcher, url).status().code(), StatusCode::kInvalidArgument) << url;
  }
  for (const HttpHeader& bad : std::vector<HttpHeader>{{"X-A", "1\r\nX-Injected: 1"},
                                                       {"Bad Name", "1"},
                                                       {"", "1"},
                                                       {"host", "elsewhere"},
                                                       {"Content-Length", "1"}}) {
    EXPECT_EQ(Get(*fetcher, "http://127.0.0.1:1/x", {bad}).status().code(), StatusCode::kInvalidArgument)
        << bad.name;
  }
  HttpFetcherOptions options;
  options.timeout = 0ms;
  EXPECT_EQ(HttpFetcher::Create(options).status().code(), StatusCode::kInvalidArgument);
  options = {};
  options.max_redirects = -1;
  EXPECT_EQ(HttpFetcher::Create(options).status().code(), StatusCode::kInvalidArgument);
  options = {};
  options.ca_file = "/nonexistent/ca.pem";
  EXPECT_EQ(HttpFetcher::Create(options).status().code(), StatusCode::kInvalidArgument);
}

class HttpFetcherTlsTest : public ::testing::Test {
 protected:
  HttpFetcherTlsTest()
      : dir_(std::filesystem::temp_directory_path() / ("gc_fetch_tls_" + std::to_string(::getpid()))),
        pki_(dir_ / "ca", "fetch-test-ca"),
        other_pki_(dir_ / "other", "other-ca"),
        leaf_(pki_.Issue("origin", "IP:127.0.0.1,DNS:localhost")),
        wrong_name_(pki_.Issue("elsewhere", "DNS:other.example")),
        untrusted_(other_pki_.Issue("origin", "IP:127.0.0.1,DNS:localhost")) {}
  ~HttpFetcherTlsTest() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<HttpFetcher> Fetcher(int max_redirects = 0) {
    HttpFetcherOptions options;
    options.ca_file = pki_.ca_file();
    options.max_redirects = max_redirects;
    return MakeFetcher(options);
  }

  static void Answer(ScriptedConnection& c) {
    if (!c.ReadRequest().empty()) c.Write(Response(200, "secure"));
  }

  std::filesystem::path dir_;
  testing::TestPki pki_;
  testing::TestPki other_pki_;
  testing::Issued leaf_, wrong_name_, untrusted_;
};

TEST_F(HttpFetcherTlsTest, VerifiesTheServerByAddressAndByName) {
  ScriptedPeer server(Answer, leaf_.cert_file, leaf_.key_file);
  auto fetcher = Fetcher();
  for (const std::string& url :
       {server.url() + "/x", "https://localhost:" + std::to_string(server.port()) + "/x"}) {
    auto got = Get(*fetcher, url);
    ASSERT_TRUE(got.ok()) << url << ": " << got.status().ToString();
    EXPECT_EQ(got->body, "secure");
  }
}

TEST_F(HttpFetcherTlsTest, RefusesACertificateForAnotherHostOrFromAnotherCa) {
  Tally requests;
  auto script = [&](ScriptedConnection& c) {
    if (!c.ReadRequest().empty()) requests.Add();
  };
  ScriptedPeer wrong_name(script, wrong_name_.cert_file, wrong_name_.key_file);
  ScriptedPeer untrusted(script, untrusted_.cert_file, untrusted_.key_file);
  auto fetcher = Fetcher();
  for (const ScriptedPeer* server : {&wrong_name, &untrusted}) {
    auto got = Get(*fetcher, server->url() + "/x");
    EXPECT_EQ(got.status().code(), StatusCode::kUnavailable) << got.status().ToString();
  }
  EXPECT_EQ(requests.count(), 0);
}

TEST_F(HttpFetcherTlsTest, NeverFollowsARedirectToPlainHttp) {
  ScriptedPeer plain([](ScriptedConnection& c) { Answer(c); });
  const std::string plain_url = plain.url();
  ScriptedPeer server(
      [plain_url](ScriptedConnection& c) {
        if (!c.ReadRequest().empty()) c.Write(Response(302, "", "Location: " + plain_url + "/x\r\n"));
      },
      leaf_.cert_file, leaf_.key_file);
  auto fetcher = Fetcher(3);
  auto got = Get(*fetcher, server.url() + "/x");
  EXPECT_EQ(got.status().code(), StatusCode::kUnavailable) << got.status().ToString();
  EXPECT_EQ(plain.connections(), 0);
}

}  // namespace
}  // namespace groupcache
