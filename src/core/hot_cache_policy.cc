// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include <random>

#include "groupcache/group.h"

namespace groupcache {
namespace {

uint32_t ThreadLocalRandom(uint32_t n) {
  thread_local std::minstd_rand engine(std::random_device{}());
  return std::uniform_int_distribution<uint32_t>(0, n - 1)(engine);
}

class RandomPolicy final : public HotCachePolicy {
 public:
  RandomPolicy(uint32_t one_in, RandomSource random)
      : one_in_(one_in == 0 ? 1 : one_in),
        random_(random ? std::move(random) : RandomSource(ThreadLocalRandom)) {}
  bool Admit(std::string_view, const ByteView&) override { return random_(one_in_) == 0; }

 private:
  uint32_t one_in_;
  RandomSource random_;
};

}  // namespace

std::shared_ptr<HotCachePolicy> RandomHotCachePolicy(uint32_t one_in, RandomSource random) {
  return std::make_shared<RandomPolicy>(one_in, std::move(random));
}

}  // namespace groupcache
