// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_BYTE_VIEW_H_
#define GROUPCACHE_BYTE_VIEW_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "groupcache/export.h"

namespace groupcache {

namespace internal {

// A reference-counted, immutable byte buffer whose bytes follow the header in
// the same allocation (one allocation per value). Written by hand rather than
// shared_ptr<std::string>, which needs two allocations and 48 bytes of
// overhead per value.
//
// The header starts on a cache line of its own allocation, and that line
// belongs to this buffer alone: the reference count is written on every
// cache hit, and if its line also held the end of another value, or a cache
// entry, that other cores read, every hit would move the line between cores.
// Measured with two threads hitting different keys: 12M hits/s in total with
// the header wherever malloc put it, 27M/s with it on its own line (one
// thread: 22M/s). The cost is up to 48 bytes of padding per value;
// aligned_alloc would avoid the padding but fragmented glibc's heap to 1.77x
// the cache budget under eviction churn.
class GROUPCACHE_API SharedBuffer {
 public:
  // Returns a buffer of `size` uninitialised bytes with a reference count of 1.
  static SharedBuffer* Allocate(size_t size);

  char* data() { return reinterpret_cast<char*>(this + 1); }

  void Ref() { refs_.fetch_add(1, std::memory_order_relaxed); }
  void Unref() {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) Free();
  }

  // The hash remembered for the range `tag` names (see ByteView::Hash64),
  // if it is the one remembered.
  bool RecallHash(uint64_t tag, uint64_t* hash) const;
  // Remembers `hash` for the range `tag` names, if no range has one yet:
  // one per buffer, the first to arrive.
  void RememberHash(uint64_t tag, uint64_t hash);

 private:
  explicit SharedBuffer(size_t offset) : offset_(offset) {}
  void Free();

  std::atomic<uint64_t> refs_{1};
  size_t offset_;  // from the start of the allocation to this header
  // 0: no hash yet; 1: one being remembered; else the tag of the range whose
  // hash is in hash_ (published with release, read with acquire).
  std::atomic<uint64_t> hash_tag_{0};
  std::atomic<uint64_t> hash_{0};
};

}  // namespace internal

// A ByteView is an immutable sequence of bytes with shared ownership: copies
// and slices share one buffer and cost an atomic increment, never a byte copy.
// It is what caches hold and what Get returns. Equality is by content.
//
// A view may carry an expiry: the wall-clock time after which the value is
// stale (a cache treats it as absent). It travels with the value, from the
// getter's Sink through the caches and to peers (GetResponse field 3, as
// groupcache-go v3 sends it), and is not part of equality.
// Thread-safety: a ByteView is a value; distinct ByteView objects sharing one
// buffer may be used from any threads concurrently (the bytes never change).
class GROUPCACHE_API ByteView {
 public:
  ByteView() = default;  // empty
  ByteView(const ByteView& other)
      : buf_(other.buf_), data_(other.data_), size_(other.size_), expire_ns_(other.expire_ns_) {
    if (buf_) buf_->Ref();
  }
  ByteView(ByteView&& other) noexcept
      : buf_(std::exchange(other.buf_, nullptr)),
        data_(other.data_),
        size_(std::exchange(other.size_, 0)),
        expire_ns_(std::exchange(other.expire_ns_, 0)) {}
  ByteView& operator=(ByteView other) noexcept {
    swap(other);
    return *this;
  }
  ~ByteView() {
    if (buf_) buf_->Unref();
  }

  // Returns a view holding a private copy of `bytes`.
  static ByteView CopyOf(std::string_view bytes);
  // Returns a view of `size` bytes written in place by `fill(char* dest)`: one
  // allocation, no intermediate string.
  template <typename Fill>
  static ByteView Build(size_t size, Fill&& fill) {
    if (size == 0) return ByteView();
    internal::SharedBuffer* buf = internal::SharedBuffer::Allocate(size);
    fill(buf->data());
    return ByteView(buf, buf->data(), size);
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // The time after which the value is stale, as nanoseconds since the Unix
  // epoch (the wire's unit); 0 when it never expires.
  int64_t expire_unix_nanos() const { return expire_ns_; }
  bool expires() const { return expire_ns_ != 0; }
  // The expiry as a time point; the epoch when the value never expires.
  std::chrono::system_clock::time_point expiry() const {
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::nanoseconds(expire_ns_)));
  }
  // True when the value expires and `now_unix_nanos` is at or past its expiry.
  bool ExpiredAt(int64_t now_unix_nanos) const { return expire_ns_ != 0 && now_unix_nanos >= expire_ns_; }
  // Returns the same bytes (shared, no copy) expiring at `expire_unix_nanos`
  // (0: never). A time at or before the epoch is taken as the epoch plus one
  // nanosecond: already expired, not "never".
  ByteView WithExpiry(int64_t expire_unix_nanos) const& {
    ByteView copy(*this);
    copy.set_expiry(expire_unix_nanos);
    return copy;
  }
  ByteView WithExpiry(int64_t expire_unix_nanos) && {
    set_expiry(expire_unix_nanos);
    return std::move(*this);
  }
  ByteView WithExpiry(std::chrono::system_clock::time_point when) const& {
    return WithExpiry(ToUnixNanos(when));
  }
  ByteView WithExpiry(std::chrono::system_clock::time_point when) && {
    return std::move(*this).WithExpiry(ToUnixNanos(when));
  }
  // `when` as nanoseconds since the Unix epoch, at least 1 (saturating).
  static int64_t ToUnixNanos(std::chrono::system_clock::time_point when) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(when.time_since_epoch()).count();
    return ns < 1 ? 1 : ns;
  }
  // The bytes; valid while any view of this buffer lives. Never null.
  const char* data() const { return size_ ? data_ : ""; }
  std::string_view view() const { return {data(), size_}; }
  std::string ToString() const { return std::string(view()); }
  // REQUIRES: i < size()
  char At(size_t i) const { return data_[i]; }

  // Returns the bytes [from, to) sharing this view's buffer, with this view's
  // expiry; bounds are clamped to size().
  ByteView Slice(size_t from, size_t to) const;
  ByteView SliceFrom(size_t from) const { return Slice(from, size_); }
  // The XXH64 hash (seed 0) of the bytes: a fast, non-cryptographic digest,
  // the same on every host and in every version (servers use it as an
  // ETag). Computed once per buffer and remembered with it: later calls, on
  // any view of the same bytes from any thread, cost a load. One range per
  // buffer is remembered, the first hashed; a view of another range of the
  // buffer is hashed each time. Reads the whole view the first time.
  uint64_t Hash64() const;
  // XXH64 (seed 0) of `bytes`, not remembered.
  static uint64_t Hash64Of(std::string_view bytes);

  // Copies min(size(), dest_size) bytes to dest and returns how many it copied.
  size_t CopyTo(char* dest, size_t dest_size) const;

  void swap(ByteView& other) noexcept {
    std::swap(buf_, other.buf_);
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(expire_ns_, other.expire_ns_);
  }

  friend bool operator==(const ByteView& a, const ByteView& b) { return a.view() == b.view(); }
  friend bool operator==(const ByteView& a, std::string_view b) { return a.view() == b; }

 private:
  // Adopts one reference to buf.
  ByteView(internal::SharedBuffer* buf, const char* data, size_t size)
      : buf_(buf), data_(data), size_(size) {}

  void set_expiry(int64_t expire_unix_nanos) { expire_ns_ = expire_unix_nanos < 0 ? 1 : expire_unix_nanos; }

  internal::SharedBuffer* buf_ = nullptr;
  const char* data_ = nullptr;
  size_t size_ = 0;
  int64_t expire_ns_ = 0;  // Unix nanoseconds; 0: never
};

}  // namespace groupcache

#endif  // GROUPCACHE_BYTE_VIEW_H_
