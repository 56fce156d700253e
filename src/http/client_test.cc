// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The peer client against hostile peers: ones that stream past the deadline,
// send bytes nobody asked for, or send more than memory allows. Real sockets
// on 127.0.0.1; these run under the sanitizers too.
#include "http/client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <filesystem>
#include <future>
#include <latch>
#include <mutex>
#include <thread>

#include "eventually.h"
#include "groupcache/groupcache.h"
#include "http/tls_context.h"
#include "http/wire.h"
#include "peer_replies.h"
#include "scripted_peer.h"
#include "test_certs.h"

namespace groupcache::internal {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::GetResponseReply;
using testing::ScriptedConnection;
using testing::ScriptedPeer;
using testing::Tally;
using Clock = std::chrono::steady_clock;

// What a well-behaved peer answers for `target`: "peer:" and the target.
std::string HonestValue(const std::string& target) { return "peer:" + target; }

// Fetches on the runtime's first loop, as a server handler does (fetches
// started on a loop thread are the ones that outlived their deadline before
// the fix), and waits for the answer (at most a minute, so a broken client
// fails the test instead of hanging it).
Result<ByteView> Fetch(Runtime& runtime, PeerGetter& peer, const std::string& key,
                       Clock::duration* took = nullptr) {
  auto promise = std::make_shared<std::promise<Result<ByteView>>>();
  std::future<Result<ByteView>> future = promise->get_future();
  const auto start = Clock::now();
  boost::asio::post(runtime.impl().context(0), [&peer, key, promise] {
    peer.Get("g", key, [promise](Result<ByteView> result) { promise->set_value(std::move(result)); });
  });
  if (future.wait_for(seconds(60)) != std::future_status::ready) {
    return Status::Internal("test: no answer within 60 s");
  }
  if (took != nullptr) *took = Clock::now() - start;
  return future.get();
}

class HttpClientTest : public ::testing::Test {
 protected:
  std::shared_ptr<HttpPeer> PeerFor(const std::string& url, milliseconds timeout,
                                    size_t max_response_bytes = 1 << 20,
                                    std::shared_ptr<boost::asio::ssl::context> tls = nullptr) {
    // Ejection is off: these tests fail one peer many times on purpose
    // (pool_breaker_test covers ejection).
    PeerClientOptions options{"/_groupcache/",
                              timeout,
                              max_response_bytes,
                              8,
                              tls ? std::make_shared<TlsContextCell>(std::move(tls)) : nullptr,
                              nullptr,
                              nullptr,
                              seconds(1),
                              BreakerOptions{.eject_after = 0},
                              nullptr};
    return std::make_shared<HttpPeer>(runtime_->impl(), ParsePeerUrl(url).value(), std::move(options));
  }

  std::unique_ptr<Runtime> runtime_ =
      std::make_unique<Runtime>(RuntimeOptions{.io_threads = 2, .worker_threads = 2});
};

// The reason a dead peer failed, as the breaker, the metrics and the warn
// log see it: a port nobody listens on is "refused"; a peer that reads the
// request and closes without an answer (a process killed mid-request) is
// "reset". Deterministic here, which a killed process is not: its sockets
// close only once the kernel has torn it down.
PeerFailure FailureOf(Runtime& runtime, const std::string& url, Status* status) {
  std::mutex mu;
  std::vector<PeerFailure> failures;
  PeerClientOptions options{
      "/_groupcache/",
      seconds(10),
      1 << 20,
      8,
      nullptr,
      [&](std::string_view, std::chrono::nanoseconds, const Status&, PeerFailure failure) {
        std::lock_guard<std::mutex> lock(mu);
        failures.push_back(failure);
      },
      nullptr,
      seconds(5),
      BreakerOptions{.eject_after = 0},
      nullptr};
  auto peer = std::make_shared<HttpPeer>(runtime.impl(), ParsePeerUrl(url).value(), std::move(options));
  Result<ByteView> result = Fetch(runtime, *peer, "k");
  *status = result.status();
  std::lock_guard<std::mutex> lock(mu);
  if (result.ok() || failures.size() != 1) return PeerFailure::kNone;
  EXPECT_EQ(peer->health().last_failure, failures[0]);
  return failures[0];
}

// A peer that streams a chunked body forever, one chunk per Write, until the
// client closes the connection (or 60 s pass). Records when the client went.
struct EndlessStream {
  explicit EndlessStream(std::string chunk) : chunk(std::move(chunk)) {}
  void operator()(ScriptedConnection& c) {
    if (c.ReadRequest().empty()) return;
    if (!c.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")) return;
    const auto until = Clock::now() + seconds(60);
    while (Clock::now() < until && c.Write(chunk)) {
    }
    client_closed_after_ns = (Clock::now() - (until - seconds(60))).count();
    closed.count_down();
  }
  const std::string chunk;
  std::atomic<int64_t> client_closed_after_ns{0};
  std::latch closed{1};
};

// The deadline bounds the whole fetch, so a peer that always has the next
// bytes ready (here: chunks with 4,000-byte extensions, or 1-byte chunks, as
// fast as it can write) cannot hold a fetch, its waiters, and a CPU beyond
// it. The bounds asserted are the deadline plus several seconds of slack:
// not a measurement, but what separates "ends at the deadline" from "ends
// when the peer stops" (60 s here; forever in the field).
void ExpectDeadlineHolds(Runtime& runtime, std::shared_ptr<HttpPeer> peer, EndlessStream& stream) {
  Clock::duration took{};
  Result<ByteView> result = Fetch(runtime, *peer, "k", &took);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kDeadlineExceeded) << result.status().ToString();
  EXPECT_LT(took, seconds(5)) << "the fetch outlived its 300 ms deadline";
  // ...and the connection was closed at the deadline, not left streaming.
  stream.closed.wait();
  EXPECT_LT(stream.client_closed_after_ns.load(), std::chrono::nanoseconds(seconds(5)).count());
}

TEST_F(HttpClientTest, DeadlineBoundsAStreamOfLongChunkExtensions) {
  EndlessStream stream("1;" + std::string(4000, 'e') + "\r\nx\r\n");
  ScriptedPeer fake([&stream](ScriptedConnection& c) { stream(c); });
  ExpectDeadlineHolds(*runtime_, PeerFor(fake.url(), milliseconds(300)), stream);
}

TEST_F(HttpClientTest, DeadlineBoundsAStreamOfOneByteChunks) {
  std::string chunks;
  for (int i = 0; i < 1000; ++i) chunks += "1\r\nx\r\n";
  EndlessStream stream(chunks);
  ScriptedPeer fake([&stream](ScriptedConnection& c) { stream(c); });
  // A cap high enough that the deadline, not the body size, ends it.
  ExpectDeadlineHolds(*runtime_, PeerFor(fake.url(), milliseconds(300), 256 << 20), stream);
}

TEST_F(HttpClientTest, DeadlineBoundsAHeadThatNeverEnds) {
  ScriptedPeer fake([](ScriptedConnection& c) {
    if (c.ReadRequest().empty()) return;
    c.Write("HTTP/1.1 200 OK\r\n");
    while (c.Write("X: y\r\n") && !c.stopping()) std::this_thread::sleep_for(milliseconds(5));
  });
  Clock::duration took{};
  Result<ByteView> result = Fetch(*runtime_, *PeerFor(fake.url(), milliseconds(300)), "k", &took);
  ASSERT_FALSE(result.ok());
  // Either the deadline or the 16 KiB head limit ends it, whichever is first.
  EXPECT_TRUE(result.status().code() == StatusCode::kDeadlineExceeded ||
              result.status().code() == StatusCode::kUnavailable)
      << result.status().ToString();
  EXPECT_LT(took, seconds(5));
}

// A body of declared length is read straight into the value's buffer, not
// through Beast's parser: the same bounds must hold there.
TEST_F(HttpClientTest, DeadlineBoundsADeclaredBodyThatTrickles) {
  std::atomic<bool> client_gone{false};
  ScriptedPeer fake([&client_gone](ScriptedConnection& c) {
    if (c.ReadRequest().empty()) return;
    c.Write("HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n\x0a\x80\x80\x40");
    const auto until = Clock::now() + seconds(60);
    while (Clock::now() < until && !c.ClientGone() && c.Write("x"))
      std::this_thread::sleep_for(milliseconds(5));
    client_gone = true;
  });
  Clock::duration took{};
  Result<ByteView> result = Fetch(*runtime_, *PeerFor(fake.url(), milliseconds(300), 2 << 20), "k", &took);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kDeadlineExceeded) << result.status().ToString();
  EXPECT_LT(took, seconds(5)) << "the fetch outlived its 300 ms deadline";
}

TEST_F(HttpClientTest, ADeclaredBodyCutShortIsAFailureNotAValue) {
  std::string reply = GetResponseReply(std::string(1000, 'v'));
  reply.resize(reply.size() - 10);  // the peer dies ten bytes short
  ScriptedPeer fake([&reply](ScriptedConnection& c) {
    if (c.ReadRequest().empty()) return;
    c.Write(reply);
  });
  Status status;
  EXPECT_EQ(FailureOf(*runtime_, fake.url(), &status), PeerFailure::kReset) << status.ToString();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();
  EXPECT_NE(status.message().find("partial message"), std::string::npos) << status.ToString();
}

TEST_F(HttpClientTest, ALargeValueArrivesWholeWhateverTheWritesLookLike) {
  // 1 MiB and 3 bytes of a pattern no shifted copy matches, written in
  // pieces of odd sizes, the head split across writes too.
  std::string value(size_t{1} << 20 | 3, '\0');
  for (size_t i = 0; i < value.size(); ++i) value[i] = static_cast<char>((i * 7 + i / 251) & 0xff);
  const std::string reply = GetResponseReply(value);
  ScriptedPeer fake([&reply](ScriptedConnection& c) {
    for (;;) {
      if (c.ReadRequest().empty()) return;
      size_t at = 0;
      for (size_t piece = 7; at < reply.size(); piece = piece * 3 % 70001 + 1) {
        const size_t n = std::min(piece, reply.size() - at);
        if (!c.Write(std::string_view(reply).substr(at, n))) return;
        at += n;
      }
    }
  });
  std::shared_ptr<HttpPeer> peer = PeerFor(fake.url(), seconds(20), 4 << 20);
  for (int i = 0; i < 3; ++i) {  // the second and third on the kept-alive connection
    Result<ByteView> result = Fetch(*runtime_, *peer, "k");
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result->size(), value.size());
    EXPECT_TRUE(result->view() == value) << "the value arrived altered";
  }
  EXPECT_EQ(fake.connections(), 1);
}

TEST_F(HttpClientTest, AChunkSizeLineThatNeverEndsIsRefusedAtTheFramingLimit) {
  // No deadline involved: the chunk-size line outgrows the read buffer.
  ScriptedPeer fake([](ScriptedConnection& c) {
    if (c.ReadRequest().empty()) return;
    c.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;");
    const std::string more(4096, 'e');
    while (c.Write(more)) {
    }
  });
  Result<ByteView> result = Fetch(*runtime_, *PeerFor(fake.url(), seconds(30)), "k");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable) << result.status().ToString();
  EXPECT_NE(result.status().message().find("framing"), std::string::npos) << result.status().ToString();
}

// A peer that answers each request honestly, then, once the client has the
// answer, sends a second, unsolicited response (as a confused or hostile
// peer might) on the same connection. The next request must never take those
// bytes as its answer: the connection is closed instead of reused.
TEST_F(HttpClientTest, StrayBytesOnAnIdleConnectionAreNeverReadAsAnAnswer) {
  Tally strays;
  ScriptedPeer fake([&](ScriptedConnection& c) {
    for (std::string target = c.ReadRequest(); !target.empty(); target = c.ReadRequest()) {
      if (!c.Write(GetResponseReply(HonestValue(target)))) return;
      // Give the client time to take the answer and pool the connection.
      std::this_thread::sleep_for(milliseconds(50));
      if (!c.Write(GetResponseReply("STRAY"))) return;
      strays.Add();
    }
  });
  auto peer = PeerFor(fake.url(), seconds(5));
  for (int i = 0; i < 16; ++i) {
    const std::string key = "key-" + std::to_string(i);
    Result<ByteView> value = Fetch(*runtime_, *peer, key);
    ASSERT_TRUE(value.ok()) << value.status().ToString();
    EXPECT_EQ(value->view(), HonestValue("/_groupcache/g/" + key));
    // The stray bytes are on their way (in the client's socket) before the
    // next request is made.
    ASSERT_TRUE(strays.WaitFor(i + 1));
  }
  // Every stray closed the connection it arrived on.
  EXPECT_EQ(fake.connections(), 16);
}

// Stray bytes on a connection that stays idle (the pool keeps taking a newer
// one) get it closed too: the pool sweeps connections with unread bytes as it
// is used, at most once a second, so they do not linger until taken.
TEST_F(HttpClientTest, AnIdleConnectionThatGetsStrayBytesIsClosedAsThePoolIsUsed) {
  Tally strays, holds;
  std::latch stray_connection_closed(1);
  ScriptedPeer fake([&](ScriptedConnection& c) {
    for (std::string target = c.ReadRequest(); !target.empty(); target = c.ReadRequest()) {
      const bool stray = target.ends_with("/stray");
      if (target.ends_with("/hold")) holds.Add();
      // Hold the other answer so the two fetches need two connections.
      if (!stray) std::this_thread::sleep_for(milliseconds(200));
      if (!c.Write(GetResponseReply(HonestValue(target)))) return;
      if (stray) {
        std::this_thread::sleep_for(milliseconds(50));
        if (!c.Write(GetResponseReply("STRAY"))) return;
        strays.Add();
        // The client never asks anything more on this connection: the next
        // read ends when it closes the connection (or after the test).
        c.ReadRequest();
        stray_connection_closed.count_down();
        return;
      }
    }
  });
  auto peer = PeerFor(fake.url(), seconds(5));
  // Both on loop 0, at once: two connections, and the stray one goes back to
  // the pool first, so the newer, clean one is taken next.
  std::thread other([&] { EXPECT_TRUE(Fetch(*runtime_, *peer, "hold").ok()); });
  const bool held = holds.WaitFor(1);  // "hold" has its connection, busy
  const bool stray_ok = held && Fetch(*runtime_, *peer, "stray").ok();
  other.join();
  ASSERT_TRUE(held);
  ASSERT_TRUE(stray_ok);
  ASSERT_TRUE(strays.WaitFor(1));
  // Use the pool a few times, past the once-a-second sweep.
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(milliseconds(600));
    Result<ByteView> value = Fetch(*runtime_, *peer, "k" + std::to_string(i));
    ASSERT_TRUE(value.ok()) << value.status().ToString();
    EXPECT_EQ(value->view(), HonestValue("/_groupcache/g/k" + std::to_string(i)));
  }
  // The fake notices the close on its own thread, polling every 50 ms.
  EXPECT_TRUE(testing::Eventually([&] { return stray_connection_closed.try_wait(); }))
      << "the connection that got stray bytes was left open in the pool";
  EXPECT_EQ(fake.connections(), 2);
}

TEST_F(HttpClientTest, BytesAfterTheResponseInTheSameSegmentKeepTheConnectionOutOfThePool) {
  ScriptedPeer fake([&](ScriptedConnection& c) {
    for (std::string target = c.ReadRequest(); !target.empty(); target = c.ReadRequest()) {
      if (!c.Write(GetResponseReply(HonestValue(target)) + GetResponseReply("STRAY"))) return;
    }
  });
  auto peer = PeerFor(fake.url(), seconds(5));
  for (int i = 0; i < 8; ++i) {
    const std::string key = "key-" + std::to_string(i);
    Result<ByteView> value = Fetch(*runtime_, *peer, key);
    ASSERT_TRUE(value.ok()) << value.status().ToString();
    EXPECT_EQ(value->view(), HonestValue("/_groupcache/g/" + key));
  }
  EXPECT_EQ(fake.connections(), 8);
}

TEST_F(HttpClientTest, AnHonestPeerKeepsItsConnectionAlive) {
  ScriptedPeer fake([&](ScriptedConnection& c) {
    for (std::string target = c.ReadRequest(); !target.empty(); target = c.ReadRequest()) {
      if (!c.Write(GetResponseReply(HonestValue(target)))) return;
    }
  });
  auto peer = PeerFor(fake.url(), seconds(5));
  for (int i = 0; i < 8; ++i) {
    Result<ByteView> value = Fetch(*runtime_, *peer, "k" + std::to_string(i));
    ASSERT_TRUE(value.ok()) << value.status().ToString();
  }
  // Fetches from a thread outside the runtime spread over its two loops,
  // each with its own idle pool: at most one connection per loop.
  EXPECT_LE(fake.connections(), 2);
}

TEST_F(HttpClientTest, AnIdleConnectionThePeerClosesIsDroppedNotReused) {
  ScriptedPeer fake([&](ScriptedConnection& c) {
    std::string target = c.ReadRequest();
    // Answer, then close: the client's pooled connection sees EOF.
    if (!target.empty()) c.Write(GetResponseReply(HonestValue(target)));
  });
  auto peer = PeerFor(fake.url(), seconds(5));
  for (int i = 0; i < 4; ++i) {
    const std::string key = "k" + std::to_string(i);
    Result<ByteView> value = Fetch(*runtime_, *peer, key);
    ASSERT_TRUE(value.ok()) << value.status().ToString();
    EXPECT_EQ(value->view(), HonestValue("/_groupcache/g/" + key));
  }
  EXPECT_EQ(fake.connections(), 4);
}

// A peer that accepts TCP but never speaks TLS, as a frozen process whose
// kernel still completes handshakes: the connect timeout, not the request
// deadline, ends the fetch.
TEST_F(HttpClientTest, APortNobodyListensOnIsRefused) {
  // A bound socket that never listens holds the port: connecting gets a reset.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  Status status;
  EXPECT_EQ(FailureOf(*runtime_, "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)), &status),
            PeerFailure::kRefused)
      << status.ToString();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();
  ::close(fd);
}

TEST_F(HttpClientTest, APeerThatClosesWithoutAnAnswerIsAReset) {
  ScriptedPeer fake([](ScriptedConnection& c) { c.ReadRequest(); });
  Status status;
  EXPECT_EQ(FailureOf(*runtime_, fake.url(), &status), PeerFailure::kReset) << status.ToString();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();
}

TEST_F(HttpClientTest, ConnectTimeoutBoundsATlsHandshakeThatNeverEnds) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("gc_client_connect_" + std::to_string(::getpid()));
  testing::TestPki pki(dir, "test-ca");
  testing::Issued cert = pki.Issue("peer", "IP:127.0.0.1");
  // Accepts, then reads nothing and sends nothing.
  ScriptedPeer fake([](ScriptedConnection& c) { c.WaitForClientClose(seconds(60)); });
  TlsOptions tls{pki.ca_file(), cert.cert_file, cert.key_file, ""};
  PeerClientOptions options{"/_groupcache/",
                            seconds(30),
                            1 << 20,
                            8,
                            std::make_shared<TlsContextCell>(MakeTlsContext(tls, TlsRole::kClient).value()),
                            nullptr,
                            nullptr,
                            milliseconds(200),
                            BreakerOptions{},
                            nullptr};
  auto peer = std::make_shared<HttpPeer>(
      runtime_->impl(), ParsePeerUrl("https://127.0.0.1:" + std::to_string(fake.port())).value(),
      std::move(options));
  Clock::duration took{};
  Result<ByteView> result = Fetch(*runtime_, *peer, "k", &took);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kDeadlineExceeded) << result.status().ToString();
  EXPECT_NE(result.status().message().find("connect timeout of 200 ms exceeded while TLS handshake"),
            std::string::npos)
      << result.status().ToString();
  EXPECT_LT(took, seconds(15)) << "the connect timeout did not end the fetch";
  EXPECT_EQ(peer->health().consecutive_failures, 1u);
  EXPECT_EQ(peer->health().last_failure, PeerFailure::kConnectTimeout);
}

// A TLS peer presenting `presented` (signed by `presented_ca`) to a client
// that trusts `trusted_ca`: the fetch fails with kTls, and its message
// names why (`words`).
void ExpectTlsRefused(Runtime& runtime, const std::string& trusted_ca, const testing::Issued& presented,
                      const testing::Issued& client_cert, const std::string& words) {
  ScriptedPeer fake([](ScriptedConnection& c) { c.WaitForClientClose(seconds(10)); }, presented.cert_file,
                    presented.key_file);
  std::mutex mu;
  std::vector<PeerFailure> failures;
  TlsOptions tls{trusted_ca, client_cert.cert_file, client_cert.key_file, ""};
  PeerClientOptions options{
      "/_groupcache/",
      seconds(10),
      1 << 20,
      8,
      std::make_shared<TlsContextCell>(MakeTlsContext(tls, TlsRole::kClient).value()),
      [&](std::string_view, std::chrono::nanoseconds, const Status&, PeerFailure failure) {
        std::lock_guard<std::mutex> lock(mu);
        failures.push_back(failure);
      },
      nullptr,
      seconds(5),
      BreakerOptions{},
      nullptr};
  auto peer =
      std::make_shared<HttpPeer>(runtime.impl(), ParsePeerUrl(fake.url()).value(), std::move(options));
  Result<ByteView> result = Fetch(runtime, *peer, "k");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("TLS handshake"), std::string::npos) << result.status().ToString();
  EXPECT_NE(result.status().message().find(words), std::string::npos) << result.status().ToString();
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(failures, std::vector<PeerFailure>{PeerFailure::kTls});
  EXPECT_EQ(peer->health().last_failure, PeerFailure::kTls);
}

TEST_F(HttpClientTest, ARefusedCertificateIsATlsFailureThatSaysWhy) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("gc_client_verify_" + std::to_string(::getpid()));
  testing::TestPki pki(dir / "ours", "test-ca");
  testing::TestPki stranger(dir / "theirs", "stranger-ca");
  testing::Issued ours = pki.Issue("client", "IP:127.0.0.1");
  {
    SCOPED_TRACE("signed by another CA");
    ExpectTlsRefused(*runtime_, pki.ca_file(), stranger.Issue("peer", "IP:127.0.0.1"), ours,
                     "(unknown CA: unable to get local issuer certificate)");
  }
  {
    SCOPED_TRACE("expired");
    ExpectTlsRefused(*runtime_, pki.ca_file(),
                     pki.Issue("peer", "IP:127.0.0.1",
                               testing::Validity{std::chrono::hours(-48), std::chrono::hours(-24)}),
                     ours, "(expired: certificate has expired)");
  }
  {
    SCOPED_TRACE("names another host");
    ExpectTlsRefused(*runtime_, pki.ca_file(), pki.Issue("peer", "DNS:elsewhere.example,IP:10.9.9.9"), ours,
                     "(name mismatch: ");
  }
  std::filesystem::remove_all(dir);
}

TEST_F(HttpClientTest, StrayBytesOverTlsAreNeverReadAsAnAnswer) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("gc_client_tls_" + std::to_string(::getpid()));
  testing::TestPki pki(dir, "test-ca");
  testing::Issued cert = pki.Issue("peer", "IP:127.0.0.1");
  Tally strays;
  ScriptedPeer fake(
      [&](ScriptedConnection& c) {
        for (std::string target = c.ReadRequest(); !target.empty(); target = c.ReadRequest()) {
          // Glued to the answer, or 50 ms after it, alternately.
          const bool glued = strays.count() % 2 == 0;
          if (glued && !c.Write(GetResponseReply(HonestValue(target)) + GetResponseReply("STRAY"))) return;
          if (!glued) {
            if (!c.Write(GetResponseReply(HonestValue(target)))) return;
            std::this_thread::sleep_for(milliseconds(50));
            if (!c.Write(GetResponseReply("STRAY"))) return;
          }
          strays.Add();
        }
      },
      cert.cert_file, cert.key_file);
  TlsOptions client{pki.ca_file(), cert.cert_file, cert.key_file, ""};
  auto peer = PeerFor(fake.url(), seconds(5), 1 << 20, MakeTlsContext(client, TlsRole::kClient).value());
  for (int i = 0; i < 8; ++i) {
    const std::string key = "key-" + std::to_string(i);
    Result<ByteView> value = Fetch(*runtime_, *peer, key);
    ASSERT_TRUE(value.ok()) << value.status().ToString();
    EXPECT_EQ(value->view(), HonestValue("/_groupcache/g/" + key));
    ASSERT_TRUE(strays.WaitFor(i + 1));
  }
  EXPECT_EQ(fake.connections(), 8);
  std::filesystem::remove_all(dir);
}

// A peer that declares a large body and then sends it slowly: each fetch
// holds its body's bytes (leased when the first body byte arrives) until it
// ends.
struct SlowLargeBody {
  void operator()(ScriptedConnection& c) {
    if (c.ReadRequest().empty()) return;
    c.Write("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(3 << 20) + "\r\n\r\n" +
            std::string(1024, 'v'));
    c.WaitForClientClose(seconds(30));
  }
};

TEST_F(HttpClientTest, ResponseBytesInFlightAreCappedInAggregate) {
  runtime_ = std::make_unique<Runtime>(
      RuntimeOptions{.io_threads = 2, .worker_threads = 2, .max_response_bytes_in_flight = 8 << 20});
  ScriptedPeer fake([](ScriptedConnection& c) { SlowLargeBody()(c); });
  auto peer = PeerFor(fake.url(), seconds(2), 4 << 20);
  // Six fetches of a 3 MiB body at once: two fit in 8 MiB, the others are
  // refused as soon as their head arrives, without waiting for the deadline.
  std::vector<std::future<Result<ByteView>>> results;
  for (int i = 0; i < 6; ++i) {
    results.push_back(std::async(std::launch::async,
                                 [this, &peer, i] { return Fetch(*runtime_, *peer, std::to_string(i)); }));
  }
  int over_budget = 0;
  int deadline = 0;
  for (auto& result : results) {
    Result<ByteView> r = result.get();
    ASSERT_FALSE(r.ok());
    if (r.status().code() == StatusCode::kResourceExhausted) {
      ++over_budget;
      EXPECT_NE(r.status().message().find("in flight"), std::string::npos) << r.status().ToString();
    }
    if (r.status().code() == StatusCode::kDeadlineExceeded) ++deadline;
  }
  EXPECT_EQ(over_budget, 4);
  EXPECT_EQ(deadline, 2);
  EXPECT_EQ(runtime_->response_budget().in_use(), 0u);  // every lease given back
}

TEST_F(HttpClientTest, AChunkedBodyStopsAtTheBudgetAsItGrows) {
  runtime_ = std::make_unique<Runtime>(
      RuntimeOptions{.io_threads = 1, .worker_threads = 1, .max_response_bytes_in_flight = 1 << 20});
  ScriptedPeer fake([](ScriptedConnection& c) {
    if (c.ReadRequest().empty()) return;
    c.Write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    const std::string chunk = "10000\r\n" + std::string(0x10000, 'v') + "\r\n";
    while (c.Write(chunk)) {
    }
  });
  // The per-response cap (64 MiB) is not what stops it; the 1 MiB budget is.
  Result<ByteView> result = Fetch(*runtime_, *PeerFor(fake.url(), seconds(30), 64 << 20), "k");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted) << result.status().ToString();
  EXPECT_EQ(runtime_->response_budget().in_use(), 0u);
  EXPECT_GE(runtime_->response_budget().refusals(), 1u);
}

// Shutdown cancels a fetch stuck on a peer that never answers, and its
// callback runs (with Unavailable) before Shutdown returns, while everything
// the callback may touch still exists.
TEST_F(HttpClientTest, ShutdownCancelsAPendingFetchAndAnswersIt) {
  std::latch accepted(1);
  ScriptedPeer fake([&accepted](ScriptedConnection& c) {
    accepted.count_down();
    c.WaitForClientClose(seconds(60));
  });
  auto peer = PeerFor(fake.url(), seconds(60));
  std::atomic<bool> answered{false};
  Status status;
  peer->Get("g", "k", [&](Result<ByteView> result) {
    status = result.status();
    answered = true;
  });
  accepted.wait();
  runtime_->Shutdown();
  EXPECT_TRUE(answered) << "the fetch was left pending past Shutdown";
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();
  // After Shutdown a fetch is refused at once.
  Status late;
  peer->Get("g", "late", [&late](Result<ByteView> result) { late = result.status(); });
  EXPECT_EQ(late.code(), StatusCode::kUnavailable);
}

// groupcached's order: the registry (and its groups) goes before the
// runtime, with a fetch still pending on a frozen peer. Before the fix the
// fetch's callback ran, at the runtime's destruction, into the freed group.
TEST_F(HttpClientTest, GroupsDestroyedBeforeTheRuntimeWithAFetchPending) {
  std::latch accepted(1);
  ScriptedPeer fake([&accepted](ScriptedConnection& c) {
    accepted.count_down();
    c.WaitForClientClose(seconds(60));
  });
  auto registry = std::make_unique<GroupRegistry>(&runtime_->workers());
  std::atomic<int> loads{0};
  Group* group = registry
                     ->NewGroup("g", 1 << 20, MakeGetter([&loads](std::string_view, Sink& dest) {
                                  ++loads;
                                  dest.SetString("local");
                                  return Status::Ok();
                                }))
                     .value();
  auto server = HttpServer::Listen(*runtime_, {}).value();
  const std::string self = "http://127.0.0.1:" + std::to_string(server->port());
  HttpPoolOptions pool_options;
  pool_options.request_timeout = seconds(60);
  auto pool = HttpPool::Create(*runtime_, *registry, self, pool_options).value();
  const std::vector<std::string> peers = {self, fake.url()};
  ASSERT_TRUE(pool->Set(peers).ok());
  registry->SetPeerPicker(pool);
  std::string key;
  for (int i = 0; key.empty(); ++i) {
    HashRing ring;
    ring.Add(peers);
    if (ring.Get("k" + std::to_string(i)) == fake.url()) key = "k" + std::to_string(i);
  }
  std::atomic<int> answers{0};
  group->GetAsync(key, [&answers](Result<ByteView>) { ++answers; });
  accepted.wait();
  server->Stop();
  server.reset();
  registry->SetPeerPicker(nullptr);
  pool.reset();
  registry.reset();  // the group goes while its fetch is pending
  runtime_->Shutdown();
  runtime_.reset();
  EXPECT_EQ(answers, 1);
  EXPECT_EQ(loads, 0);  // no load started during shutdown
}

}  // namespace
}  // namespace groupcache::internal
