// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The http source: a bounded HTTP(S) client of an origin, on Boost.Beast and
// OpenSSL. The only daemon file that includes them.
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <charconv>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "core/mutex.h"
#include "http/bounded_read.h"
#include "origin_url.h"
#include "sources.h"

namespace groupcached {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using groupcache::ByteView;
using groupcache::Getter;
using groupcache::Result;
using groupcache::Sink;
using groupcache::Status;
using Clock = std::chrono::steady_clock;
namespace internal_read = groupcache::internal;
using groupcache::internal::CondVar;
using groupcache::internal::Mutex;
using groupcache::internal::MutexLock;
using internal_read::BudgetedBody;
using internal_read::ReadDeadline;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);
constexpr uint32_t kMaxResponseHeaderBytes = 16 * 1024;
constexpr std::string_view kKeyPlaceholder = "{key}";

using internal::ParseUrl;
using internal::ResolveRedirect;
using internal::Url;

bool IsIpLiteral(const std::string& host) {
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// What one request to the origin came to.
struct Exchange {
  Status status;         // OK with a body, or the failure
  std::string body;      // the value when status is OK and location is empty
  std::string location;  // set for a redirect

  static Exchange Failed(Status status) { return {std::move(status), {}, {}}; }
  static Exchange Value(std::string body) { return {Status::Ok(), std::move(body), {}}; }
  static Exchange Redirect(std::string location) { return {Status::Ok(), {}, std::move(location)}; }
};

// Where a fetch's outcome is left for the getter waiting on it. Shared, as a
// getter that gave up at its deadline no longer waits.
struct FetchState {
  Mutex mu;
  CondVar cv;
  bool done GUARDED_BY(mu) = false;
  Status status GUARDED_BY(mu);
  std::string body GUARDED_BY(mu);

  void Finish(Status s, std::string b = {}) EXCLUDES(mu) {
    MutexLock lock(mu);
    status = std::move(s);
    body = std::move(b);
    done = true;
    cv.NotifyOne();
  }
};

class HttpSource final : public Getter {
 public:
  HttpSource(HttpSourceOptions options, Url base, std::vector<std::string> pieces)
      : options_(std::move(options)),
        base_(std::move(base)),
        pieces_(std::move(pieces)),
        ssl_(ssl::context::tls_client),
        work_(asio::make_work_guard(io_)) {}

  ~HttpSource() override {
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  Status Init() {
    SSL_CTX_set_min_proto_version(ssl_.native_handle(), TLS1_2_VERSION);
    beast::error_code ec;
    if (options_.ca_file.empty()) {
      ssl_.set_default_verify_paths(ec);
      if (ec) return Status::InvalidArgument("loading the system CAs: " + ec.message());
    } else {
      ssl_.load_verify_file(options_.ca_file, ec);
      if (ec) return Status::InvalidArgument("loading CA file \"" + options_.ca_file + "\": " + ec.message());
    }
    ssl_.set_verify_mode(ssl::verify_peer);
    thread_ = std::thread([this] { io_.run(); });
    return Status::Ok();
  }

  Status Get(std::string_view key, Sink& dest) override {
    if (Status valid = CheckKey(key); !valid.ok()) return valid;
    Url url = base_;
    url.target = pieces_[0];
    for (size_t i = 1; i < pieces_.size(); ++i) {
      internal::AppendKeyEscaped(url.target, key);
      url.target += pieces_[i];
    }
    const Clock::time_point deadline = Clock::now() + options_.timeout;
    auto state = std::make_shared<FetchState>();
    asio::co_spawn(io_, Fetch(std::move(url), deadline, state), asio::detached);

    MutexLock lock(state->mu);
    // The fetch's sockets expire at the same deadline; waiting here as well
    // bounds the one step they cannot: a name lookup stuck in getaddrinfo.
    while (!state->done && state->cv.WaitUntil(state->mu, deadline)) {
    }
    if (!state->done) return DeadlineError(base_);
    if (!state->status.ok()) return state->status;
    dest.SetString(state->body);
    return Status::Ok();
  }

 private:
  static Status CheckKey(std::string_view key) {
    if (key.empty()) return Status::InvalidArgument("empty key");
    for (size_t start = 0; start <= key.size();) {
      size_t slash = key.find('/', start);
      if (slash == std::string_view::npos) slash = key.size();
      const std::string_view segment = key.substr(start, slash - start);
      if (segment.empty() || segment == "." || segment == "..") {
        return Status::InvalidArgument("empty, \".\" or \"..\" path segment in key");
      }
      start = slash + 1;
    }
    return Status::Ok();
  }

  Status DeadlineError(const Url& url) const {
    return Status::DeadlineExceeded("origin " + url.origin() + ": no complete answer within " +
                                    std::to_string(options_.timeout.count()) + " ms");
  }

  // A timeout, or any failure once the deadline has passed, is the deadline's
  // doing; anything else is the network's or the origin's.
  Status NetworkError(const Url& url, const ReadDeadline& deadline, const beast::error_code& ec,
                      std::string_view step) const {
    if (ec == beast::error::timeout || deadline.passed()) return DeadlineError(url);
    if (ec == BudgetedBody::OverBudget()) {
      return Status::ResourceExhausted("origin " + url.origin() +
                                       ": too many response bytes in flight; try again later");
    }
    if (ec == http::error::buffer_overflow) {
      return Status::Unavailable("origin " + url.origin() + ": response framing (a chunk-size line) over " +
                                 std::to_string(internal_read::kMaxResponseFramingBytes) + " bytes");
    }
    return Status::Unavailable("origin " + url.origin() + ": " + std::string(step) + ": " + ec.message());
  }

  // One deadline covers every hop: when it passes, whatever the fetch is
  // doing (resolving, connecting, reading a trickle) is cancelled and its
  // socket closed, so an abandoned fetch does not go on reading.
  asio::awaitable<void> Fetch(Url url, Clock::time_point when, std::shared_ptr<FetchState> state) {
    ReadDeadline deadline(co_await asio::this_coro::executor, when);
    for (int redirects = 0;; ++redirects) {
      Exchange exchange = co_await FetchOnce(url, deadline);
      if (!exchange.status.ok() || exchange.location.empty()) {
        co_return state->Finish(std::move(exchange.status), std::move(exchange.body));
      }
      const std::string where = "origin " + url.origin();
      if (options_.max_redirects <= 0)
        co_return state->Finish(Status::Unavailable(where + ": origin redirected"));
      if (redirects >= options_.max_redirects) {
        co_return state->Finish(Status::Unavailable(where + ": more than " +
                                                    std::to_string(options_.max_redirects) + " redirects"));
      }
      Result<Url> next = ResolveRedirect(url, exchange.location);
      if (!next.ok()) {
        co_return state->Finish(
            Status::Unavailable(where + ": redirect not followed: " + next.status().message()));
      }
      url = std::move(next).value();
    }
  }

  // Clears the deadline's action when the objects it touches go out of scope.
  struct ExpiryScope {
    explicit ExpiryScope(ReadDeadline& d) : deadline(d) {}
    ~ExpiryScope() { deadline.OnExpiry(nullptr); }
    ReadDeadline& deadline;
  };

  // One request and response, on a new connection.
  asio::awaitable<Exchange> FetchOnce(const Url& url, ReadDeadline& deadline) {
    auto fail = [&](const beast::error_code& ec, std::string_view step) {
      return Exchange::Failed(NetworkError(url, deadline, ec, step));
    };
    if (deadline.passed()) co_return Exchange::Failed(DeadlineError(url));
    auto executor = co_await asio::this_coro::executor;
    tcp::resolver resolver(executor);
    tcp::socket socket(executor);
    ExpiryScope scope(deadline);  // declared last: cleared before they go
    deadline.OnExpiry([&resolver] { resolver.cancel(); });
    auto [resolve_ec, endpoints] = co_await resolver.async_resolve(url.host, url.port, kAwait);
    if (resolve_ec || deadline.passed()) co_return fail(resolve_ec, "resolving host");
    deadline.OnExpiry([&socket] {
      beast::error_code ignored;
      socket.close(ignored);
    });
    auto [connect_ec, endpoint] = co_await asio::async_connect(socket, endpoints, kAwait);
    if (connect_ec || deadline.passed()) co_return fail(connect_ec, "connecting");
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (!url.tls) co_return co_await Request(socket, url, deadline);

    ssl::stream<tcp::socket&> tls_stream(socket, ssl_);
    SSL* ssl = tls_stream.native_handle();
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (IsIpLiteral(url.host)) {
      X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str());
    } else {
      SSL_set_tlsext_host_name(ssl, url.host.c_str());  // SNI
      X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), 0);
    }
    auto [handshake_ec] = co_await tls_stream.async_handshake(ssl::stream_base::client, kAwait);
    if (handshake_ec || deadline.passed()) co_return fail(handshake_ec, "TLS handshake");
    co_return co_await Request(tls_stream, url, deadline);
  }

  template <typename Stream>
  asio::awaitable<Exchange> Request(Stream& stream, const Url& url, ReadDeadline& deadline) {
    const std::string where = "origin " + url.origin();
    auto fail = [&](const beast::error_code& ec, std::string_view step) {
      return Exchange::Failed(NetworkError(url, deadline, ec, step));
    };
    http::request<http::empty_body> request{http::verb::get, url.target, 11};
    request.set(http::field::host, url.host_header);
    request.set(http::field::user_agent, "groupcached/0.1");
    request.set(http::field::connection, "close");
    auto [write_ec, written] = co_await http::async_write(stream, request, kAwait);
    if (write_ec) co_return fail(write_ec, "sending request");

    beast::flat_buffer buffer(internal_read::kMaxResponseFramingBytes);
    http::response_parser<BudgetedBody> parser;
    parser.header_limit(kMaxResponseHeaderBytes);
    parser.body_limit(options_.max_bytes);
    parser.get().body().lease = groupcache::ByteBudget::Lease(options_.budget);
    beast::error_code header_ec = co_await internal_read::ReadBefore(stream, buffer, parser, deadline, true);
    // A Content-Length over the limit fails here, after the status line and
    // fields are parsed: that only matters if the status is 200.
    const bool too_large = header_ec == http::error::body_limit && parser.is_header_done();
    if (header_ec == http::error::header_limit)
      co_return Exchange::Failed(Status::Unavailable(where + ": response headers over 16 KiB"));
    if (header_ec && !too_large) co_return fail(header_ec, "reading response header");
    const auto& response = parser.get();
    const int code = response.result_int();
    switch (code) {
      case 200:
        break;
      case 404:
      case 410:
        co_return Exchange::Failed(Status::NotFound(where + ": origin answered " + std::to_string(code)));
      case 301:
      case 302:
      case 303:
      case 307:
      case 308: {
        const std::string_view location = response[http::field::location];
        if (location.empty()) {
          co_return Exchange::Failed(
              Status::Unavailable(where + ": redirect " + std::to_string(code) + " without Location"));
        }
        co_return Exchange::Redirect(std::string(location));
      }
      default:
        co_return Exchange::Failed(Status::Unavailable(where + ": origin answered " + std::to_string(code)));
    }
    if (too_large) co_return Exchange::Failed(TooLarge(where));
    parser.eager(true);
    beast::error_code body_ec = co_await internal_read::ReadBefore(stream, buffer, parser, deadline);
    if (body_ec == http::error::body_limit) co_return Exchange::Failed(TooLarge(where));
    if (body_ec) co_return fail(body_ec, "reading response body");
    co_return Exchange::Value(std::move(parser.get().body().data));
  }

  Status TooLarge(const std::string& where) const {
    return Status::ResourceExhausted(where + ": response body over " + std::to_string(options_.max_bytes) +
                                     " bytes");
  }

  const HttpSourceOptions options_;
  const Url base_;                         // the template's origin; target unused
  const std::vector<std::string> pieces_;  // the template's target split at each {key}
  ssl::context ssl_;
  asio::io_context io_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;  // runs io_: every fetch of this source
};

}  // namespace

namespace internal {

void AppendKeyEscaped(std::string& out, std::string_view key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : key) {
    const unsigned char b = static_cast<unsigned char>(c);
    if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '.' ||
        b == '_' || b == '~' || b == '/') {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
}

}  // namespace internal

Result<std::shared_ptr<Getter>> MakeHttpSource(HttpSourceOptions options) {
  const std::string where = "http source \"" + options.url_template + "\"";
  Result<Url> base = ParseUrl(options.url_template);
  if (!base.ok()) return Status::InvalidArgument(where + ": " + base.status().message());
  if (options.timeout.count() <= 0) return Status::InvalidArgument(where + ": timeout must be positive");
  if (options.max_bytes == 0) return Status::InvalidArgument(where + ": max_bytes must be positive");
  if (options.max_redirects < 0)
    return Status::InvalidArgument(where + ": max_redirects must not be negative");
  std::vector<std::string> pieces;
  const std::string& target = base->target;
  for (size_t start = 0;;) {
    const size_t at = target.find(kKeyPlaceholder, start);
    pieces.push_back(target.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) break;
    start = at + kKeyPlaceholder.size();
  }
  if (pieces.size() < 2) return Status::InvalidArgument(where + ": the URL must contain {key}");
  auto source = std::make_shared<HttpSource>(std::move(options), std::move(base).value(), std::move(pieces));
  if (Status status = source->Init(); !status.ok())
    return Status::InvalidArgument(where + ": " + status.message());
  return std::shared_ptr<Getter>(std::move(source));
}

}  // namespace groupcached
