// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// HttpFetcher: GET requests to an origin on one I/O thread of the fetcher's
// own, read with the bounded reader the peer client uses (bounded_read.h).
//
// Why its own thread rather than the Runtime's loops: a fetcher has no
// Runtime to be given (groupcached's sources are made before it, and a
// program may fetch without serving), its lifetime then ends with its own
// destructor rather than with Runtime::Shutdown's ordering, and the one step
// a deadline cannot cut short, a name lookup stuck in getaddrinfo, occupies
// asio's resolver thread of this fetcher, never a peer-serving loop.
#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/write.hpp>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "groupcache/http_fetch.h"
#include "http/bounded_read.h"
#include "http/tls_context.h"

namespace groupcache {
namespace internal {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

bool IsRedirect(int code) { return code == 301 || code == 302 || code == 303 || code == 307 || code == 308; }

bool NameIs(std::string_view a, std::string_view b) { return beast::iequals(a, b); }

// Checks a request header as the fetcher would send it: a token for the
// name, no line break or NUL in the value, and none of the fields that
// frame the request (the fetcher owns those).
Status CheckHeader(const HttpHeader& header) {
  if (header.name.empty()) return Status::InvalidArgument("request header with an empty name");
  for (char c : header.name) {
    const unsigned char b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b >= 0x7f || std::string_view("()<>@,;:\\\"/[]?={}").find(c) != std::string_view::npos) {
      return Status::InvalidArgument("request header name \"" + header.name + "\" is not a token");
    }
  }
  for (char c : header.value) {
    if (c == '\r' || c == '\n' || c == '\0') {
      return Status::InvalidArgument("request header " + header.name +
                                     " has a line break or NUL in its value");
    }
  }
  for (std::string_view owned : {"Host", "Connection", "Content-Length", "Transfer-Encoding"}) {
    if (NameIs(header.name, owned)) {
      return Status::InvalidArgument("request header " + header.name + " is set by the fetcher");
    }
  }
  return Status::Ok();
}

// Credentials meant for one origin, dropped when a redirect leads to
// another (as Go's http.Client does).
bool IsCredential(std::string_view name) {
  return NameIs(name, "Authorization") || NameIs(name, "Proxy-Authorization") || NameIs(name, "Cookie");
}

// One fetch's callback, run exactly once: by the first Finish, or with
// Unavailable by the destructor when the fetch is destroyed unfinished (the
// fetcher is being destroyed). Touched only on the fetcher's I/O thread.
class FetchOp {
 public:
  explicit FetchOp(HttpFetcher::Callback done) : done_(std::move(done)) {}
  ~FetchOp() {
    if (done_) done_(Status::Unavailable("fetch abandoned: the HttpFetcher was destroyed"));
  }
  void Finish(Result<HttpFetchResponse> result) {
    if (!done_) return;  // the watchdog answered first (see Fetch)
    HttpFetcher::Callback done = std::move(done_);
    done_ = nullptr;
    done(std::move(result));
  }

 private:
  HttpFetcher::Callback done_;
};

// Clears the deadline's action when the objects it touches go out of scope.
class ExpiryScope {
 public:
  explicit ExpiryScope(ReadDeadline& deadline) : deadline_(deadline) {}
  ~ExpiryScope() { deadline_.OnExpiry(nullptr); }

 private:
  ReadDeadline& deadline_;
};

}  // namespace

class HttpFetcherImpl {
 public:
  explicit HttpFetcherImpl(HttpFetcherOptions options)
      : options_(std::move(options)), tls_(ssl::context::tls_client), work_(asio::make_work_guard(*io_)) {}

  ~HttpFetcherImpl() {
    work_.reset();
    io_->stop();
    if (thread_.joinable()) thread_.join();
    // Fetches still suspended are destroyed with the context: each FetchOp
    // answers its callback then, here.
    io_.reset();
  }

  // True on the thread that runs this fetcher's fetches and callbacks.
  bool OnOwnThread() const { return thread_.get_id() == std::this_thread::get_id(); }

  Status Init() {
    SSL_CTX_set_min_proto_version(tls_.native_handle(), TLS1_2_VERSION);
    beast::error_code ec;
    if (options_.ca_file.empty()) {
      tls_.set_default_verify_paths(ec);
      if (ec) return Status::InvalidArgument("loading the system CAs: " + ec.message());
    } else {
      tls_.load_verify_file(options_.ca_file, ec);
      if (ec) return Status::InvalidArgument("loading CA file \"" + options_.ca_file + "\": " + ec.message());
    }
    tls_.set_verify_mode(ssl::verify_peer);
    thread_ = std::thread([this] { io_->run(); });
    return Status::Ok();
  }

  const HttpFetcherOptions& options() const { return options_; }

  Status DeadlineError(const FetchUrl& url) const {
    return Status::DeadlineExceeded("origin " + url.origin() + ": no complete answer within " +
                                    std::to_string(options_.timeout.count()) + " ms");
  }

  // Answers `done` with `status` on the I/O thread, as every fetch is.
  void Reject(Status status, HttpFetcher::Callback done) {
    asio::post(*io_, [status = std::move(status), op = std::make_unique<FetchOp>(std::move(done))]() mutable {
      op->Finish(std::move(status));
    });
  }

  void Fetch(FetchUrl url, std::vector<HttpHeader> headers, Clock::time_point deadline,
             HttpFetcher::Callback done) {
    auto op = std::make_shared<FetchOp>(std::move(done));
    // The deadline cancels every step of the fetch but one: a name lookup
    // stuck in getaddrinfo, which asio cannot interrupt. A watchdog answers
    // the callback at the deadline whatever the fetch is doing, so a
    // caller of the asynchronous form is never held past it either (the
    // stuck lookup then ends on asio's resolver thread, answered to no one).
    auto watchdog = std::make_shared<asio::steady_timer>(*io_, deadline);
    watchdog->async_wait([this, op, watchdog, origin = url](const beast::error_code& ec) {
      if (!ec) op->Finish(DeadlineError(origin));
    });
    asio::co_spawn(*io_, Run(std::move(url), std::move(headers), deadline, op),
                   [watchdog](std::exception_ptr) { watchdog->cancel(); });
  }

 private:
  // A timeout, or any failure once the deadline has passed, is the deadline's
  // doing; anything else is the network's or the server's.
  Status NetworkError(const FetchUrl& url, const ReadDeadline& deadline, const beast::error_code& ec,
                      std::string_view step) const {
    if (ec == beast::error::timeout || deadline.passed()) return DeadlineError(url);
    if (ec == BudgetedBody::OverBudget()) {
      return Status::ResourceExhausted("origin " + url.origin() +
                                       ": too many response bytes in flight; try again later");
    }
    if (ec == http::error::buffer_overflow) {
      return Status::Unavailable("origin " + url.origin() + ": response framing (a chunk-size line) over " +
                                 std::to_string(kMaxResponseFramingBytes) + " bytes");
    }
    return Status::Unavailable("origin " + url.origin() + ": " + std::string(step) + ": " + ec.message());
  }

  Status TooLarge(const FetchUrl& url) const {
    return Status::ResourceExhausted("origin " + url.origin() + ": response body over " +
                                     std::to_string(options_.max_body_bytes) + " bytes");
  }

  // One deadline covers every hop: when it passes, whatever the fetch is
  // doing (resolving, connecting, reading a trickle) is cancelled and its
  // socket closed, so an abandoned fetch does not go on reading.
  asio::awaitable<void> Run(FetchUrl url, std::vector<HttpHeader> headers, Clock::time_point when,
                            std::shared_ptr<FetchOp> op) {
    ReadDeadline deadline(co_await asio::this_coro::executor, when);
    for (int redirects = 0;; ++redirects) {
      Result<HttpFetchResponse> response = co_await FetchOnce(url, headers, deadline);
      if (!response.ok() || options_.max_redirects == 0 || !IsRedirect(response->status_code)) {
        co_return op->Finish(std::move(response));
      }
      const std::string where = "origin " + url.origin();
      const std::optional<std::string_view> location = response->Header("Location");
      if (!location || location->empty()) {
        co_return op->Finish(Status::Unavailable(
            where + ": redirect " + std::to_string(response->status_code) + " without Location"));
      }
      if (redirects >= options_.max_redirects) {
        co_return op->Finish(Status::Unavailable(where + ": more than " +
                                                 std::to_string(options_.max_redirects) + " redirects"));
      }
      Result<FetchUrl> next = ResolveRedirect(url, *location);
      if (!next.ok()) {
        co_return op->Finish(
            Status::Unavailable(where + ": redirect not followed: " + next.status().message()));
      }
      if (next->origin() != url.origin())
        std::erase_if(headers, [](const HttpHeader& h) { return IsCredential(h.name); });
      url = std::move(next).value();
    }
  }

  // One request and response, on a new connection.
  asio::awaitable<Result<HttpFetchResponse>> FetchOnce(const FetchUrl& url,
                                                       const std::vector<HttpHeader>& headers,
                                                       ReadDeadline& deadline) {
    if (deadline.passed()) co_return DeadlineError(url);
    auto executor = co_await asio::this_coro::executor;
    tcp::resolver resolver(executor);
    tcp::socket socket(executor);
    ExpiryScope scope(deadline);  // declared last: cleared before they go
    deadline.OnExpiry([&resolver] { resolver.cancel(); });
    auto [resolve_ec, endpoints] = co_await resolver.async_resolve(url.host, url.port, kAwait);
    if (resolve_ec || deadline.passed()) co_return NetworkError(url, deadline, resolve_ec, "resolving host");
    deadline.OnExpiry([&socket] {
      beast::error_code ignored;
      socket.close(ignored);
    });
    auto [connect_ec, endpoint] = co_await asio::async_connect(socket, endpoints, kAwait);
    if (connect_ec || deadline.passed()) co_return NetworkError(url, deadline, connect_ec, "connecting");
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (!url.tls) co_return co_await Exchange(socket, url, headers, deadline);

    ssl::stream<tcp::socket&> tls_stream(socket, tls_);
    if (!ExpectPeerHost(tls_stream.native_handle(), url.host)) {
      co_return Status::Unavailable("origin " + url.origin() + ": TLS: cannot verify this host name");
    }
    auto [handshake_ec] = co_await tls_stream.async_handshake(ssl::stream_base::client, kAwait);
    if (handshake_ec || deadline.passed())
      co_return NetworkError(url, deadline, handshake_ec, "TLS handshake");
    co_return co_await Exchange(tls_stream, url, headers, deadline);
  }

  template <typename Stream>
  asio::awaitable<Result<HttpFetchResponse>> Exchange(Stream& stream, const FetchUrl& url,
                                                      const std::vector<HttpHeader>& headers,
                                                      ReadDeadline& deadline) {
    http::request<http::empty_body> request{http::verb::get, url.target, 11};
    request.set(http::field::host, url.host_header);
    bool has_user_agent = false;
    for (const HttpHeader& header : headers) {
      request.insert(header.name, header.value);
      has_user_agent = has_user_agent || NameIs(header.name, "User-Agent");
    }
    if (!has_user_agent && !options_.user_agent.empty())
      request.set(http::field::user_agent, options_.user_agent);
    request.set(http::field::connection, "close");
    auto [write_ec, written] = co_await http::async_write(stream, request, kAwait);
    if (write_ec) co_return NetworkError(url, deadline, write_ec, "sending request");

    beast::flat_buffer buffer(kMaxResponseFramingBytes);
    http::response_parser<BudgetedBody> parser;
    parser.header_limit(static_cast<std::uint32_t>(std::min<size_t>(options_.max_header_bytes, UINT32_MAX)));
    parser.body_limit(options_.max_body_bytes);
    parser.get().body().lease = ByteBudget::Lease(options_.budget);
    beast::error_code head_ec = co_await ReadBefore(stream, buffer, parser, deadline, true);
    // A Content-Length over the limit fails here, after the status line and
    // fields are parsed: that only matters if the body is to be read.
    const bool too_large = head_ec == http::error::body_limit && parser.is_header_done();
    if (head_ec == http::error::header_limit) {
      co_return Status::Unavailable("origin " + url.origin() + ": response head over " +
                                    std::to_string(options_.max_header_bytes) + " bytes");
    }
    if (head_ec && !too_large) co_return NetworkError(url, deadline, head_ec, "reading response head");
    HttpFetchResponse response;
    response.url = url;
    response.status_code = static_cast<int>(parser.get().result_int());
    for (const auto& field : parser.get()) {
      response.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    }
    if (response.status_code < 200 || response.status_code > 299) co_return response;
    if (too_large) co_return TooLarge(url);
    // A body of declared length goes straight into response.body, in large
    // reads (see ReadBodyInto).
    auto allocate = [&response](size_t length) {
      response.body.resize(length);
      return response.body.data();
    };
    bool declared = false;
    beast::error_code body_ec =
        co_await ReadResponseBody(stream, buffer, parser, deadline, allocate, &declared);
    if (body_ec == http::error::body_limit) co_return TooLarge(url);
    if (body_ec) co_return NetworkError(url, deadline, body_ec, "reading response body");
    if (!declared) response.body = std::move(parser.get().body().data);
    co_return response;
  }

  const HttpFetcherOptions options_;
  ssl::context tls_;
  std::optional<asio::io_context> io_{std::in_place, 1};
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;  // runs io_: every fetch of this fetcher
};

}  // namespace internal

Result<std::unique_ptr<HttpFetcher>> HttpFetcher::Create(HttpFetcherOptions options) {
  if (options.timeout.count() <= 0) return Status::InvalidArgument("HttpFetcher: timeout must be positive");
  if (options.max_body_bytes == 0)
    return Status::InvalidArgument("HttpFetcher: max_body_bytes must be positive");
  if (options.max_header_bytes == 0) {
    return Status::InvalidArgument("HttpFetcher: max_header_bytes must be positive");
  }
  if (options.max_redirects < 0)
    return Status::InvalidArgument("HttpFetcher: max_redirects must not be negative");
  auto impl = std::make_unique<internal::HttpFetcherImpl>(std::move(options));
  if (Status status = impl->Init(); !status.ok())
    return Status::InvalidArgument("HttpFetcher: " + status.message());
  return std::unique_ptr<HttpFetcher>(new HttpFetcher(std::move(impl)));
}

HttpFetcher::HttpFetcher(std::unique_ptr<internal::HttpFetcherImpl> impl) : impl_(std::move(impl)) {}

HttpFetcher::~HttpFetcher() {
  // The last owner may let go from inside a fetch's callback, on this
  // fetcher's own thread (an AsyncGetter's group, released as its load
  // ends), and a thread cannot join itself (std::terminate). Another thread
  // stops and joins it then, once the callback has returned.
  if (impl_ != nullptr && impl_->OnOwnThread()) {
    std::thread([impl = std::move(impl_)]() mutable { impl.reset(); }).detach();
  }
}

const HttpFetcherOptions& HttpFetcher::options() const { return impl_->options(); }

void HttpFetcher::Fetch(HttpFetchRequest request, Callback done) {
  const std::chrono::steady_clock::time_point deadline =
      std::chrono::steady_clock::now() + impl_->options().timeout;
  Result<FetchUrl> url = ParseFetchUrl(request.url);
  Status valid = url.ok() ? Status::Ok() : url.status();
  for (const HttpHeader& header : request.headers) {
    if (valid.ok()) valid = internal::CheckHeader(header);
  }
  if (!valid.ok()) return impl_->Reject(std::move(valid), std::move(done));
  impl_->Fetch(std::move(url).value(), std::move(request.headers), deadline, std::move(done));
}

Result<HttpFetchResponse> HttpFetcher::FetchAndWait(HttpFetchRequest request) {
  struct Waiter {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<Result<HttpFetchResponse>> result;  // guarded by mu
  };
  const std::chrono::steady_clock::time_point deadline =
      std::chrono::steady_clock::now() + impl_->options().timeout;
  Result<FetchUrl> url = ParseFetchUrl(request.url);
  if (!url.ok()) return url.status();
  auto waiter = std::make_shared<Waiter>();
  Fetch(std::move(request), [waiter](Result<HttpFetchResponse> result) {
    std::lock_guard<std::mutex> lock(waiter->mu);
    waiter->result.emplace(std::move(result));
    waiter->cv.notify_one();
  });
  std::unique_lock<std::mutex> lock(waiter->mu);
  // The fetch's sockets expire at the same deadline; waiting here as well
  // bounds the one step they cannot: a name lookup stuck in getaddrinfo.
  if (!waiter->cv.wait_until(lock, deadline, [&] { return waiter->result.has_value(); })) {
    return impl_->DeadlineError(*url);
  }
  return std::move(*waiter->result);
}

}  // namespace groupcache
