// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/log.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <latch>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace groupcached {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

// LogOptions with one field set (designated initializers would trip
// -Wmissing-field-initializers).
template <typename F>
LogOptions Options(F set) {
  LogOptions options;
  set(options);
  return options;
}

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/groupcached_log_test.XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    path_ = dir_ + "/groupcached.log";
  }
  void TearDown() override {
    unlink(path_.c_str());
    unlink((dir_ + "/link.log").c_str());
    rmdir(dir_.c_str());
  }

  std::unique_ptr<Logger> Make(LogOptions options) {
    options.file = path_;
    auto logger = Logger::Create(options);
    EXPECT_TRUE(logger.ok()) << logger.status().message();
    return logger.ok() ? std::move(logger).value() : nullptr;
  }

  std::vector<std::string> Lines() {
    std::ifstream in(path_);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(LogTest, TextLineFormat) {
  auto logger = Make({});
  logger->Info("listening", {{"api", "127.0.0.1:8080"}, {"note", "two words"}, {"empty", ""}});
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(
      lines[0],
      MatchesRegex(R"(^ts=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z level=info )"
                   R"(msg="listening" api=127\.0\.0\.1:8080 note="two words" empty=""$)"));
}

TEST_F(LogTest, TextLinesAreLogfmt) {
  // Before, "TS info listening k=v": the message was neither keyed nor
  // quoted, so logfmt parsers read its words as keys without values.
  auto logger = Make({});
  logger->Info("peer a=b said \"hi\"", {{"msg", "not the message"}, {"level", "x"}, {"ok", "plain"}});
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], MatchesRegex(R"(^ts=[^ ]+ level=info msg="peer a=b said \\"hi\\"" )"
                                     R"(field\.msg="not the message" field\.level=x ok=plain$)"));
}

TEST_F(LogTest, IntegerFieldsAreJsonNumbers) {
  auto logger = Make(Options([&](LogOptions& o) { o.json = true; }));
  logger->Info("membership changed",
               {{"peers", size_t{3}}, {"delta", -2}, {"port", "8443"}, {"note", std::string("12")}});
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  // Numbers stay numbers; text stays text, even when it looks like a number.
  EXPECT_THAT(lines[0], HasSubstr(R"("peers":3,"delta":-2,"port":"8443","note":"12"})"));

  auto text = Make({});
  text->Info("n", {{"peers", 3}});
  EXPECT_THAT(Lines().back(), HasSubstr(R"(msg="n" peers=3)"));
}

TEST_F(LogTest, LevelsFilter) {
  auto logger = Make(Options([&](LogOptions& o) { o.level = LogLevel::kWarn; }));
  EXPECT_FALSE(logger->enabled(LogLevel::kInfo));
  EXPECT_TRUE(logger->enabled(LogLevel::kError));
  logger->Debug("d");
  logger->Info("i");
  logger->Warn("w");
  logger->Error("e");
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], HasSubstr(" level=warn msg=\"w\""));
  EXPECT_THAT(lines[1], HasSubstr(" level=error msg=\"e\""));
}

TEST_F(LogTest, TextEscapingCannotForgeLinesOrFields) {
  auto logger = Make({});
  logger->Warn("bad\nrequest", {{"error", "x\n2026-01-01T00:00:00.000Z error forged=1"},
                                {"quote", "a\" injected=\"b"},
                                {"bytes", std::string("\x01\x7f\xff", 3)},
                                {"bad name=", "v"}});
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u) << "a field value started a new line";
  EXPECT_THAT(
      lines[0],
      HasSubstr(R"(level=warn msg="bad\nrequest" error="x\n2026-01-01T00:00:00.000Z error forged=1")"));
  EXPECT_THAT(lines[0], HasSubstr(R"(quote="a\" injected=\"b")"));
  EXPECT_THAT(lines[0], HasSubstr(R"(bytes="\x01\x7f\xff")"));
  EXPECT_THAT(lines[0], HasSubstr(" bad_name_=v"));
}

TEST_F(LogTest, JsonFormatIsEscaped) {
  auto logger = Make(Options([&](LogOptions& o) { o.json = true; }));
  logger->Error("fetch \"failed\"", {{"error", std::string("a\\b\n\t\x01\xff", 7)},
                                     {"msg", "cannot replace the message"},
                                     {"ok", "caf\xc3\xa9"}});
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], StartsWith(R"({"ts":")"));
  EXPECT_THAT(lines[0], HasSubstr(R"("level":"error","msg":"fetch \"failed\"")"));
  EXPECT_THAT(lines[0], HasSubstr(R"("error":"a\\b\n\t\u0001\ufffd")"));
  EXPECT_THAT(lines[0], HasSubstr(R"("field.msg":"cannot replace the message")"));
  EXPECT_THAT(lines[0], HasSubstr("\"ok\":\"caf\xc3\xa9\"}"));
}

TEST_F(LogTest, KeyRefHidesTheKey) {
  auto logger = Make({});
  const std::string key = "customer-4711-secret-document";
  const std::string ref = logger->KeyRef(key);
  EXPECT_THAT(ref, MatchesRegex("^k:[0-9a-f]{16}$"));
  EXPECT_EQ(ref, logger->KeyRef(key)) << "one key must always map to the same reference";
  EXPECT_NE(ref, logger->KeyRef(key + "x"));
  logger->Info("loaded", {{"key", ref}});
  EXPECT_THAT(Lines()[0], Not(HasSubstr("4711")));

  // A random per-process secret: another logger hashes differently...
  auto other = Logger::Create({});
  ASSERT_TRUE(other.ok());
  EXPECT_NE((*other)->KeyRef(key), ref);
  // ...unless both share the configured secret, as the nodes of a cluster do.
  auto a = Logger::Create(Options([&](LogOptions& o) { o.key_hash_secret = "0123456789abcdef0123"; }));
  auto b = Logger::Create(Options([&](LogOptions& o) { o.key_hash_secret = "0123456789abcdef0123"; }));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->KeyRef(key), (*b)->KeyRef(key));
}

TEST_F(LogTest, RevealKeysShowsTheKey) {
  auto logger = Make(Options([&](LogOptions& o) { o.reveal_keys = true; }));
  EXPECT_EQ(logger->KeyRef("red"), "red");
}

TEST_F(LogTest, FileIsCreatedWith0600AndAppended) {
  const mode_t old_umask = umask(0);  // the mode must not depend on the umask
  {
    auto logger = Make({});
    logger->Info("first");
  }
  umask(old_umask);
  struct stat st;
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  {
    auto logger = Make({});
    logger->Info("second");
    logger->Flush();
  }
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[1], HasSubstr("second"));
}

TEST_F(LogTest, RefusesAFileOthersCanRead) {
  const int fd = open(path_.c_str(), O_CREAT | O_WRONLY, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(fchmod(fd, 0644), 0);
  close(fd);
  auto logger = Logger::Create(Options([&](LogOptions& o) { o.file = path_; }));
  ASSERT_FALSE(logger.ok());
  EXPECT_THAT(logger.status().message(), HasSubstr("log file " + path_ + ": has mode 0644"));
  EXPECT_THAT(logger.status().message(), HasSubstr("chmod 600 " + path_));
}

TEST_F(LogTest, RefusesASymlink) {
  const std::string link = dir_ + "/link.log";
  ASSERT_EQ(symlink(path_.c_str(), link.c_str()), 0);
  auto logger = Logger::Create(Options([&](LogOptions& o) { o.file = link; }));
  ASSERT_FALSE(logger.ok());
  EXPECT_THAT(logger.status().message(), HasSubstr("is a symbolic link"));
}

TEST_F(LogTest, ConcurrentLinesStayWhole) {
  auto logger = Make({});
  constexpr int kThreads = 4;
  constexpr int kLines = 200;
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kLines; ++i) {
        logger->Info("line", {{"thread", std::to_string(t)}, {"pad", std::string(300, 'x')}});
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto lines = Lines();
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLines));
  for (const std::string& line : lines)
    EXPECT_THAT(line, MatchesRegex(".* level=info msg=\"line\" thread=[0-3] pad=x{300}$"));
}

TEST(LogLevelTest, ParseAndName) {
  EXPECT_EQ(*ParseLogLevel("warn"), LogLevel::kWarn);
  EXPECT_EQ(LogLevelName(LogLevel::kDebug), "debug");
  EXPECT_FALSE(ParseLogLevel("WARN").ok());
}

}  // namespace
}  // namespace groupcached
