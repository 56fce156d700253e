// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/byte_view.h"

#include <algorithm>
#include <cstdlib>
#include <new>

namespace groupcache {
namespace internal {

SharedBuffer* SharedBuffer::Allocate(size_t size) {
  void* mem = std::malloc(sizeof(SharedBuffer) + size);
  if (mem == nullptr) throw std::bad_alloc();
  return new (mem) SharedBuffer(size);
}

void SharedBuffer::Free() {
  this->~SharedBuffer();
  std::free(this);
}

}  // namespace internal

ByteView ByteView::CopyOf(std::string_view bytes) {
  return Build(bytes.size(), [&](char* dest) { std::memcpy(dest, bytes.data(), bytes.size()); });
}

ByteView ByteView::Slice(size_t from, size_t to) const {
  to = std::min(to, size_);
  from = std::min(from, to);
  if (from == to) return ByteView();
  if (buf_) buf_->Ref();
  return ByteView(buf_, data_ + from, to - from);
}

size_t ByteView::CopyTo(char* dest, size_t dest_size) const {
  size_t n = std::min(dest_size, size_);
  if (n) std::memcpy(dest, data_, n);
  return n;
}

}  // namespace groupcache
