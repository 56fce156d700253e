// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_STATUS_H_
#define GROUPCACHE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "groupcache/export.h"

namespace groupcache {

// The small set of ways a call can fail. Each code maps to one HTTP status on
// the server side (see HttpStatusFor in docs/protocol.md) and back again.
enum class StatusCode {
  kOk = 0,
  kNotFound,           // the source says the key does not exist
  kInvalidArgument,    // bad input: a malformed key, path or configuration
  kAlreadyExists,      // e.g. a duplicate group name
  kUnavailable,        // a peer or source could not be reached
  kDeadlineExceeded,   // a deadline passed before the call finished
  kResourceExhausted,  // a limit was hit: a size cap, a full queue
  kInternal,           // anything else, including a getter that threw
};

// Returns a stable lower-case name for `code`, e.g. "not found".
GROUPCACHE_API std::string_view StatusCodeName(StatusCode code);

// A Status is the outcome of a call: OK, or an error code with a message that
// carries context ("decoding response from http://peer:8081: truncated").
// A Status is a value type; distinct objects may be used from distinct threads.
class [[nodiscard]] GROUPCACHE_API Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status DeadlineExceeded(std::string m) { return {StatusCode::kDeadlineExceeded, std::move(m)}; }
  static Status ResourceExhausted(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // The message alone, without the code name. Empty for OK.
  const std::string& message() const { return message_; }
  // "OK", or "<code name>: <message>".
  std::string ToString() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A Result<T> holds either a value of type T or a non-OK Status.
// Like Status, it is a value type with no internal synchronisation.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  // REQUIRES: !status.ok()
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "Result constructed from an OK status without a value");
    if (status_.ok()) status_ = Status::Internal("Result constructed from OK status without a value");
  }

  bool ok() const { return value_.has_value(); }
  // OK when a value is held.
  const Status& status() const { return status_; }

  // REQUIRES: ok()
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T& value() & {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace groupcache

#endif  // GROUPCACHE_STATUS_H_
