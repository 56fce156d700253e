// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http/request_reader.h"

#include <algorithm>
#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/rfc7230.hpp>

namespace groupcache::internal {

namespace beast = boost::beast;
namespace http = beast::http;

bool KeepAlive(const http::request<http::string_body>& request) {
  bool close = false;
  bool keep_alive = false;
  for (const auto& field : request) {
    if (field.name() != http::field::connection) continue;
    for (const auto& token : http::token_list{field.value()}) {
      close = close || beast::iequals(token, "close");
      keep_alive = keep_alive || beast::iequals(token, "keep-alive");
    }
  }
  return !close && (request.version() >= 11 || keep_alive);
}

std::optional<HttpResponse> ReadErrorResponse(const beast::error_code& ec) {
  if (ec == http::error::header_limit) return TextResponse(431, "request header fields too large");
  if (ec == http::error::body_limit) return TextResponse(413, "request body too large");
  if (ec.category() == beast::error_code(http::error::end_of_stream).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return TextResponse(400, "bad request");
  }
  return std::nullopt;  // timeout, reset, or closed mid-request: nobody to answer
}

void RequestReader::AwaitNext() {
  first_request_ = false;
  const Clock::time_point now = Clock::now();
  conn_.MarkIdle(now);
  conn_.deadline = now + (buffer_.size() == 0 ? options_.idle_timeout : options_.header_timeout);
  // A body read may have grown the buffer well past what heads need.
  if (buffer_.size() == 0 && buffer_.capacity() > kReadChunk) buffer_.shrink_to_fit();
}

RequestReader::Step RequestReader::Next() {
  if (conn_.closed) return Step::kClosed;
  // Only the first max_header_bytes are offered, so a head is never accepted
  // here that Beast would refuse as too large.
  const std::string_view bytes(static_cast<const char*>(buffer_.data().data()), buffer_.size());
  state_ = ParseRequestHead(bytes.substr(0, options_.max_header_bytes), &fast_);
  switch (state_) {
    case HeadParse::kComplete:
      conn_.MarkBusy();
      request_.method = fast_.method;
      request_.target = fast_.target;
      request_.body = {};  // the fast parser takes only requests without a body
      request_.keep_alive = fast_.keep_alive;
      request_.header = [this](std::string_view name) { return fast_.Find(name); };
      return Step::kRequest;
    case HeadParse::kInvalid:
      // Not HTTP, or not a request line: refused without waiting for more.
      conn_.MarkBusy();
      request_.refused = true;
      request_.refusal = TextResponse(400, "bad request");
      return Step::kRequest;
    case HeadParse::kFallback:
      return Step::kReadWithBeast;
    case HeadParse::kIncomplete:
      break;
  }
  if (buffer_.size() >= options_.max_header_bytes) {
    state_ = HeadParse::kFallback;
    return Step::kReadWithBeast;  // Beast refuses it as too large
  }
  first_bytes_ = buffer_.size() == 0;
  if (plain_) {
    // A new or parked connection takes a buffer only once bytes are here.
    if (buffer_.capacity() == 0) return Step::kWaitReadable;
    conn_.parkable = first_bytes_;
  }
  return Step::kReadSome;
}

RequestReader::Step RequestReader::Waited(const beast::error_code& ec) {
  if (ec || conn_.closed) return Step::kClosed;
  conn_.parkable = first_bytes_;
  return Step::kReadSome;
}

boost::asio::mutable_buffer RequestReader::ReadBuffer() {
  size_t room = buffer_.capacity() - buffer_.size();
  if (room == 0) room = buffer_.capacity() == 0 ? kFirstRead : std::min(buffer_.capacity(), kReadChunk);
  room = std::min(room, buffer_.max_size() - buffer_.size());
  return buffer_.prepare(room);
}

RequestReader::Step RequestReader::Received(const beast::error_code& ec, size_t n) {
  if (plain_) {
    conn_.parkable = false;
    if (conn_.parked) {
      conn_.parked = false;
      if (ec == boost::asio::error::operation_aborted && !conn_.closed) {
        // The watchdog cancelled the read of an idle connection: let the
        // buffers go until the next request's bytes arrive.
        buffer_.shrink_to_fit();
        conn_.response_head = std::string();
        return Next();
      }
    }
  }
  if (ec || conn_.closed) return Step::kClosed;
  buffer_.commit(n);
  // The first bytes of a kept-alive connection's next request: its head is
  // due header_timeout from now.
  if (first_bytes_ && !first_request_) conn_.deadline = Clock::now() + options_.header_timeout;
  return Next();
}

RequestReader::Step RequestReader::Refuse(const beast::error_code& ec, std::string_view violation) {
  if (conn_.closed || (stopping_ && ec)) return Step::kClosed;
  if (ec) {
    std::optional<HttpResponse> error = ReadErrorResponse(ec);
    if (!error) return Step::kClosed;
    request_.refusal = std::move(*error);
  } else {
    request_.refusal = TextResponse(400, "bad request: " + std::string(violation));
  }
  request_.refused = true;
  return Step::kRequest;
}

RequestReader::Step RequestReader::TakeParsed() {
  if (conn_.closed) return Step::kClosed;
  const auto* msg = &parser_->get();
  request_.method = std::string_view(msg->method_string());
  request_.target = std::string_view(msg->target());
  request_.body = std::string_view(msg->body());
  request_.keep_alive = KeepAlive(*msg);
  request_.header = [msg](std::string_view name) -> std::string_view {
    auto it = msg->find(name);
    return it == msg->end() ? std::string_view() : std::string_view(it->value());
  };
  return Step::kRequest;
}

void RequestReader::Consume() {
  if (state_ == HeadParse::kComplete) buffer_.consume(fast_.size);  // Beast consumed its own
  state_ = HeadParse::kIncomplete;
  parser_.reset();
  request_.header = nullptr;
  request_.body = {};
  if (request_.refused) {
    request_.refused = false;
    request_.refusal = HttpResponse();
  }
}

}  // namespace groupcache::internal
