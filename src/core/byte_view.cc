// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/byte_view.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
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

bool SharedBuffer::RecallHash(uint64_t tag, uint64_t* hash) const {
  if (hash_tag_.load(std::memory_order_acquire) != tag) return false;
  *hash = hash_.load(std::memory_order_relaxed);
  return true;
}

void SharedBuffer::RememberHash(uint64_t tag, uint64_t hash) {
  uint64_t none = 0;
  if (!hash_tag_.compare_exchange_strong(none, 1, std::memory_order_relaxed)) return;
  hash_.store(hash, std::memory_order_relaxed);
  hash_tag_.store(tag, std::memory_order_release);
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

namespace {

uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

uint64_t Read64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;  // little-endian hosts only (x86-64, arm64): XXH64 reads little-endian
}

uint32_t Read32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

// XXH64 as "XXH64 algorithm description" (github.com/Cyan4973/xxHash) has
// it, written out rather than taken from libxxhash-dev: fifty lines, and a
// digest that must never change under us (it is an ETag clients keep).
uint64_t ByteView::Hash64Of(std::string_view bytes) {
  constexpr uint64_t kP1 = 0x9E3779B185EBCA87ULL;
  constexpr uint64_t kP2 = 0xC2B2AE3D27D4EB4FULL;
  constexpr uint64_t kP3 = 0x165667B19E3779F9ULL;
  constexpr uint64_t kP4 = 0x85EBCA77C2B2AE63ULL;
  constexpr uint64_t kP5 = 0x27D4EB2F165667C5ULL;
  auto round = [](uint64_t acc, uint64_t input) { return Rotl(acc + input * kP2, 31) * kP1; };
  auto merge = [&](uint64_t acc, uint64_t v) { return (acc ^ round(0, v)) * kP1 + kP4; };

  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  uint64_t h;
  if (bytes.size() >= 32) {
    uint64_t v1 = kP1 + kP2, v2 = kP2, v3 = 0, v4 = 0 - kP1;
    for (; end - p >= 32; p += 32) {
      v1 = round(v1, Read64(p));
      v2 = round(v2, Read64(p + 8));
      v3 = round(v3, Read64(p + 16));
      v4 = round(v4, Read64(p + 24));
    }
    h = Rotl(v1, 1) + Rotl(v2, 7) + Rotl(v3, 12) + Rotl(v4, 18);
    h = merge(merge(merge(merge(h, v1), v2), v3), v4);
  } else {
    h = kP5;
  }
  h += bytes.size();
  for (; end - p >= 8; p += 8) h = Rotl(h ^ round(0, Read64(p)), 27) * kP1 + kP4;
  if (end - p >= 4) {
    h = Rotl(h ^ (Read32(p) * kP1), 23) * kP2 + kP3;
    p += 4;
  }
  for (; p < end; ++p) h = Rotl(h ^ (static_cast<unsigned char>(*p) * kP5), 11) * kP1;
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

uint64_t ByteView::Hash64() const {
  if (buf_ == nullptr) return Hash64Of(view());
  // The range's tag: where it starts in the buffer (plus one, so no tag is
  // 0 or 1) and its size, when both fit in 32 bits; larger ones are not
  // remembered.
  const uint64_t offset = static_cast<uint64_t>(data_ - buf_->data());
  if (offset >= (uint64_t{1} << 31) || size_ >= (uint64_t{1} << 32)) return Hash64Of(view());
  const uint64_t tag = (offset + 1) << 32 | size_;
  uint64_t hash;
  if (buf_->RecallHash(tag, &hash)) return hash;
  hash = Hash64Of(view());
  buf_->RememberHash(tag, hash);
  return hash;
}

size_t ByteView::CopyTo(char* dest, size_t dest_size) const {
  size_t n = std::min(dest_size, size_);
  if (n) std::memcpy(dest, data_, n);
  return n;
}

}  // namespace groupcache
