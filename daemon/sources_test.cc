// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The static and files sources. (http_source_test.cc tests the http source.)
#include "sources.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace groupcached {
namespace {

namespace fs = std::filesystem;
using groupcache::Getter;
using groupcache::Sink;
using groupcache::Status;
using groupcache::StatusCode;

// Runs the getter; returns the status, and the value in *value.
Status Load(Getter& getter, std::string_view key, std::string* value = nullptr) {
  Sink sink;
  Status status = getter.Get(key, sink);
  if (value != nullptr) *value = sink.view().ToString();
  return status;
}

TEST(StaticSource, AnswersItsValuesAndNotFoundOtherwise) {
  auto source = MakeStaticSource({{"red", "#FF0000"}, {"empty", ""}});
  ASSERT_TRUE(source.ok());
  std::string value;
  EXPECT_TRUE(Load(**source, "red", &value).ok());
  EXPECT_EQ(value, "#FF0000");
  EXPECT_TRUE(Load(**source, "empty", &value).ok());
  EXPECT_EQ(value, "");
  EXPECT_EQ(Load(**source, "blue").code(), StatusCode::kNotFound);
  EXPECT_EQ(Load(**source, "").code(), StatusCode::kNotFound);
}

void WriteFile(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

// A temporary tree:
//   outside/secret.txt                 must never be served
//   root/a.txt, root/sub/b.txt         ordinary files
//   root/max.bin, root/big.bin         kMax and kMax + 1 bytes
//   root/dir/                          a directory
//   root/fifo                          a named pipe (opening it must not hang)
//   root/link_in -> sub/b.txt          a link that stays inside
//   root/sub/up -> ../a.txt            one that steps up, still inside
//   root/link_out -> ../outside/secret.txt
//   root/dirlink_out -> ../outside     a directory link out of the root
//   root/abs_link -> <root>/a.txt      absolute: refused even though inside
//   root/sub/deep_out -> ../../outside/secret.txt
class FilesSourceTest : public ::testing::Test {
 protected:
  static constexpr size_t kMax = 1024;

  void SetUp() override {
    char templ[] = "/tmp/groupcached_files_XXXXXX";
    ASSERT_NE(::mkdtemp(templ), nullptr);
    base_ = templ;
    root_ = base_ / "root";
    fs::create_directories(root_ / "sub");
    fs::create_directories(root_ / "dir");
    fs::create_directories(base_ / "outside");
    WriteFile(base_ / "outside" / "secret.txt", "secret");
    WriteFile(root_ / "a.txt", "hello");
    WriteFile(root_ / "sub" / "b.txt", "world");
    WriteFile(root_ / "max.bin", std::string(kMax, 'm'));
    WriteFile(root_ / "big.bin", std::string(kMax + 1, 'b'));
    ASSERT_EQ(::mkfifo((root_ / "fifo").c_str(), 0600), 0);
    fs::create_symlink("sub/b.txt", root_ / "link_in");
    fs::create_symlink("../a.txt", root_ / "sub" / "up");
    fs::create_symlink("../outside/secret.txt", root_ / "link_out");
    fs::create_symlink("../outside", root_ / "dirlink_out");
    fs::create_symlink(root_ / "a.txt", root_ / "abs_link");
    fs::create_symlink("../../outside/secret.txt", root_ / "sub" / "deep_out");
    auto source = MakeFilesSource(root_.string(), kMax);
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    source_ = *source;
  }

  void TearDown() override { fs::remove_all(base_); }

  fs::path base_;
  fs::path root_;
  std::shared_ptr<Getter> source_;
};

TEST_F(FilesSourceTest, ServesFilesBelowTheRoot) {
  std::string value;
  ASSERT_TRUE(Load(*source_, "a.txt", &value).ok());
  EXPECT_EQ(value, "hello");
  ASSERT_TRUE(Load(*source_, "sub/b.txt", &value).ok());
  EXPECT_EQ(value, "world");
  ASSERT_TRUE(Load(*source_, "./sub//b.txt", &value).ok());
  EXPECT_EQ(value, "world");
}

TEST_F(FilesSourceTest, FollowsSymlinksThatStayInside) {
  std::string value;
  ASSERT_TRUE(Load(*source_, "link_in", &value).ok());
  EXPECT_EQ(value, "world");
  ASSERT_TRUE(Load(*source_, "sub/up", &value).ok());
  EXPECT_EQ(value, "hello");
}

TEST_F(FilesSourceTest, RefusesEscapes) {
  const std::string absolute = (base_ / "outside" / "secret.txt").string();
  for (const std::string& key :
       {std::string("../outside/secret.txt"), std::string("sub/../../outside/secret.txt"), std::string(".."),
        std::string("sub/.."), absolute, std::string("link_out"), std::string("dirlink_out/secret.txt"),
        std::string("sub/deep_out"), std::string("abs_link")}) {
    std::string value;
    Status status = Load(*source_, key, &value);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << key << ": " << status.ToString();
    EXPECT_EQ(value, "") << key;
    if (key.size() > 2) {
      EXPECT_EQ(status.message().find(key), std::string::npos)
          << "the error names the key: " << status.message();
    }
  }
}

TEST_F(FilesSourceTest, RefusesMalformedKeys) {
  EXPECT_EQ(Load(*source_, "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Load(*source_, std::string("a.txt\0.png", 10)).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Load(*source_, "sub/").code(), StatusCode::kInvalidArgument);
}

TEST_F(FilesSourceTest, ServesRegularFilesOnly) {
  EXPECT_EQ(Load(*source_, "dir").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Load(*source_, "fifo").code(), StatusCode::kInvalidArgument);  // and returns: O_NONBLOCK
}

TEST_F(FilesSourceTest, MissingIsNotFound) {
  EXPECT_EQ(Load(*source_, "missing.txt").code(), StatusCode::kNotFound);
  EXPECT_EQ(Load(*source_, "sub/missing/x").code(), StatusCode::kNotFound);
  EXPECT_EQ(Load(*source_, "a.txt/x").code(), StatusCode::kNotFound);
}

TEST_F(FilesSourceTest, EnforcesTheSizeLimit) {
  std::string value;
  ASSERT_TRUE(Load(*source_, "max.bin", &value).ok());
  EXPECT_EQ(value.size(), kMax);
  EXPECT_EQ(Load(*source_, "big.bin").code(), StatusCode::kResourceExhausted);
}

TEST_F(FilesSourceTest, EmptyFileIsAnEmptyValue) {
  WriteFile(root_ / "empty", "");
  std::string value = "x";
  ASSERT_TRUE(Load(*source_, "empty", &value).ok());
  EXPECT_EQ(value, "");
}

// openat2(RESOLVE_BENEATH) restarts a lookup that steps up with ".." (here
// through the link sub/up -> ../a.txt) whenever anything on the machine is
// renamed, and says EAGAIN. Such an open must still succeed: once out of
// attempts, the walk answers. With one attempt and a thread renaming a file
// beside the root, the kernel alone fails some of these opens (296 and 541
// of the 20,000 in two runs on a 2-core machine).
TEST_F(FilesSourceTest, RenamesElsewhereNeverFailAnOpen) {
  const int root = ::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(root, 0);
  struct stat want;
  ASSERT_EQ(::stat((root_ / "a.txt").c_str(), &want), 0);
  const fs::path one = base_ / "renamed_1", two = base_ / "renamed_2";
  WriteFile(one, "");
  std::atomic<bool> stop{false};
  std::thread renamer([&] {
    while (!stop.load(std::memory_order_relaxed)) {
      if (::rename(one.c_str(), two.c_str()) != 0 || ::rename(two.c_str(), one.c_str()) != 0) return;
    }
  });
  int failed = 0, wrong = 0;
  for (int i = 0; i < 20000; ++i) {
    const int fd = internal::OpenBeneath(root, "sub/up", /*use_openat2=*/true, /*openat2_attempts=*/1);
    if (fd < 0) {
      ++failed;
      continue;
    }
    struct stat got;
    if (::fstat(fd, &got) != 0 || got.st_ino != want.st_ino || got.st_dev != want.st_dev) ++wrong;
    ::close(fd);
  }
  stop.store(true);
  renamer.join();
  ::close(root);
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(wrong, 0);
}

// The openat2-less walk must agree with the kernel's RESOLVE_BENEATH.
TEST_F(FilesSourceTest, FallbackWalkAgreesWithOpenat2) {
  const int root = ::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(root, 0);
  struct Case {
    const char* path;
    bool opens;
  };
  for (const Case& c :
       {Case{"a.txt", true}, Case{"sub/b.txt", true}, Case{"link_in", true}, Case{"sub/up", true},
        Case{"dir", true}, Case{"link_out", false}, Case{"dirlink_out/secret.txt", false},
        Case{"sub/deep_out", false}, Case{"abs_link", false}, Case{"missing", false},
        Case{"sub/../a.txt", true}, Case{"sub/../../outside/secret.txt", false},
        // A file followed by "." or "/" is not a directory (found by fuzz_files_source).
        Case{"a.txt/.", false}, Case{"a.txt/", false}, Case{"sub/./b.txt", true}, Case{"sub//b.txt", true},
        Case{"sub/.", true}, Case{"sub/", true}}) {
    for (bool use_openat2 : {true, false}) {
      const int fd = internal::OpenBeneath(root, c.path, use_openat2);
      EXPECT_EQ(fd >= 0, c.opens) << c.path << (use_openat2 ? " (openat2)" : " (walk)") << ": " << -fd;
      if (fd >= 0) ::close(fd);
    }
    const int walked = internal::OpenBeneath(root, c.path, false);
    const int kernel = internal::OpenBeneath(root, c.path, true);
    if (walked < 0 && kernel < 0) {
      EXPECT_EQ(walked, kernel) << c.path;
    }
    if (walked >= 0) ::close(walked);
    if (kernel >= 0) ::close(kernel);
  }
  // A chain of links that loops is refused, not followed forever.
  fs::create_symlink("loop_b", root_ / "loop_a");
  fs::create_symlink("loop_a", root_ / "loop_b");
  EXPECT_EQ(internal::OpenBeneath(root, "loop_a", false), -ELOOP);
  EXPECT_EQ(internal::OpenBeneath(root, "loop_a", true), -ELOOP);
  ::close(root);
}

TEST(FilesSource, MissingRootIsAnError) {
  auto source = MakeFilesSource("/nonexistent/groupcached/root", 1024);
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(source.status().message().find("/nonexistent/groupcached/root"), std::string::npos);
  EXPECT_FALSE(MakeFilesSource("", 1024).ok());
}

TEST(FilesSource, RootMustBeADirectory) {
  char templ[] = "/tmp/groupcached_rootfile_XXXXXX";
  const int fd = ::mkstemp(templ);
  ASSERT_GE(fd, 0);
  ::close(fd);
  EXPECT_FALSE(MakeFilesSource(templ, 1024).ok());
  ::unlink(templ);
}

}  // namespace
}  // namespace groupcached
