// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// The status page as an operator sees it: a real three-node groupcached
// cluster with mutual TLS, and /status opened in a real headless browser
// (Debian's chromium). The rendered DOM must show every ring member and the
// group; the screenshot is kept as GC_STATUS_SCREENSHOT
// (build/tests/integration/status.png) for a person to look at.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "groupcached_fixture.h"
#include "net.h"
#include "process.h"

namespace groupcache::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The chromium binary on PATH, or "" when there is none.
std::string FindChromium() {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  for (const char* name : {"chromium", "chromium-browser"}) {
    size_t at = 0;
    while (at <= dirs.size()) {
      size_t end = dirs.find(':', at);
      if (end == std::string::npos) end = dirs.size();
      const std::string candidate = dirs.substr(at, end - at) + "/" + name;
      if (end > at && ::access(candidate.c_str(), X_OK) == 0) return candidate;
      at = end + 1;
    }
  }
  return "";
}

// What one browser run printed, and how it ended.
struct BrowserRun {
  bool exited = false;  // false: killed at the timeout
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `chromium` headless on `url` with `mode_args` (--dump-dom, or
// --screenshot=...), with a private profile in `dir`, in a process group of
// its own: whatever it started is killed with it, at the end or at the
// `timeout`. Only that group is signalled.
BrowserRun RunBrowser(const std::string& chromium, const std::vector<std::string>& mode_args,
                      const std::string& url, const std::filesystem::path& dir, const std::string& name,
                      std::chrono::seconds timeout = std::chrono::seconds(60)) {
  const std::filesystem::path profile = dir / (name + ".profile");
  std::filesystem::create_directories(profile);
  std::vector<std::string> args = {chromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--no-first-run",
                                   "--disable-dev-shm-usage",
                                   "--user-data-dir=" + profile.string(),
                                   "--window-size=1200,1600"};
  args.insert(args.end(), mode_args.begin(), mode_args.end());
  args.push_back(url);
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  // The environment, with HOME in the test's directory: built before fork.
  std::vector<std::string> env_strings = {"HOME=" + profile.string()};
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "HOME=", 5) != 0) env_strings.emplace_back(*e);
  }
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  const std::string out_path = (dir / (name + ".out")).string();
  const std::string err_path = (dir / (name + ".err")).string();

  BrowserRun run;
  const pid_t pid = ::fork();
  if (pid < 0) return run;
  if (pid == 0) {
    ::setpgid(0, 0);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0 || err < 0) ::_exit(126);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also here, so the group exists before the kill below whatever runs first
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  siginfo_t info{};
  for (;;) {
    // WNOWAIT: the leader stays unreaped, so its process group id cannot be
    // reused before the group is killed.
    info.si_pid = 0;
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid) {
      run.exited = true;
      run.exit_code = info.si_code == CLD_EXITED ? info.si_status : -1;
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(-pid, SIGKILL);  // the browser's helpers, and the browser itself at the timeout
  int status = 0;
  ::waitpid(pid, &status, 0);
  run.out = ReadFile(out_path);
  run.err = ReadFile(err_path);
  return run;
}

using GroupcachedStatusBrowserTest = GroupcachedTest;

TEST_F(GroupcachedStatusBrowserTest, ChromiumShowsEveryRingMemberAndTheGroup) {
  const std::string chromium = FindChromium();
  if (chromium.empty()) {
    GTEST_SKIP()
        << "chromium is not installed (apt-get install chromium; scripts/install-deps.sh installs it)";
  }
  const std::vector<NodeConfig> configs = TlsClusterConfigs(
      3, StaticGroup("colors", {{"red", "#FF0000"}, {"green", "#00FF00"}, {"blue", "#0000FF"}}));
  std::vector<Server*> nodes;
  for (size_t i = 0; i < configs.size(); ++i) {
    nodes.push_back(StartNode("node" + std::to_string(i), configs[i]));
    ASSERT_NE(nodes.back(), nullptr);
  }
  // Some traffic, so that the counters and the cache fill are not all zero.
  for (const char* key : {"red", "green", "blue"}) {
    auto value = HttpGet(nodes[0]->port, ValuePath("colors", key));
    ASSERT_TRUE(value.ok()) << value.status().message();
    ASSERT_EQ(value->status, 200);
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(nodes[0]->port) + "/status";

  const BrowserRun dom = RunBrowser(chromium, {"--dump-dom"}, url, dir_, "chromium-dom");
  ASSERT_TRUE(dom.exited) << "chromium --dump-dom did not finish within 60 s; stderr:\n" << dom.err;
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  ASSERT_THAT(dom.out, HasSubstr("<table id=\"ring\">")) << "not the status page:\n"
                                                         << dom.out << "\n"
                                                         << dom.err;
  for (const std::string& member : configs[0].peers) {
    EXPECT_THAT(dom.out, HasSubstr("<td>" + member + "</td>")) << member << " missing from the rendered page";
  }
  EXPECT_THAT(dom.out, HasSubstr("<td>" + configs[0].self + "</td><td class=\"self\">self</td>"));
  EXPECT_THAT(dom.out, HasSubstr("<td class=\"healthy\">healthy</td>"));
  EXPECT_THAT(dom.out, HasSubstr("<td>colors</td>"));
  EXPECT_THAT(dom.out, HasSubstr("not after"));  // the node certificate's expiry
  // No value crosses to the page (the keys' names are words of the page's own).
  for (const char* value : {"#FF0000", "#00FF00", "#0000FF"}) EXPECT_THAT(dom.out, Not(HasSubstr(value)));

  const std::filesystem::path screenshot = GC_STATUS_SCREENSHOT;
  std::filesystem::remove(screenshot);
  const BrowserRun shot =
      RunBrowser(chromium, {"--screenshot=" + screenshot.string()}, url, dir_, "chromium-screenshot");
  ASSERT_TRUE(shot.exited) << "chromium --screenshot did not finish within 60 s; stderr:\n" << shot.err;
  EXPECT_EQ(shot.exit_code, 0) << shot.err;
  ASSERT_TRUE(std::filesystem::exists(screenshot)) << shot.err;
  const std::string png = ReadFile(screenshot);
  EXPECT_GT(png.size(), 1000u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
}

}  // namespace
}  // namespace groupcache::integration
