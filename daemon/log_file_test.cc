// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// LogFile on its own; log_test.cc covers the same refusals through
// Logger::Create.
#include "daemon/log_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace groupcached {
namespace {

using ::testing::HasSubstr;

class LogFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/groupcached_log_file_test.XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    path_ = dir_ + "/groupcached.log";
  }
  void TearDown() override {
    unlink(path_.c_str());
    rmdir(dir_.c_str());
  }

  std::string Contents() const {
    std::ifstream in(path_);
    std::stringstream out;
    out << in.rdbuf();
    return out.str();
  }

  std::string dir_;
  std::string path_;
};

TEST_F(LogFileTest, AppendsWholeLinesAndKeepsWhatWasThere) {
  {
    auto file = LogFile::Open(path_);
    ASSERT_TRUE(file.ok()) << file.status().message();
    EXPECT_EQ((*file)->path(), path_);
    (*file)->Write("one\n");
  }
  {
    auto file = LogFile::Open(path_);
    ASSERT_TRUE(file.ok()) << file.status().message();
    (*file)->Write("two\n");
    (*file)->Sync();
  }
  EXPECT_EQ(Contents(), "one\ntwo\n");
  struct stat st;
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(LogFileTest, RefusesWhatIsNotARegularFile) {
  auto device = LogFile::Open("/dev/null");
  ASSERT_FALSE(device.ok());
  EXPECT_THAT(device.status().message(), HasSubstr("log file /dev/null: is not a regular file"));
  auto directory = LogFile::Open(dir_);
  ASSERT_FALSE(directory.ok());
  EXPECT_THAT(directory.status().message(), HasSubstr("log file " + dir_ + ": cannot open"));
}

TEST_F(LogFileTest, RefusesAFileTheGroupCanWrite) {
  const int fd = open(path_.c_str(), O_CREAT | O_WRONLY, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(fchmod(fd, 0620), 0);
  close(fd);
  auto file = LogFile::Open(path_);
  ASSERT_FALSE(file.ok());
  EXPECT_THAT(file.status().message(), HasSubstr("has mode 0620"));
  EXPECT_THAT(file.status().message(), HasSubstr("chmod 600 " + path_));
  EXPECT_EQ(Contents(), "") << "a refused file was written to";
}

TEST_F(LogFileTest, ReopenAfterARenameWritesToANewFile) {
  auto file = LogFile::Open(path_);
  ASSERT_TRUE(file.ok()) << file.status().message();
  (*file)->Write("before\n");
  const std::string rotated = dir_ + "/groupcached.log.1";
  ASSERT_EQ(::rename(path_.c_str(), rotated.c_str()), 0);
  (*file)->Write("still old\n");
  ASSERT_TRUE((*file)->Reopen().ok());
  (*file)->Write("after\n");
  EXPECT_EQ(Contents(), "after\n");
  std::ifstream in(rotated);
  std::stringstream old;
  old << in.rdbuf();
  EXPECT_EQ(old.str(), "before\nstill old\n");
  struct stat st;
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  unlink(rotated.c_str());
}

TEST_F(LogFileTest, RefusedReopenKeepsTheCurrentFile) {
  auto file = LogFile::Open(path_);
  ASSERT_TRUE(file.ok()) << file.status().message();
  const std::string rotated = dir_ + "/groupcached.log.1";
  ASSERT_EQ(::rename(path_.c_str(), rotated.c_str()), 0);
  ASSERT_EQ(::symlink(rotated.c_str(), path_.c_str()), 0);  // planted where the log goes
  const groupcache::Status reopened = (*file)->Reopen();
  EXPECT_THAT(reopened.message(), HasSubstr("is a symbolic link"));
  (*file)->Write("kept\n");
  unlink(path_.c_str());
  std::ifstream in(rotated);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "kept\n");
  unlink(rotated.c_str());
}

TEST(LogFileStderrTest, HasNoPathAndNothingToReopen) {
  auto file = LogFile::Stderr();
  EXPECT_EQ(file->path(), "");
  EXPECT_TRUE(file->Reopen().ok());
}

}  // namespace
}  // namespace groupcached
