// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/byte_view.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <new>

namespace groupcache {
namespace internal {

SharedBuffer* SharedBuffer::Allocate(size_t size) {
  constexpr size_t kLine = 64;
  // malloc returns 16-byte aligned memory, so the next line starts at most 48
  // bytes in; the line itself (header and the first bytes of data) must be
  // ours to its end even for a short value.
  constexpr size_t kMaxPad = kLine - alignof(std::max_align_t);
  static_assert(sizeof(SharedBuffer) <= kLine && alignof(std::max_align_t) <= kLine);
  if (size > std::numeric_limits<size_t>::max() - kLine - kMaxPad) throw std::bad_alloc();
  const size_t bytes = kMaxPad + std::max(kLine, sizeof(SharedBuffer) + size);
  char* mem = static_cast<char*>(std::malloc(bytes));
  if (mem == nullptr) throw std::bad_alloc();
  const size_t offset = (kLine - reinterpret_cast<uintptr_t>(mem) % kLine) % kLine;
  return new (mem + offset) SharedBuffer(offset);
}

void SharedBuffer::Free() {
  char* mem = reinterpret_cast<char*>(this) - offset_;
  this->~SharedBuffer();
  std::free(mem);
}

}  // namespace internal

ByteView ByteView::CopyOf(std::string_view bytes) {
  return Build(bytes.size(), [&](char* dest) { std::memcpy(dest, bytes.data(), bytes.size()); });
}

ByteView ByteView::Slice(size_t from, size_t to) const {
  to = std::min(to, size_);
  from = std::min(from, to);
  ByteView slice;
  if (from < to) {
    if (buf_) buf_->Ref();
    slice = ByteView(buf_, data_ + from, to - from);
  }
  slice.expire_ns_ = expire_ns_;
  return slice;
}

size_t ByteView::CopyTo(char* dest, size_t dest_size) const {
  size_t n = std::min(dest_size, size_);
  if (n) std::memcpy(dest, data_, n);
  return n;
}

}  // namespace groupcache
