// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/function.h"

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace groupcache {
namespace {

static_assert(!std::is_copy_constructible_v<MoveOnlyFunction<void()>>);
static_assert(std::is_nothrow_move_constructible_v<MoveOnlyFunction<void()>>);
static_assert(std::is_nothrow_move_assignable_v<MoveOnlyFunction<void()>>);
// Not constructible from something that cannot be called with the signature.
static_assert(!std::is_constructible_v<MoveOnlyFunction<void(int)>, int>);
static_assert(!std::is_constructible_v<MoveOnlyFunction<int(std::string)>, std::function<int(int*)>>);

int Twice(int x) { return 2 * x; }

TEST(MoveOnlyFunctionTest, DefaultAndNullAreEmpty) {
  MoveOnlyFunction<void()> a;
  MoveOnlyFunction<void()> b = nullptr;
  EXPECT_FALSE(a);
  EXPECT_FALSE(b);
}

TEST(MoveOnlyFunctionTest, CallsLambdaWithArgumentsAndReturn) {
  MoveOnlyFunction<int(int, int)> add = [](int a, int b) { return a + b; };
  ASSERT_TRUE(add);
  EXPECT_EQ(add(2, 3), 5);
}

TEST(MoveOnlyFunctionTest, CallsFunctionPointer) {
  MoveOnlyFunction<int(int)> f = &Twice;
  EXPECT_EQ(f(21), 42);
  MoveOnlyFunction<int(int)> g = Twice;
  EXPECT_EQ(g(4), 8);
}

TEST(MoveOnlyFunctionTest, AcceptsMoveOnlyCallable) {
  auto owned = std::make_unique<int>(17);
  MoveOnlyFunction<int()> f = [p = std::move(owned)] { return *p; };
  EXPECT_EQ(f(), 17);
}

TEST(MoveOnlyFunctionTest, AcceptsCopyableCallableAndStdFunction) {
  std::function<std::string(std::string)> shout = [](std::string s) { return s + "!"; };
  MoveOnlyFunction<std::string(std::string)> f = shout;
  EXPECT_EQ(f("hi"), "hi!");
  EXPECT_EQ(shout("still"), "still!");  // the source was copied, not moved from
}

TEST(MoveOnlyFunctionTest, CallableIsMutable) {
  MoveOnlyFunction<int()> counter = [n = 0]() mutable { return ++n; };
  EXPECT_EQ(counter(), 1);
  EXPECT_EQ(counter(), 2);
  EXPECT_EQ(counter(), 3);
}

TEST(MoveOnlyFunctionTest, MoveTransfersTarget) {
  MoveOnlyFunction<int()> a = [] { return 9; };
  MoveOnlyFunction<int()> b = std::move(a);
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): unique_ptr-like state
  ASSERT_TRUE(b);
  EXPECT_EQ(b(), 9);

  MoveOnlyFunction<int()> c;
  c = std::move(b);
  EXPECT_FALSE(b);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(c(), 9);
}

TEST(MoveOnlyFunctionTest, AssignNullEmpties) {
  MoveOnlyFunction<int()> a = [] { return 1; };
  a = nullptr;
  EXPECT_FALSE(a);
}

TEST(MoveOnlyFunctionTest, ForwardsReferenceArguments) {
  MoveOnlyFunction<void(int&)> inc = [](int& x) { ++x; };
  int v = 1;
  inc(v);
  EXPECT_EQ(v, 2);
}

TEST(MoveOnlyFunctionTest, PassesMoveOnlyArgument) {
  MoveOnlyFunction<int(std::unique_ptr<int>)> take = [](std::unique_ptr<int> p) { return *p; };
  EXPECT_EQ(take(std::make_unique<int>(5)), 5);
}

TEST(MoveOnlyFunctionTest, NestedMoveOnlyFunctionArgument) {
  // The shape Group::Callback and PeerCallback are used in.
  MoveOnlyFunction<void(MoveOnlyFunction<void(int)>)> run = [](MoveOnlyFunction<void(int)> done) { done(3); };
  int got = 0;
  run([&got](int v) { got = v; });
  EXPECT_EQ(got, 3);
}

TEST(MoveOnlyFunctionTest, ConvertsReturnType) {
  MoveOnlyFunction<long()> f = [] { return 7; };
  EXPECT_EQ(f(), 7L);
}

TEST(MoveOnlyFunctionTest, DestroysTargetExactlyOnce) {
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> watch = token;
  {
    MoveOnlyFunction<void()> f = [t = std::move(token)] { (void)t; };
    EXPECT_FALSE(watch.expired());
    MoveOnlyFunction<void()> g = std::move(f);
    EXPECT_FALSE(watch.expired());
    f = std::move(g);
    EXPECT_FALSE(watch.expired());
  }
  EXPECT_TRUE(watch.expired());
}

TEST(MoveOnlyFunctionTest, ReassignDestroysOldTarget) {
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> watch = token;
  MoveOnlyFunction<void()> f = [t = std::move(token)] { (void)t; };
  f = [] {};
  EXPECT_TRUE(watch.expired());
}

TEST(MoveOnlyFunctionTest, StoredInContainer) {
  std::vector<MoveOnlyFunction<int()>> fns;
  for (int i = 0; i < 100; ++i) fns.emplace_back([p = std::make_unique<int>(i)] { return *p; });
  int sum = 0;
  for (auto& f : fns) sum += f();
  EXPECT_EQ(sum, 4950);
}

}  // namespace
}  // namespace groupcache
