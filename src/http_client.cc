// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http_client.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "escape.h"
#include "tls_context.h"
#include "wire.h"

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

}  // namespace

// Calls the PeerCallback exactly once: with the result, or, if the fetch is
// abandoned (the runtime stopped), with Unavailable, so no waiter hangs.
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

HttpPeer::HttpPeer(RuntimeImpl& runtime, PeerUrl url, PeerClientOptions options)
    : runtime_(runtime), url_(std::move(url)), options_(std::move(options)), idle_(runtime.size()) {}

HttpPeer::~HttpPeer() = default;

void HttpPeer::Get(std::string_view group, std::string_view key, PeerCallback done) {
  std::string target = options_.base_path;
  AppendEscaped(target, group);
  target += '/';
  AppendEscaped(target, key);
  const size_t loop = runtime_.PickContext();
  asio::co_spawn(runtime_.context(loop),
                 Fetch(shared_from_this(), loop, std::move(target), std::make_shared<Completion>(std::move(done))),
                 asio::detached);
}

std::unique_ptr<HttpPeer::Stream> HttpPeer::TakeIdle(size_t loop) {
  auto& idle = idle_[loop];
  if (idle.empty()) return nullptr;
  std::unique_ptr<Stream> stream = std::move(idle.back());
  idle.pop_back();
  return stream;
}

void HttpPeer::PutIdle(size_t loop, std::unique_ptr<Stream> stream) {
  auto& idle = idle_[loop];
  if (idle.size() < options_.max_idle_per_loop) idle.push_back(std::move(stream));
}

template <typename S>
asio::awaitable<beast::error_code> HttpPeer::Exchange(S& stream, const std::string& target, std::string* body,
                                                      unsigned* status, std::string* reason, bool* reusable) {
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, url_.host_header);
  request.set(http::field::user_agent, "groupcache-cpp/0.1");
  auto [write_ec, written] = co_await http::async_write(stream, request, kAwait);
  if (write_ec) co_return write_ec;

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.header_limit(kMaxResponseHeaderBytes);
  parser.body_limit(options_.max_response_bytes);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, kAwait);
  if (read_ec) co_return read_ec;
  auto& response = parser.get();
  *status = response.result_int();
  *reason = std::string(response.reason());
  // A complete, kept-alive response leaves the connection ready for reuse.
  *reusable = response.keep_alive() && buffer.size() == 0;
  *body = std::move(response.body());
  co_return beast::error_code();
}

asio::awaitable<void> HttpPeer::Fetch(std::shared_ptr<HttpPeer> self, size_t loop, std::string target,
                                      std::shared_ptr<Completion> done) {
  // Names the peer, never the key: this text may reach logs (on_fetch).
  const std::string where = "fetching from peer " + self->url_.url;
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + self->options_.request_timeout;
  auto finish = [&](Result<ByteView> result) {
    if (self->options_.on_fetch) {
      self->options_.on_fetch(self->url_.url, std::chrono::steady_clock::now() - started, result.status());
    }
    (*done)(std::move(result));
  };
  auto fail = [&](const beast::error_code& ec, std::string_view step) {
    if (ec == beast::error::timeout) {
      finish(Status::DeadlineExceeded(where + ": deadline of " +
                                      std::to_string(self->options_.request_timeout.count()) + " ms exceeded"));
    } else {
      finish(Status::Unavailable(where + ": " + std::string(step) + ": " + ec.message()));
    }
  };

  for (int attempt = 0; attempt < 2; ++attempt) {
    // Only the first attempt may take an idle connection: if that one had
    // been closed by the peer, the retry must not find another stale one.
    std::unique_ptr<Stream> stream = attempt == 0 ? self->TakeIdle(loop) : nullptr;
    const bool reused = stream != nullptr;
    if (!stream) {
      stream = std::make_unique<Stream>(self->runtime_.context(loop));
      stream->tcp.expires_at(deadline);
      tcp::resolver resolver(self->runtime_.context(loop));
      auto [resolve_ec, endpoints] = co_await resolver.async_resolve(self->url_.host, self->url_.port, kAwait);
      if (resolve_ec) co_return fail(resolve_ec, "resolving host");
      auto [connect_ec, endpoint] = co_await stream->tcp.async_connect(endpoints, kAwait);
      if (connect_ec) co_return fail(connect_ec, "connecting");
      beast::error_code ignored;
      stream->tcp.socket().set_option(tcp::no_delay(true), ignored);
      if (self->options_.tls) {
        stream->tls = std::make_unique<asio::ssl::stream<beast::tcp_stream&>>(stream->tcp, *self->options_.tls);
        if (!ExpectPeerHost(stream->tls->native_handle(), self->url_.host)) {
          co_return finish(Status::InvalidArgument(where + ": cannot check the certificate for host " +
                                                   self->url_.host));
        }
        auto [handshake_ec] = co_await stream->tls->async_handshake(asio::ssl::stream_base::client, kAwait);
        if (handshake_ec) co_return fail(handshake_ec, "TLS handshake");
      }
    }
    stream->tcp.expires_at(deadline);

    std::string body;
    unsigned status = 0;
    std::string reason;
    bool reusable = false;
    beast::error_code ec =
        stream->tls ? co_await self->Exchange(*stream->tls, target, &body, &status, &reason, &reusable)
                    : co_await self->Exchange(stream->tcp, target, &body, &status, &reason, &reusable);
    if (ec) {
      if (reused && attempt == 0 && IsStaleConnection(ec)) continue;
      if (ec == http::error::body_limit) {
        co_return finish(Status::ResourceExhausted(where + ": response body over " +
                                                   std::to_string(self->options_.max_response_bytes) + " bytes"));
      }
      co_return fail(ec, "exchanging request and response");
    }
    if (reusable) self->PutIdle(loop, std::move(stream));
    if (status != 200) {
      co_return finish(Status::Unavailable(where + ": server returned: " + std::to_string(status) + " " + reason));
    }
    Result<ByteView> value = DecodeGetResponse(ByteView::CopyOf(body));
    if (!value.ok()) {
      co_return finish(Status::Unavailable(where + ": decoding response body: " + value.status().message()));
    }
    // Don't let a small value pin a large response buffer in the cache.
    if (value->size() + 64 < body.size()) co_return finish(ByteView::CopyOf(value->view()));
    co_return finish(std::move(value));
  }
}

}  // namespace groupcache::internal
