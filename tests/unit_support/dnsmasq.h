// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// Test-only: a real dnsmasq serving made-up names on 127.0.0.1, for tests of
// DNS peer discovery (DnsPeers) and of programs that use it.
//
//   std::string error;
//   std::unique_ptr<Dnsmasq> dns = Dnsmasq::Start(&error);
//   ASSERT_NE(dns, nullptr) << error;
//   dns->SetHosts({{"peers.test", {"127.0.0.2", "::1"}}});
//   ASSERT_TRUE(dns->Reload());             // SIGHUP: dnsmasq has re-read the hosts file
//   options.servers = {dns->server()};      // "127.0.0.1:PORT"
//
// Names: everything under .test is answered from this fixture alone, so a
// name it does not list is NXDOMAIN and a listed name without a record of
// the type asked is an empty answer (NODATA). Nothing is forwarded anywhere.
// A records and AAAA records come from a hosts file (SetHosts + Reload); SRV
// records from dnsmasq's configuration (SetSrv + Restart: SIGHUP does not
// re-read them). Stop, Pause (SIGSTOP: queries go unanswered) and Resume
// play a failed or hung server; Restart brings it back on the same port.
//
// dnsmasq must be installed (/usr/sbin/dnsmasq; scripts/install-deps.sh
// installs it): Start fails, with a message saying so, when it is not; tests
// should fail then, not skip. Not thread-safe.
#ifndef GROUPCACHE_TESTS_UNIT_SUPPORT_DNSMASQ_H_
#define GROUPCACHE_TESTS_UNIT_SUPPORT_DNSMASQ_H_

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "free_port.h"

namespace groupcache::testing {

class Dnsmasq {
 public:
  static constexpr const char* kBinary = "/usr/sbin/dnsmasq";

  struct SrvRecord {
    std::string target;  // a host name; empty: "." (no service here, RFC 2782)
    uint16_t port = 0;
    uint16_t priority = 0;
    uint16_t weight = 0;
  };

  // Starts dnsmasq on 127.0.0.1 at a free port and waits (up to 10 s) until
  // it accepts connections. Null, with the reason in *error, on failure.
  static std::unique_ptr<Dnsmasq> Start(std::string* error) {
    if (::access(kBinary, X_OK) != 0) {
      *error = std::string(kBinary) + " is not installed: run scripts/install-deps.sh (package dnsmasq)";
      return nullptr;
    }
    std::unique_ptr<Dnsmasq> dns(new Dnsmasq());
    char dir_template[] = "/tmp/groupcache-dnsmasq.XXXXXX";
    if (::mkdtemp(dir_template) == nullptr) {
      *error = "mkdtemp failed";
      return nullptr;
    }
    dns->dir_ = dir_template;
    dns->WriteFile("hosts", "");
    for (int attempt = 0; attempt < 5; ++attempt) {
      dns->port_ = PickServerPort(/*udp=*/true);  // free for UDP and TCP (free_port.h)
      if (dns->Launch(error)) return dns;
    }
    return nullptr;
  }

  ~Dnsmasq() {
    Stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  Dnsmasq(const Dnsmasq&) = delete;
  Dnsmasq& operator=(const Dnsmasq&) = delete;

  uint16_t port() const { return port_; }
  // "127.0.0.1:PORT", as DnsPeersOptions::servers takes it.
  std::string server() const { return "127.0.0.1:" + std::to_string(port_); }
  pid_t pid() const { return pid_; }
  // dnsmasq's log, for a failure message.
  std::string Log() const { return ReadFile("log"); }

  // Replaces the hosts file: name -> its addresses (IPv4 or IPv6). Takes
  // effect at the next Reload or Restart.
  void SetHosts(const std::map<std::string, std::vector<std::string>>& hosts) {
    std::string text;
    for (const auto& [name, addresses] : hosts) {
      for (const std::string& address : addresses) text += address + " " + name + "\n";
    }
    WriteFile("hosts", text);
  }

  // Replaces the SRV records of `name` (e.g. "_groupcache._tcp.peers.test");
  // an empty list removes them. Takes effect at the next Restart.
  void SetSrv(const std::string& name, const std::vector<SrvRecord>& records) {
    srv_[name] = records;
    if (records.empty()) srv_.erase(name);
  }

  // Makes dnsmasq re-read the hosts file (SIGHUP) and waits, up to 10 s,
  // until its log says it has. False if it did not.
  bool Reload() {
    if (pid_ <= 0) return false;
    const size_t before = HostsReads();
    ::kill(pid_, SIGHUP);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (HostsReads() > before) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }
  // SIGSTOP and SIGCONT: while paused, queries go unanswered (time out).
  void Pause() {
    if (pid_ > 0) ::kill(pid_, SIGSTOP);
  }
  void Resume() {
    if (pid_ > 0) ::kill(pid_, SIGCONT);
  }

  // Stops dnsmasq (SIGKILL) and waits for it: queries are refused (ICMP port
  // unreachable) until Restart. Idempotent.
  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  // Stops dnsmasq if it runs and starts it again on the same port with the
  // current hosts file and SRV records. False, with the reason, on failure.
  bool Restart(std::string* error) {
    Stop();
    // The port was dnsmasq's until a moment ago; give a slow kernel a few
    // tries at handing it back.
    for (int attempt = 0; attempt < 20; ++attempt) {
      if (Launch(error)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

 private:
  Dnsmasq() = default;

  std::string Path(const std::string& file) const { return dir_ + "/" + file; }

  // How many times the log says the hosts file was read ("read PATH - N names").
  size_t HostsReads() const {
    const std::string log = Log();
    const std::string line = "read " + Path("hosts") + " - ";
    size_t count = 0;
    for (size_t at = log.find(line); at != std::string::npos; at = log.find(line, at + 1)) ++count;
    return count;
  }

  // Written whole, then renamed into place: dnsmasq never reads half a file.
  void WriteFile(const std::string& file, const std::string& text) const {
    const std::string temporary = Path(file + ".new");
    {
      std::ofstream out(temporary, std::ios::trunc);
      out << text;
    }
    std::filesystem::rename(temporary, Path(file));
  }

  std::string ReadFile(const std::string& file) const {
    std::ifstream in(Path(file));
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  std::string Config() const {
    std::ostringstream conf;
    conf << "port=" << port_ << "\n"
         << "listen-address=127.0.0.1\n"
         << "bind-interfaces\n"
         // Answer from this fixture alone: no upstream servers, no
         // /etc/hosts, and NXDOMAIN for any unlisted name under .test.
         << "no-resolv\n"
         << "no-hosts\n"
         << "no-poll\n"
         << "local=/test/\n"
         << "no-negcache\n"
         << "addn-hosts=" << Path("hosts") << "\n"
         << "pid-file=" << Path("pid") << "\n"
         << "log-facility=" << Path("log") << "\n";
    // As root dnsmasq would switch to its own user, who may not read the
    // test's files; as anyone else it keeps its user anyway.
    if (::geteuid() == 0) conf << "user=root\n";
    for (const auto& [name, records] : srv_) {
      for (const SrvRecord& r : records) {
        if (r.target.empty()) {  // "no service here": a target of "."
          conf << "srv-host=" << name << "\n";
          continue;
        }
        conf << "srv-host=" << name << "," << r.target << "," << r.port << "," << r.priority << ","
             << r.weight << "\n";
      }
    }
    return conf.str();
  }

  bool Launch(std::string* error) {
    WriteFile("dnsmasq.conf", Config());
    const std::string conf_arg = "--conf-file=" + Path("dnsmasq.conf");
    std::vector<std::string> args = {kBinary, "--keep-in-foreground", conf_arg};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const std::string out = Path("stderr");
    const pid_t parent = ::getpid();
    // fork rather than posix_spawn, for PR_SET_PDEATHSIG: a test that dies
    // (an abort, a crash) must not leave dnsmasq running. The child makes
    // only async-signal-safe calls.
    const pid_t pid = ::fork();
    if (pid < 0) {
      *error = std::string("fork: ") + std::strerror(errno);
      return false;
    }
    if (pid == 0) {
      const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
      if (fd < 0 || ::dup2(fd, 1) < 0 || ::dup2(fd, 2) < 0) ::_exit(127);
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(126);  // the test died before prctl
      ::execv(kBinary, argv.data());
      ::_exit(127);
    }
    pid_ = pid;
    // Ready once it accepts a TCP connection (it binds UDP and TCP together).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        *error = "dnsmasq exited at start: " + ReadFile("stderr") + ReadFile("log");
        return false;
      }
      if (Accepts()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    *error = "dnsmasq did not listen on port " + std::to_string(port_) + " within 10 s";
    Stop();
    return false;
  }

  bool Accepts() const {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port_);
    const int tcp = ::socket(AF_INET, SOCK_STREAM, 0);
    const bool ok = ::connect(tcp, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(tcp);
    return ok;
  }

  std::string dir_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
  std::map<std::string, std::vector<SrvRecord>> srv_;
};

}  // namespace groupcache::testing

#endif  // GROUPCACHE_TESTS_UNIT_SUPPORT_DNSMASQ_H_
