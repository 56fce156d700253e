// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Fuzzes the files source (daemon/sources.h), whose key arrives from the
// network (GET /groups/NAME/KEY) and becomes a path below its root. The
// target builds a small tree once, in a fresh temporary directory, with
// files, directories, a FIFO and symbolic links that stay inside, climb out
// ("..", absolute targets) or loop, plus a file outside the root. The input
// is a key. Invariants: the getter serves only the content of a regular
// file inside the root; OpenBeneath's two resolvers, the kernel's openat2
// (RESOLVE_BENEATH) and the user-space walk used where openat2 is missing,
// agree (both open the same inode, or both fail the same way), and neither
// ever opens anything outside the root. Nothing is written after setup.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "daemon/sources.h"
#include "fuzz_check.h"

namespace {

using groupcache::fuzz::Printable;
namespace fs = std::filesystem;

constexpr std::string_view kOutside = "OUTSIDE THE ROOT";

struct Tree {
  fs::path top;                                // the temporary directory
  int root_fd = -1;                            // top/root, O_PATH
  std::shared_ptr<groupcache::Getter> source;  // MakeFilesSource(top/root)
  std::set<std::pair<dev_t, ino_t>> inside;    // every inode below the root
  std::set<std::string> contents;              // what the files inside hold
};

constexpr std::string_view kTreePrefix = "groupcache-fuzz-files-";

void RemoveTreesOfDeadProcesses() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/tmp", ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(kTreePrefix)) continue;
    const pid_t pid = static_cast<pid_t>(std::atol(name.c_str() + kTreePrefix.size()));
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), ec);
  }
}

void Write(const fs::path& path, std::string_view text) {
  FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) std::abort();
  std::fwrite(text.data(), 1, text.size(), file);
  std::fclose(file);
}

void Link(const std::string& target, const fs::path& link) {
  if (::symlink(target.c_str(), link.c_str()) != 0) std::abort();
}

Tree* MakeTree() {
  auto* tree = new Tree;
  // Trees left by runs that crashed (no exit handler ran) are removed
  // first; each name carries its process id.
  RemoveTreesOfDeadProcesses();
  std::string pattern = "/tmp/" + std::string(kTreePrefix) + std::to_string(::getpid()) + "-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  tree->top = pattern;
  const fs::path root = tree->top / "root";
  fs::create_directories(root / "dir" / "sub");
  fs::create_directories(tree->top / "outside");
  Write(tree->top / "outside" / "secret", kOutside);
  for (const char* name : {"a", "dir/b", "dir/sub/c", "empty"}) {
    const std::string text = std::string_view(name) == "empty" ? "" : "inside:" + std::string(name);
    Write(root / name, text);
    tree->contents.insert(text);
  }
  if (::mkfifo((root / "fifo").c_str(), 0600) != 0) std::abort();
  Link("dir/b", root / "in");           // inside
  Link("dir", root / "indir");          // a directory, inside
  Link("../a", root / "dir" / "back");  // up, but still inside
  Link("sub/../../a", root / "dir" / "zigzag");
  Link("..", root / "up");  // the root's parent
  Link("../outside/secret", root / "out");
  Link("../../outside/secret", root / "dir" / "deep");
  Link((root / "a").string(), root / "abs");  // absolute: refused even inside
  Link("/etc/passwd", root / "etc");
  Link("loop", root / "loop");
  Link("missing", root / "dangling");
  Link("up/root/a", root / "via-parent");
  tree->root_fd = ::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (tree->root_fd < 0) std::abort();
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    struct stat st;
    if (::lstat(entry.path().c_str(), &st) == 0) tree->inside.insert({st.st_dev, st.st_ino});
  }
  struct stat st;
  if (::stat(root.c_str(), &st) != 0) std::abort();
  tree->inside.insert({st.st_dev, st.st_ino});
  auto source = groupcached::MakeFilesSource(root.string(), 1 << 20);
  if (!source.ok()) std::abort();
  tree->source = std::move(source).value();
  static const fs::path* top = &tree->top;
  std::atexit([] {
    std::error_code ignored;
    fs::remove_all(*top, ignored);
  });
  return tree;
}

// What OpenBeneath gave: the inode it opened, or the error.
struct Opened {
  int error = 0;  // errno, 0 when opened
  dev_t dev = 0;
  ino_t ino = 0;
};

Opened Open(const Tree& tree, std::string_view key, bool use_openat2) {
  Opened out;
  const int fd = groupcached::internal::OpenBeneath(tree.root_fd, key, use_openat2);
  if (fd < 0) {
    out.error = -fd;
    return out;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) std::abort();
  ::close(fd);
  out.dev = st.st_dev;
  out.ino = st.st_ino;
  return out;
}

// OpenBeneath's precondition, as the source checks it.
bool IsCheckedKey(std::string_view key) {
  if (key.empty() || key.front() == '/' || key.back() == '/' || key.find('\0') != std::string_view::npos) {
    return false;
  }
  for (size_t start = 0; start <= key.size();) {
    size_t slash = key.find('/', start);
    if (slash == std::string_view::npos) slash = key.size();
    if (key.substr(start, slash - start) == "..") return false;
    start = slash + 1;
  }
  return true;
}

Tree* Get() {
  static Tree* tree = MakeTree();
  return tree;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view key = groupcache::fuzz::AsView(data, size);
  const Tree& tree = *Get();
  groupcache::Sink sink;
  const groupcache::Status status = tree.source->Get(key, sink);
  if (status.ok()) {
    FUZZ_CHECK(tree.contents.count(std::string(sink.view().view())) == 1,
               "key \"" + Printable(key) + "\" served \"" + Printable(sink.view().view()) +
                   "\", not a file inside the root");
  }
  if (!IsCheckedKey(key)) {
    FUZZ_CHECK(!status.ok(), "key \"" + Printable(key) + "\" should have been refused");
    return 0;
  }
  const Opened kernel = Open(tree, key, /*use_openat2=*/true);
  const Opened walk = Open(tree, key, /*use_openat2=*/false);
  const auto describe = [&](const Opened& o) {
    return o.error != 0 ? std::string(std::strerror(o.error)) : "inode " + std::to_string(o.ino);
  };
  for (const Opened* o : {&kernel, &walk}) {
    FUZZ_CHECK(o->error != 0 || tree.inside.count({o->dev, o->ino}) == 1,
               "key \"" + Printable(key) + "\" opened " + describe(*o) + ", which is not below the root");
  }
  FUZZ_CHECK(
      kernel.error == walk.error && kernel.dev == walk.dev && kernel.ino == walk.ino,
      "key \"" + Printable(key) + "\": openat2 gave " + describe(kernel) + ", the walk " + describe(walk));
  return 0;
}
