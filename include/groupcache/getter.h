// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_GETTER_H_
#define GROUPCACHE_GETTER_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "groupcache/byte_view.h"
#include "groupcache/export.h"
#include "groupcache/function.h"
#include "groupcache/status.h"

namespace groupcache {

namespace internal {
class GroupCore;
}

// A Sink receives the value a Getter loads. A getter calls one of the Set
// methods on success; if it calls several, the last one wins, and if it calls
// none, the value is empty. It may also say when the value expires
// (SetExpiry); the group's ttl, if any, may shorten that. Not thread-safe: it
// belongs to one load.
class Sink {
 public:
  Sink() = default;
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  void SetString(std::string_view value) { view_ = ByteView::CopyOf(value); }
  void SetBytes(const void* data, size_t size) {
    view_ = ByteView::CopyOf(std::string_view(static_cast<const char*>(data), size));
  }
  // Shares `value`'s buffer: no copy. An expiry `value` carries is kept
  // unless SetExpiry is called.
  void SetView(ByteView value) { view_ = std::move(value); }

  // The value is stale after `when` (wall-clock time): a Get after that
  // time loads it again. A time in the past gives a value that is returned
  // to the callers waiting for this load but not kept.
  void SetExpiry(std::chrono::system_clock::time_point when) { expire_ns_ = ByteView::ToUnixNanos(when); }

  // The value this node's cache held for the key until it expired, if it
  // is still there (expired entries stay until their space is needed), with
  // its old expiry; null otherwise. A getter may revalidate it with its
  // source (a conditional request) and set it again with a new expiry
  // (SetView, then SetExpiry, or SetView(previous->WithExpiry(0)) for none),
  // or serve it for a while when the source fails.
  const ByteView* previous() const { return has_previous_ ? &previous_ : nullptr; }

  // What the getter set (empty if nothing), with its expiry.
  ByteView view() const { return expire_ns_ ? view_.WithExpiry(expire_ns_) : view_; }
  ByteView Take() { return expire_ns_ ? std::move(view_).WithExpiry(expire_ns_) : std::move(view_); }

 private:
  friend class internal::GroupCore;  // sets previous_

  ByteView view_;
  int64_t expire_ns_ = 0;  // 0: as view_ says
  ByteView previous_;
  bool has_previous_ = false;
};

// A Getter loads the value of a key from the source of truth. It is the user's
// code: a map lookup, a file read, a database query.
//
// Get returns OK after setting the value into `dest`; NotFound when the key
// does not exist; any other code for a failure. Errors are never cached. A
// getter that throws is treated as returning an Internal error.
//
// Thread-safety: Get may be called concurrently for different keys (never
// concurrently for the same key within one process, thanks to singleflight).
// It may block; the HTTP server runs getters on a bounded worker pool.
class GROUPCACHE_API Getter {
 public:
  virtual ~Getter() = default;
  virtual Status Get(std::string_view key, Sink& dest) = 0;
};

// An AsyncGetter loads without holding a thread while its source works: a
// source doing network I/O (an HTTP origin, a database) starts the request
// and returns, and finishes from its own I/O thread. A group whose getter is
// an AsyncGetter calls GetAsync on the thread that asked for the key (an I/O
// thread of the HTTP server, or the caller of Group::Get), never queueing it
// on the worker pool.
//
// GetAsync must return promptly without blocking, and call `done` exactly
// once, on any thread (before GetAsync returns is fine), after setting the
// value into `dest`; `dest` stays valid until then. The status means what
// Getter::Get's does. It must not throw; if it does before calling `done`,
// the load fails with Internal (a later call of `done` is ignored).
class GROUPCACHE_API AsyncGetter : public Getter {
 public:
  using Done = MoveOnlyFunction<void(Status)>;
  virtual void GetAsync(std::string_view key, Sink& dest, Done done) = 0;
  // The blocking form, for callers outside a group: waits for GetAsync.
  Status Get(std::string_view key, Sink& dest) final;
};

// GetterFunc adapts a callable `Status(std::string_view key, Sink& dest)` to
// the Getter interface.
template <typename F>
class GetterFunc final : public Getter {
 public:
  explicit GetterFunc(F fn) : fn_(std::move(fn)) {}
  Status Get(std::string_view key, Sink& dest) override { return fn_(key, dest); }

 private:
  F fn_;
};

// Returns a Getter that calls `fn(key, dest)`.
template <typename F>
std::shared_ptr<Getter> MakeGetter(F fn) {
  static_assert(std::is_invocable_r_v<Status, F&, std::string_view, Sink&>,
                "a getter function must be callable as Status(std::string_view, Sink&)");
  return std::make_shared<GetterFunc<F>>(std::move(fn));
}

// AsyncGetterFunc adapts a callable
// `void(std::string_view key, Sink& dest, AsyncGetter::Done done)`.
template <typename F>
class AsyncGetterFunc final : public AsyncGetter {
 public:
  explicit AsyncGetterFunc(F fn) : fn_(std::move(fn)) {}
  void GetAsync(std::string_view key, Sink& dest, Done done) override { fn_(key, dest, std::move(done)); }

 private:
  F fn_;
};

// Returns an AsyncGetter that calls `fn(key, dest, done)`.
template <typename F>
std::shared_ptr<AsyncGetter> MakeAsyncGetter(F fn) {
  static_assert(
      std::is_invocable_r_v<void, F&, std::string_view, Sink&, AsyncGetter::Done>,
      "an async getter function must be callable as void(std::string_view, Sink&, AsyncGetter::Done)");
  return std::make_shared<AsyncGetterFunc<F>>(std::move(fn));
}

}  // namespace groupcache

#endif  // GROUPCACHE_GETTER_H_
