// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Dispatching a request to its handler, the Responder that carries the
// handler's answer back, and TextResponse.
#include "http/dispatch.h"

#include <boost/asio/post.hpp>
#include <string>
#include <thread>
#include <utility>

namespace groupcache {
namespace internal {

void ResponseSlot::Complete(std::shared_ptr<ResponseSlot> slot, HttpResponse response) {
  // Checking the thread first means in_handler is only read on the loop thread.
  if (std::this_thread::get_id() == slot->loop_thread && slot->in_handler) {
    slot->response = std::move(response);
    slot->ready = true;
    return;
  }
  auto executor = slot->timer.get_executor();
  boost::asio::post(executor, [slot = std::move(slot), response = std::move(response)]() mutable {
    slot->response = std::move(response);
    slot->ready = true;
    slot->timer.cancel();
  });
}

bool Dispatch(const Router& router, size_t max_target_bytes, Connection& conn, IncomingRequest& request,
              HttpResponse& response) {
  const std::string_view target = request.target;
  if (target.size() > max_target_bytes) {
    response = TextResponse(414, "request URI too long");
    request.keep_alive = false;
    return true;
  }
  if (target.empty() || target.front() != '/') {
    response = TextResponse(400, "bad request");
    request.keep_alive = false;
    return true;
  }
  const size_t question = target.find('?');
  HttpRequest http_request;
  http_request.method = request.method;
  http_request.target = target;
  http_request.path = target.substr(0, question);
  http_request.query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  http_request.body = request.body;
  http_request.header = std::move(request.header);
  const HttpHandler* handler = router.Find(http_request.path);
  if (handler == nullptr) {
    response = TextResponse(404, "404 page not found");
    return true;
  }
  // The handler's own bounds apply while it works (peer deadlines, the
  // getter); the connection's timers do not.
  conn.deadline = Clock::time_point::max();
  ResponseSlot& slot = *conn.slot;
  slot.ready = false;
  slot.in_handler = true;
  try {
    (*handler)(http_request, Responder(conn.slot));
  } catch (...) {
    // The Responder was dropped by the unwinding and answered 500.
  }
  slot.in_handler = false;
  if (!slot.ready) return false;
  response = std::move(slot.response);
  slot.response = HttpResponse();
  return true;
}

}  // namespace internal

HttpResponse TextResponse(int status, std::string_view message) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  std::string text(message);
  text += '\n';
  response.body = ByteView::CopyOf(text);
  return response;
}

Responder::Responder(std::shared_ptr<internal::ResponseSlot> slot) : slot_(std::move(slot)) {}
Responder::Responder(Responder&&) noexcept = default;

Responder& Responder::operator=(Responder&& other) noexcept {
  if (this != &other) {
    if (slot_) internal::ResponseSlot::Complete(std::move(slot_), TextResponse(500, "internal server error"));
    slot_ = std::move(other.slot_);
  }
  return *this;
}

Responder::~Responder() {
  if (slot_) internal::ResponseSlot::Complete(std::move(slot_), TextResponse(500, "internal server error"));
}

void Responder::Send(HttpResponse response) && {
  if (slot_) internal::ResponseSlot::Complete(std::move(slot_), std::move(response));
}

}  // namespace groupcache
