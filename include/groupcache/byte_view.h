// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_BYTE_VIEW_H_
#define GROUPCACHE_BYTE_VIEW_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

namespace groupcache {

namespace internal {

// A reference-counted, immutable byte buffer whose bytes follow the header in
// the same allocation (one malloc per value, so a cached value costs its size
// plus 16 bytes). Written by hand rather than shared_ptr<std::string>, which
// needs two allocations and 48 bytes of overhead per value.
class SharedBuffer {
 public:
  // Returns a buffer of `size` uninitialised bytes with a reference count of 1.
  static SharedBuffer* Allocate(size_t size);

  char* data() { return reinterpret_cast<char*>(this + 1); }
  size_t size() const { return size_; }

  void Ref() { refs_.fetch_add(1, std::memory_order_relaxed); }
  void Unref() {
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) Free();
  }

 private:
  explicit SharedBuffer(size_t size) : size_(size) {}
  void Free();

  std::atomic<uint64_t> refs_{1};
  size_t size_;
};

}  // namespace internal

// A ByteView is an immutable sequence of bytes with shared ownership: copies
// and slices share one buffer and cost an atomic increment, never a byte copy.
// It is what caches hold and what Get returns. Equality is by content.
// Thread-safety: a ByteView is a value; distinct ByteView objects sharing one
// buffer may be used from any threads concurrently (the bytes never change).
class ByteView {
 public:
  ByteView() = default;  // empty
  ByteView(const ByteView& other) : buf_(other.buf_), data_(other.data_), size_(other.size_) {
    if (buf_) buf_->Ref();
  }
  ByteView(ByteView&& other) noexcept
      : buf_(std::exchange(other.buf_, nullptr)), data_(other.data_), size_(std::exchange(other.size_, 0)) {}
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
  // The bytes; valid while any view of this buffer lives. Never null.
  const char* data() const { return size_ ? data_ : ""; }
  std::string_view view() const { return {data(), size_}; }
  std::string ToString() const { return std::string(view()); }
  // REQUIRES: i < size()
  char At(size_t i) const { return data_[i]; }

  // Returns the bytes [from, to) sharing this view's buffer; bounds are clamped
  // to size().
  ByteView Slice(size_t from, size_t to) const;
  ByteView SliceFrom(size_t from) const { return Slice(from, size_); }
  // Copies min(size(), dest_size) bytes to dest and returns how many it copied.
  size_t CopyTo(char* dest, size_t dest_size) const;

  void swap(ByteView& other) noexcept {
    std::swap(buf_, other.buf_);
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
  }

  friend bool operator==(const ByteView& a, const ByteView& b) { return a.view() == b.view(); }
  friend bool operator==(const ByteView& a, std::string_view b) { return a.view() == b; }

 private:
  // Adopts one reference to buf.
  ByteView(internal::SharedBuffer* buf, const char* data, size_t size) : buf_(buf), data_(data), size_(size) {}

  internal::SharedBuffer* buf_ = nullptr;
  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace groupcache

#endif  // GROUPCACHE_BYTE_VIEW_H_
