// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http/client.h"

#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cerrno>
#include <optional>
#include <tuple>

#include "http/bounded_read.h"
#include "http/escape.h"
#include "http/ring_fingerprint.h"
#include "http/tls_context.h"
#include "http/wire.h"

namespace groupcache::internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr uint32_t kMaxResponseHeaderBytes = 16 * 1024;

// A reused keep-alive connection may have been closed by the peer just
// before we wrote; such a failure is worth one retry on a new connection.
bool IsStaleConnection(const beast::error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe || ec == asio::error::eof;
}

// Classifies a socket or parser error of a fetch whose deadline has not
// passed.
PeerFailure ClassifyExchangeError(const beast::error_code& ec) {
  if (ec == asio::error::connection_refused) return PeerFailure::kRefused;
  if (IsStaleConnection(ec) || ec == asio::error::connection_aborted) return PeerFailure::kReset;
  if (ec.category() == beast::error_code(http::error::bad_version).category()) {
    return PeerFailure::kMalformed;  // not HTTP, or a broken framing
  }
  if (ec.category() == asio::error::get_ssl_category() || ec == asio::ssl::error::stream_truncated) {
    return PeerFailure::kTls;
  }
  return PeerFailure::kOther;
}

// Writes `request` and reads the response: its head with `parser` (Beast,
// which bounds it), then its body into *body (ReadResponseBody). A body of
// declared length, every honest peer's, is read straight into the buffer
// that becomes the value: large reads, no copy. A chunked body, or one that
// runs to the end of the stream, is parsed by Beast and copied once.
template <class Stream>
asio::awaitable<beast::error_code> Exchange(Stream& stream, const http::request<http::string_body>& request,
                                            beast::flat_buffer& buffer,
                                            http::response_parser<BudgetedBody>& parser,
                                            const ReadDeadline& deadline, ByteView* body) {
  auto [ec, written] = co_await http::async_write(stream, request, kAwait);
  if (ec) co_return ec;
  parser.eager(false);  // stop after the head: its body is read below
  if (ec = co_await ReadBefore(stream, buffer, parser, deadline, /*head_only=*/true); ec) co_return ec;
  ByteView value;  // this fetch's alone until the read has filled it
  auto allocate = [&value](size_t length) {
    char* dest = nullptr;
    value = ByteView::Build(length, [&dest](char* bytes) { dest = bytes; });
    return dest;
  };
  bool declared = false;
  if (ec = co_await ReadResponseBody(stream, buffer, parser, deadline, allocate, &declared); ec) co_return ec;
  *body = declared ? std::move(value) : ByteView::CopyOf(parser.get().body().data);
  co_return beast::error_code();
}

// Why the peer's certificate was refused, in an operator's words and
// OpenSSL's ("unknown CA: unable to get local issuer certificate"); empty
// when verification did not fail (the handshake failed for another reason).
std::string CertificateVerifyFailure(SSL* ssl) {
  const long result = SSL_get_verify_result(ssl);
  if (result == X509_V_OK) return {};
  std::string kind;
  switch (result) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
      kind = "unknown CA";
      break;
    case X509_V_ERR_CERT_HAS_EXPIRED:
      kind = "expired";
      break;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      kind = "not yet valid";
      break;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      kind = "name mismatch";
      break;
    default:
      kind = "certificate refused";
  }
  return kind + ": " + X509_verify_cert_error_string(result);
}

}  // namespace

// Calls the PeerCallback exactly once: with the result, or, if the fetch is
// abandoned (its loop was destroyed before it ran), with Unavailable, so no
// waiter hangs.
class HttpPeer::Completion {
 public:
  explicit Completion(PeerCallback done) : done_(std::move(done)) {}
  ~Completion() {
    if (done_) done_(Status::Unavailable("peer fetch abandoned: the client is shutting down"));
  }
  void operator()(Result<ByteView> result) {
    PeerCallback done = std::move(done_);
    done_ = nullptr;
    if (done) done(std::move(result));
  }

 private:
  PeerCallback done_;
};

// A connection to the peer: TCP, with TLS on top for https peers.
struct HttpPeer::Connection {
  explicit Connection(asio::io_context& context) : socket(context) {}

  // True if OpenSSL holds bytes of the peer's not yet read: decrypted, or
  // records not yet decrypted.
  bool HasBufferedBytes() {
    if (!tls) return false;
    SSL* ssl = tls->native_handle();
    return SSL_pending(ssl) > 0 || BIO_ctrl_pending(SSL_get_rbio(ssl)) > 0;
  }

  // True if anything at all is waiting to be read: buffered bytes, bytes on
  // the socket, or the peer's EOF. One system call (a peek).
  bool HasUnread() {
    if (HasBufferedBytes()) return true;
    char byte;
    const ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK);  // bytes, EOF or an error
  }

  tcp::socket socket;
  // The context `tls` was made with, kept while the connection lives, and
  // its TlsContextCell generation. Before `tls`, which uses it.
  std::shared_ptr<asio::ssl::context> tls_context;
  uint64_t tls_generation = 0;
  std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls;
};

HttpPeer::HttpPeer(RuntimeImpl& runtime, PeerUrl url, PeerClientOptions options)
    : runtime_(runtime),
      url_(std::move(url)),
      options_(std::move(options)),
      idle_(runtime.size()),
      breaker_(options_.breaker,
               reinterpret_cast<uintptr_t>(this) ^
                   static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())) {}

void HttpPeer::Record(PeerBreaker::Outcome outcome, bool probe, const Status& status, PeerFailure failure) {
  const std::optional<bool> change = breaker_.Record(outcome, probe, status, failure);
  if (!change || !options_.on_state_change) return;
  if (!*change) return options_.on_state_change(url_.url, false, status, PeerFailure::kNone, {});
  const auto backoff =
      std::chrono::ceil<std::chrono::milliseconds>(breaker_.ejected_until() - PeerBreaker::Clock::now());
  options_.on_state_change(url_.url, true, status, failure, std::max(backoff, std::chrono::milliseconds(0)));
}

HttpPeer::~HttpPeer() = default;

std::string HttpPeer::Target(std::string_view group, std::string_view key) const {
  std::string target = options_.base_path;
  AppendEscaped(target, group);
  target += '/';
  AppendEscaped(target, key);
  return target;
}

void HttpPeer::Get(std::string_view group, std::string_view key, PeerCallback done) {
  Start(Request{Request::Method::kGet, Target(group, key), {}}, std::move(done));
}

void HttpPeer::Remove(std::string_view group, std::string_view key, PeerDoneCallback done) {
  if (!options_.mutations) {
    return done(Status::Unavailable("peer " + url_.url + ": changes are not sent to peers (mutations off)"));
  }
  Start(Request{Request::Method::kDelete, Target(group, key), {}},
        [done = std::move(done)](Result<ByteView> result) mutable { done(result.status()); });
}

void HttpPeer::Set(std::string_view group, std::string_view key, const ByteView& value,
                   PeerDoneCallback done) {
  if (!options_.mutations) {
    return done(Status::Unavailable("peer " + url_.url + ": changes are not sent to peers (mutations off)"));
  }
  Start(Request{Request::Method::kPut, Target(group, key), EncodeSetRequest(group, key, value)},
        [done = std::move(done)](Result<ByteView> result) mutable { done(result.status()); });
}

void HttpPeer::Purge(std::string_view group, PeerDoneCallback done) {
  if (!options_.mutations) {
    return done(Status::Unavailable("peer " + url_.url + ": changes are not sent to peers (mutations off)"));
  }
  std::string target = options_.base_path;
  AppendEscaped(target, group);
  Start(Request{Request::Method::kDelete, std::move(target), {}},
        [done = std::move(done)](Result<ByteView> result) mutable { done(result.status()); });
}

void HttpPeer::Start(Request request, PeerCallback done) {
  if (runtime_.shutting_down()) {
    return done(Status::Unavailable("fetching from peer " + url_.url + ": the client is shutting down"));
  }
  const PeerBreaker::Admission admission = breaker_.Admit();
  if (admission == PeerBreaker::Admission::kSend) {
    return Send(std::move(request), /*probe=*/false, std::move(done));
  }
  if (admission == PeerBreaker::Admission::kProbe && request.method != Request::Method::kGet) {
    // A change must be told how it went: it waits for its own probe.
    return Send(std::move(request), /*probe=*/true, std::move(done));
  }
  if (admission == PeerBreaker::Admission::kProbe) {
    // A fetch probes in the background, its answer dropped, and the caller
    // loads the key locally at once like every other fetch while the peer
    // is ejected. A probe that held its caller would hold for the whole
    // timeout every caller that singleflight joins to that key: on a busy
    // node, all of them (one frozen peer's probes stalled every client of
    // the asking node for request_timeout).
    Send(std::move(request), /*probe=*/true, [](Result<ByteView>) {});
  }
  // No network for the caller. on_fetch still hears of it, so the fetch
  // errors it counts match the group's peer errors. The group loads the
  // key locally, as after any peer error.
  const auto started = std::chrono::steady_clock::now();
  Status status = Status::Unavailable("peer " + url_.url + " ejected after " +
                                      std::to_string(options_.breaker.eject_after) +
                                      " failures in a row; skipped until a probe succeeds");
  if (options_.on_fetch) {
    options_.on_fetch(url_.url, std::chrono::steady_clock::now() - started, status, PeerFailure::kEjected);
  }
  done(std::move(status));
}

void HttpPeer::Send(Request request, bool probe, PeerCallback done) {
  const size_t loop = runtime_.PickContext();
  asio::co_spawn(runtime_.context(loop),
                 Fetch(shared_from_this(), loop, std::move(request), probe,
                       std::make_shared<Completion>(std::move(done))),
                 asio::detached);
}

// A connection may carry a request only if nothing at all is waiting on it:
// bytes that arrived while it was idle are either the peer closing it or
// bytes nobody asked for, and must never be read as the next answer. The
// check is a peek when the connection is taken, as curl does, rather than a
// read kept pending on every idle connection: asio re-arms a descriptor
// (epoll_ctl) for each such wait, and that cost 15% of the peer path's
// requests/s in kv. Connections that got bytes or EOF while idle are also
// swept out of the pool at most once a second as it is used (PutIdle), so
// they do not linger; at most max_idle_per_loop stay per loop meanwhile.
std::unique_ptr<HttpPeer::Connection> HttpPeer::TakeIdle(size_t loop) {
  auto& idle = idle_[loop].connections;
  while (!idle.empty()) {
    std::unique_ptr<Connection> connection = std::move(idle.back());
    idle.pop_back();
    // Opened with TLS material since replaced: new fetches use the new one.
    if (connection->tls && connection->tls_generation != options_.tls->generation()) continue;
    if (!connection->HasUnread()) return connection;
  }
  return nullptr;
}

// A full pool drops its oldest connection, the likeliest to be stale.
void HttpPeer::PutIdle(size_t loop, std::unique_ptr<Connection> connection) {
  IdlePool& pool = idle_[loop];
  if (options_.max_idle_per_loop == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (now >= pool.next_sweep) {
    pool.next_sweep = now + std::chrono::seconds(1);
    std::erase_if(pool.connections, [](const std::unique_ptr<Connection>& c) { return c->HasUnread(); });
  }
  if (pool.connections.size() >= options_.max_idle_per_loop) pool.connections.pop_front();
  pool.connections.push_back(std::move(connection));
}

asio::awaitable<std::unique_ptr<HttpPeer::Connection>> HttpPeer::Connect(size_t loop, ReadDeadline& deadline,
                                                                         Status* status,
                                                                         PeerFailure* failure) {
  const std::string where = "fetching from peer " + url_.url;
  // Its own deadline, within the request's: a peer that does not complete
  // a handshake is given up on early, and counts as a failure.
  ReadDeadline connect_deadline(
      runtime_.context(loop).get_executor(),
      std::min(deadline.deadline(), ReadDeadline::Clock::now() + options_.connect_timeout));
  auto passed = [&] { return deadline.passed() || connect_deadline.passed(); };
  auto on_expiry = [&](std::function<void()> action) {
    deadline.OnExpiry(action);
    connect_deadline.OnExpiry(std::move(action));
  };
  // `detail`, when not empty, replaces ec's message (a certificate refused).
  auto fail = [&](const beast::error_code& ec, std::string_view step, PeerFailure kind,
                  const std::string& detail = {}) {
    on_expiry(nullptr);
    *status = deadline.cancelled() ? Status::Unavailable(where + ": the client is shutting down")
              : deadline.passed()
                  ? Status::DeadlineExceeded(where + ": deadline of " +
                                             std::to_string(options_.request_timeout.count()) +
                                             " ms exceeded while " + std::string(step))
              : connect_deadline.passed()
                  ? Status::DeadlineExceeded(where + ": connect timeout of " +
                                             std::to_string(options_.connect_timeout.count()) +
                                             " ms exceeded while " + std::string(step))
                  : Status::Unavailable(where + ": " + std::string(step) + ": " +
                                        (detail.empty() ? ec.message() : ec.message() + " (" + detail + ")"));
    *failure = deadline.cancelled()                    ? PeerFailure::kOther
               : deadline.passed()                     ? PeerFailure::kTimeout
               : connect_deadline.passed()             ? PeerFailure::kConnectTimeout
               : ec == asio::error::connection_refused ? PeerFailure::kRefused
                                                       : kind;
    return std::unique_ptr<Connection>();
  };
  if (passed()) co_return fail({}, "resolving host", PeerFailure::kResolve);
  tcp::resolver resolver(runtime_.context(loop));
  on_expiry([&resolver] { resolver.cancel(); });
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(url_.host, url_.port, kAwait);
  on_expiry(nullptr);
  if (resolve_ec || passed()) co_return fail(resolve_ec, "resolving host", PeerFailure::kResolve);

  auto connection = std::make_unique<Connection>(runtime_.context(loop));
  if (passed()) co_return fail({}, "connecting", PeerFailure::kOther);
  on_expiry([socket = &connection->socket] {
    beast::error_code ignored;
    socket->close(ignored);
  });
  auto [connect_ec, endpoint] = co_await asio::async_connect(connection->socket, endpoints, kAwait);
  if (connect_ec || passed()) co_return fail(connect_ec, "connecting", ClassifyExchangeError(connect_ec));
  beast::error_code ignored;
  connection->socket.set_option(tcp::no_delay(true), ignored);
  if (options_.tls) {
    // The generation first: if a reload lands in between, the connection
    // is merely dropped when idle, never kept with stale material.
    connection->tls_generation = options_.tls->generation();
    connection->tls_context = options_.tls->Get();
    connection->tls =
        std::make_unique<asio::ssl::stream<tcp::socket&>>(connection->socket, *connection->tls_context);
    if (!ExpectPeerHost(connection->tls->native_handle(), url_.host)) {
      on_expiry(nullptr);
      *status = Status::InvalidArgument(where + ": cannot check the certificate for host " + url_.host);
      *failure = PeerFailure::kTls;
      co_return nullptr;
    }
    auto [handshake_ec] = co_await connection->tls->async_handshake(asio::ssl::stream_base::client, kAwait);
    if (handshake_ec || passed()) {
      co_return fail(handshake_ec, "TLS handshake", PeerFailure::kTls,
                     CertificateVerifyFailure(connection->tls->native_handle()));
    }
  }
  // The caller sets the request deadline's action next; the connect
  // deadline must no longer close this connection.
  connect_deadline.OnExpiry(nullptr);
  co_return connection;
}

asio::awaitable<void> HttpPeer::Fetch(std::shared_ptr<HttpPeer> self, size_t loop, Request peer_request,
                                      bool probe, std::shared_ptr<Completion> done) {
  using Outcome = PeerBreaker::Outcome;
  // Names the peer, never the key: this text may reach logs (on_fetch).
  const std::string where = "fetching from peer " + self->url_.url;
  const auto started = std::chrono::steady_clock::now();
  auto finish = [&](Result<ByteView> result, Outcome outcome, PeerFailure failure) {
    self->Record(outcome, probe, result.status(), failure);
    if (self->options_.on_fetch) {
      self->options_.on_fetch(self->url_.url, std::chrono::steady_clock::now() - started, result.status(),
                              failure);
    }
    (*done)(std::move(result));
  };
  ReadDeadline deadline(self->runtime_.context(loop).get_executor(),
                        started + self->options_.request_timeout);
  // Shutdown cancels the fetch through its deadline, and waits for it.
  LoopOperation operation(self->runtime_, loop, [&deadline] { deadline.Cancel(); });
  if (!operation.admitted()) {
    co_return finish(Status::Unavailable(where + ": the client is shutting down"), Outcome::kNeutral,
                     PeerFailure::kOther);
  }
  auto fail = [&](const beast::error_code& ec, std::string_view step) {
    if (deadline.cancelled()) {
      return finish(Status::Unavailable(where + ": the client is shutting down"), Outcome::kNeutral,
                    PeerFailure::kOther);
    }
    if (ec == beast::error::timeout || deadline.passed()) {
      return finish(
          Status::DeadlineExceeded(where + ": deadline of " +
                                   std::to_string(self->options_.request_timeout.count()) + " ms exceeded"),
          Outcome::kFailure, PeerFailure::kTimeout);
    }
    if (ec == BudgetedBody::OverBudget()) {
      // This process's memory limit, not the peer's fault.
      return finish(Status::ResourceExhausted(where + ": too many response bytes in flight (" +
                                              std::to_string(self->runtime_.response_budget().limit()) +
                                              " bytes in all)"),
                    Outcome::kNeutral, PeerFailure::kOther);
    }
    if (ec == http::error::body_limit) {
      return finish(Status::ResourceExhausted(where + ": response body over " +
                                              std::to_string(self->options_.max_response_bytes) + " bytes"),
                    Outcome::kFailure, PeerFailure::kMalformed);
    }
    if (ec == http::error::buffer_overflow) {
      return finish(Status::Unavailable(where + ": response framing (a chunk-size line) over " +
                                        std::to_string(kMaxResponseFramingBytes) + " bytes"),
                    Outcome::kFailure, PeerFailure::kMalformed);
    }
    finish(Status::Unavailable(where + ": " + std::string(step) + ": " + ec.message()), Outcome::kFailure,
           ClassifyExchangeError(ec));
  };

  const bool get = peer_request.method == Request::Method::kGet;
  http::request<http::string_body> request{get ? http::verb::get
                                           : peer_request.method == Request::Method::kDelete
                                               ? http::verb::delete_
                                               : http::verb::put,
                                           peer_request.target, 11};
  if (peer_request.method == Request::Method::kPut) {
    request.set(http::field::content_type, "application/x-protobuf");
    request.body() = std::move(peer_request.body);
    request.prepare_payload();
  }
  request.set(http::field::host, self->url_.host_header);
  request.set(http::field::user_agent, "groupcache-cpp/0.1");
  if (self->options_.ring) {
    const std::array<char, 16> ring = self->options_.ring->Hex();
    request.set(kRingHeader, std::string_view(ring.data(), ring.size()));
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    // Only the first attempt may take an idle connection: if that one had
    // been closed by the peer, the retry must not find another stale one.
    std::unique_ptr<Connection> connection = attempt == 0 ? self->TakeIdle(loop) : nullptr;
    const bool reused = connection != nullptr;
    if (!connection) {
      Status status;
      PeerFailure failure = PeerFailure::kOther;
      connection = co_await self->Connect(loop, deadline, &status, &failure);
      if (!connection) {
        // Shutdown, or a TLS setup error of this process's: not the peer's.
        const bool peers_fault = !deadline.cancelled() && status.code() != StatusCode::kInvalidArgument;
        co_return finish(std::move(status), peers_fault ? Outcome::kFailure : Outcome::kNeutral, failure);
      }
    }
    deadline.OnExpiry([socket = &connection->socket] {
      beast::error_code ignored;
      socket->close(ignored);
    });

    // The response (and the budget its body holds) is gone before the
    // callback runs: the callback may start other fetches.
    beast::flat_buffer buffer(kMaxResponseFramingBytes);
    std::optional<http::response_parser<BudgetedBody>> parser(std::in_place);
    parser->header_limit(kMaxResponseHeaderBytes);
    parser->body_limit(self->options_.max_response_bytes);
    parser->get().body().lease = ByteBudget::Lease(&self->runtime_.response_budget());
    ByteView body;
    beast::error_code ec =
        connection->tls ? co_await Exchange(*connection->tls, request, buffer, *parser, deadline, &body)
                        : co_await Exchange(connection->socket, request, buffer, *parser, deadline, &body);
    if (!ec && deadline.passed()) ec = beast::error::timeout;
    if (ec) {
      parser.reset();
      connection.reset();
      if (reused && attempt == 0 && IsStaleConnection(ec) && !deadline.passed()) continue;
      co_return fail(ec, "exchanging request and response");
    }
    deadline.OnExpiry(nullptr);
    const auto& response = parser->get();
    if (self->options_.ring) {
      if (auto it = response.find(kRingHeader); it != response.end()) self->options_.ring->Check(it->value());
    }
    // Reused only at an exact response boundary with nothing unread. Bytes
    // still on the socket are found by the idle watch or, at the latest,
    // when the connection is taken (one peek per fetch, not two).
    if (response.keep_alive() && buffer.size() == 0 && !connection->HasBufferedBytes()) {
      self->PutIdle(loop, std::move(connection));
    }
    Result<ByteView> value =
        Status::Unavailable(where + ": server returned: " + std::to_string(response.result_int()) + " " +
                            std::string(response.reason()));
    // 500 is what a peer answers for its getter's errors (Go does the
    // same): the peer works, the key does not. 502-504 are a proxy or the
    // peer saying it cannot serve at all.
    const unsigned code = response.result_int();
    Outcome outcome = code >= 502 && code <= 504 ? Outcome::kFailure : Outcome::kAlive;
    PeerFailure failure = PeerFailure::kHttpStatus;
    if (code == 200 && !get) {
      failure = PeerFailure::kNone;
      value = ByteView();  // DELETE and PUT: the 200 is the answer
    } else if (code == 200) {
      failure = PeerFailure::kNone;
      value = DecodeGetResponse(body);
      if (!value.ok()) {
        value = Status::Unavailable(where + ": decoding response body: " + value.status().message());
        outcome = Outcome::kFailure;
        failure = PeerFailure::kMalformed;
      } else if (value->size() + 64 < body.size()) {
        // Don't let a small value pin a large response buffer in the cache.
        value = ByteView::CopyOf(value->view()).WithExpiry(value->expire_unix_nanos());
      }
    }
    parser.reset();
    co_return finish(std::move(value), outcome, failure);
  }
}

}  // namespace groupcache::internal
