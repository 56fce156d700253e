// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/status.h"

#include <cctype>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace groupcache {
namespace {

const std::vector<StatusCode>& AllCodes() {
  static const std::vector<StatusCode> codes = {
      StatusCode::kOk,
      StatusCode::kNotFound,
      StatusCode::kInvalidArgument,
      StatusCode::kAlreadyExists,
      StatusCode::kUnavailable,
      StatusCode::kDeadlineExceeded,
      StatusCode::kResourceExhausted,
      StatusCode::kInternal,
  };
  return codes;
}

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_EQ(Status::Ok(), s);
}

TEST(StatusTest, FactoriesSetCodeAndMessage) {
  struct Case {
    Status status;
    StatusCode code;
  };
  const std::vector<Case> cases = {
      {Status::NotFound("m1"), StatusCode::kNotFound},
      {Status::InvalidArgument("m2"), StatusCode::kInvalidArgument},
      {Status::AlreadyExists("m3"), StatusCode::kAlreadyExists},
      {Status::Unavailable("m4"), StatusCode::kUnavailable},
      {Status::DeadlineExceeded("m5"), StatusCode::kDeadlineExceeded},
      {Status::ResourceExhausted("m6"), StatusCode::kResourceExhausted},
      {Status::Internal("m7"), StatusCode::kInternal},
  };
  int i = 1;
  for (const Case& c : cases) {
    EXPECT_FALSE(c.status.ok());
    EXPECT_EQ(c.status.code(), c.code);
    EXPECT_EQ(c.status.message(), "m" + std::to_string(i));
    ++i;
  }
}

TEST(StatusTest, ToStringIsCodeNameColonMessage) {
  Status s = Status::NotFound("color not found");
  EXPECT_EQ(s.ToString(), "not found: color not found");
  for (StatusCode code : AllCodes()) {
    if (code == StatusCode::kOk) continue;
    Status st(code, "ctx");
    EXPECT_EQ(st.ToString(), std::string(StatusCodeName(code)) + ": ctx");
  }
}

bool IsLowerCase(std::string_view s) {
  for (char c : s) {
    if (std::isupper(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

TEST(StatusTest, CodeNamesAreDistinctNonEmptyLowerCase) {
  EXPECT_EQ(StatusCodeName(StatusCode::kNotFound), "not found");
  std::set<std::string> seen;
  for (StatusCode code : AllCodes()) {
    std::string name(StatusCodeName(code));
    EXPECT_FALSE(name.empty());
    if (code != StatusCode::kOk) {
      EXPECT_TRUE(IsLowerCase(name)) << name;
    }
    EXPECT_TRUE(seen.insert(name).second) << "duplicate name " << name;
  }
}

// status.h: "Returns a stable lower-case name for `code`". ToString() of an
// OK status is "OK", but the code's name is documented as lower case too.
TEST(StatusTest, OkCodeNameIsLowerCaseAsDocumented) {
  EXPECT_TRUE(IsLowerCase(StatusCodeName(StatusCode::kOk))) << StatusCodeName(StatusCode::kOk);
}

TEST(StatusTest, EqualityComparesCodeAndMessage) {
  EXPECT_EQ(Status::NotFound("a"), Status::NotFound("a"));
  EXPECT_FALSE(Status::NotFound("a") == Status::NotFound("b"));
  EXPECT_FALSE(Status::NotFound("a") == Status::Internal("a"));
  EXPECT_FALSE(Status::NotFound("") == Status::Ok());
}

TEST(StatusTest, IsACopyableValue) {
  Status a = Status::Unavailable("peer down");
  Status b = a;
  EXPECT_EQ(a, b);
  Status c = std::move(b);
  EXPECT_EQ(c.code(), StatusCode::kUnavailable);
  EXPECT_EQ(c.message(), "peer down");
}

TEST(ResultTest, HoldsValue) {
  Result<int> r(42);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.status().ok());
  EXPECT_EQ(r.value(), 42);
  EXPECT_EQ(*r, 42);
}

TEST(ResultTest, HoldsError) {
  Result<int> r(Status::NotFound("nope"));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "nope");
}

TEST(ResultTest, ImplicitConversionsForReturn) {
  auto make = [](bool ok) -> Result<std::string> {
    if (ok) return std::string("v");
    return Status::Internal("boom");
  };
  EXPECT_EQ(make(true).value(), "v");
  EXPECT_EQ(make(false).status().code(), StatusCode::kInternal);
}

TEST(ResultTest, ArrowAndMoveOut) {
  Result<std::string> r(std::string("hello"));
  EXPECT_EQ(r->size(), 5u);
  std::string moved = std::move(r).value();
  EXPECT_EQ(moved, "hello");
}

TEST(ResultTest, HoldsMoveOnlyValue) {
  Result<std::unique_ptr<int>> r(std::make_unique<int>(7));
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 7);
}

TEST(ResultTest, MutableValue) {
  Result<std::vector<int>> r(std::vector<int>{1, 2});
  r.value().push_back(3);
  EXPECT_EQ(r.value().size(), 3u);
}

}  // namespace
}  // namespace groupcache
