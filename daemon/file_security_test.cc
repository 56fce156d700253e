// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/file_security.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace groupcached {
namespace {

using groupcache::Status;
using ::testing::HasSubstr;

class FileSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/groupcached_fs_test.XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
  }
  void TearDown() override {
    for (auto it = created_.rbegin(); it != created_.rend(); ++it) {
      if (unlink(it->c_str()) != 0) rmdir(it->c_str());
    }
    chmod(dir_.c_str(), 0700);
    rmdir(dir_.c_str());
  }

  // Creates dir_/name with `content` and `mode` (set with chmod, so the
  // umask does not interfere).
  std::string Make(const std::string& name, mode_t mode, const std::string& content = "x") {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << content;
    EXPECT_EQ(chmod(path.c_str(), mode), 0);
    created_.push_back(path);
    return path;
  }

  std::string Link(const std::string& name, const std::string& target) {
    const std::string path = dir_ + "/" + name;
    EXPECT_EQ(symlink(target.c_str(), path.c_str()), 0);
    created_.push_back(path);
    return path;
  }

  std::string dir_;
  std::vector<std::string> created_;
};

TEST_F(FileSecurityTest, ConfigFileModes) {
  EXPECT_TRUE(CheckConfigFile(Make("ok.toml", 0644)).ok());
  EXPECT_TRUE(CheckConfigFile(Make("private.toml", 0600)).ok());

  const std::string group_writable = Make("gw.toml", 0664);
  Status status = CheckConfigFile(group_writable);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), groupcache::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("config file " + group_writable + ": has mode 0664"));
  EXPECT_THAT(status.message(), HasSubstr("chmod go-w " + group_writable));

  EXPECT_FALSE(CheckConfigFile(Make("ow.toml", 0646)).ok());
}

TEST_F(FileSecurityTest, MissingFileIsNamed) {
  Status status = CheckConfigFile(dir_ + "/missing.toml");
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr(dir_ + "/missing.toml: No such file"));
}

TEST_F(FileSecurityTest, PrivateKeyModes) {
  EXPECT_TRUE(CheckKeyMaterial(Make("a.key", 0600), true).ok());
  EXPECT_TRUE(CheckKeyMaterial(Make("b.key", 0640), true).ok());
  EXPECT_TRUE(CheckKeyMaterial(Make("c.key", 0400), true).ok());

  const std::string world_readable = Make("d.key", 0644);
  Status status = CheckKeyMaterial(world_readable, true);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr(world_readable));
  EXPECT_THAT(status.message(), HasSubstr("readable by others"));
  EXPECT_THAT(status.message(), HasSubstr("chmod o-r " + world_readable));

  status = CheckKeyMaterial(Make("e.key", 0620), true);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("writable by group or others"));
}

TEST_F(FileSecurityTest, CertificatesMayBeReadableButNotWritable) {
  EXPECT_TRUE(CheckKeyMaterial(Make("ca.pem", 0644), false).ok());
  Status status = CheckKeyMaterial(Make("node.pem", 0666), false);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("chmod go-w"));
}

TEST_F(FileSecurityTest, SymlinksAreJudgedByTheirTarget) {
  const std::string good = Make("real.key", 0600);
  EXPECT_TRUE(CheckKeyMaterial(Link("good-link.key", good), true).ok());

  const std::string open_target = Make("open.toml", 0666);
  const std::string link = Link("link.toml", open_target);
  Status status = CheckConfigFile(link);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(),
              HasSubstr("config file " + link + ": its target " + open_target + " has mode 0666"));
  EXPECT_THAT(status.message(), HasSubstr("chmod go-w " + open_target));

  EXPECT_FALSE(CheckConfigFile(Link("dangling.toml", dir_ + "/nowhere")).ok());
}

TEST_F(FileSecurityTest, WritableDirectoryIsRefused) {
  const std::string config = Make("c.toml", 0644);
  ASSERT_EQ(chmod(dir_.c_str(), 0777), 0);
  Status status = CheckConfigFile(config);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("its directory " + dir_));
  EXPECT_THAT(status.message(), HasSubstr("chmod go-w " + dir_));
  // With the sticky bit (as /tmp), others cannot replace our file.
  ASSERT_EQ(chmod(dir_.c_str(), 01777), 0);
  EXPECT_TRUE(CheckConfigFile(config).ok());
}

TEST_F(FileSecurityTest, DirectoryIsNotAConfigFile) {
  const std::string sub = dir_ + "/sub";
  ASSERT_EQ(mkdir(sub.c_str(), 0755), 0);
  created_.push_back(sub);
  Status status = CheckConfigFile(sub);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("not a regular file"));
}

TEST_F(FileSecurityTest, LogFile) {
  EXPECT_TRUE(CheckLogFile(dir_ + "/new.log").ok()) << "a missing file is created later";
  EXPECT_FALSE(CheckLogFile(dir_ + "/no-such-dir/new.log").ok());
  EXPECT_TRUE(CheckLogFile(Make("ok.log", 0600)).ok());
  const std::string readable = Make("readable.log", 0640);
  Status status = CheckLogFile(readable);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("log file " + readable + ": has mode 0640"));
  EXPECT_THAT(status.message(), HasSubstr("chmod 600 " + readable));
  status = CheckLogFile(Link("link.log", dir_ + "/ok.log"));
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("is a symbolic link"));
}

TEST_F(FileSecurityTest, ReadSecretFile) {
  EXPECT_EQ(*ReadSecretFile(Make("p1", 0600, "hunter2\n")), "hunter2");
  EXPECT_EQ(*ReadSecretFile(Make("p2", 0600, "hunter2\r\n")), "hunter2");
  EXPECT_EQ(*ReadSecretFile(Make("p3", 0600, "hunter2")), "hunter2");
  EXPECT_EQ(*ReadSecretFile(Make("p4", 0600, "two\n\n")), "two\n") << "only one newline is stripped";
  EXPECT_EQ(ReadSecretFile(Make("p5", 0600, std::string(4096, 'a') + "\n"))->size(), 4096u);

  auto too_long = ReadSecretFile(Make("p6", 0600, std::string(5000, 'a')));
  ASSERT_FALSE(too_long.ok());
  EXPECT_THAT(too_long.status().message(), HasSubstr("longer than 4096 bytes"));
  auto empty = ReadSecretFile(Make("p7", 0600, "\n"));
  ASSERT_FALSE(empty.ok());
  EXPECT_THAT(empty.status().message(), HasSubstr("is empty"));
  EXPECT_FALSE(ReadSecretFile(dir_ + "/missing").ok());
  EXPECT_FALSE(ReadSecretFile(dir_).ok());
}

}  // namespace
}  // namespace groupcached
