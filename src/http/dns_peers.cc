// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// DnsPeers: one lookup at a time on one of the runtime's loops, so its state
// needs no lock there; only what other threads read (the set applied, the
// counters, whether it has stopped) is shared.
#include "groupcache/dns_peers.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <iterator>
#include <optional>

#include "core/mutex.h"
#include "groupcache/url.h"
#include "http/dns_resolver.h"
#include "http/runtime_impl.h"

namespace groupcache {
namespace internal {
namespace {

namespace asio = boost::asio;

// The most members one answer may name. A DNS answer over TCP can hold
// about 4,000 A records; a ring of more than this many peers is far beyond
// what the pool is built for, so such an answer is taken for a mistake or
// an attack and refused whole.
constexpr size_t kMaxPeers = 1024;

// How often Stop, waiting on another thread, looks again at whether the
// runtime went away under it (see Stop).
constexpr std::chrono::milliseconds kStopPoll{50};

std::vector<std::string> Difference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

class DnsPeersImpl : public std::enable_shared_from_this<DnsPeersImpl> {
 public:
  DnsPeersImpl(RuntimeImpl& runtime, size_t loop, std::shared_ptr<HttpPool> pool, DnsPeersOptions options,
               std::unique_ptr<DnsResolver> resolver, std::string scheme, std::string port)
      : runtime_(runtime),
        loop_(loop),
        pool_(std::move(pool)),
        options_(std::move(options)),
        scheme_(std::move(scheme)),
        port_(std::move(port)),
        resolver_(std::move(resolver)) {}

  // On the loop: joins the runtime's shutdown list and starts the first
  // lookup.
  void Begin() EXCLUDES(mu_);
  void Stop() EXCLUDES(mu_);

  std::vector<std::string> peers() const EXCLUDES(mu_) {
    MutexLock lock(mu_);
    return peers_;
  }

  // Relaxed counters.
  std::atomic<uint64_t> lookups_{0};
  std::atomic<uint64_t> failures_{0};
  std::atomic<uint64_t> changes_{0};

 private:
  bool stopped() const { return stop_requested_.load(std::memory_order_acquire); }
  bool OnLoop() const { return runtime_.CurrentIndex() == static_cast<int>(loop_); }
  void Lookup();
  void Finish(Result<std::vector<DnsTarget>> answer) EXCLUDES(mu_);
  void Fail(Status status);
  Result<std::vector<std::string>> MakePeers(const std::vector<DnsTarget>& targets) const;
  void Apply(std::vector<std::string> peers) EXCLUDES(mu_);
  void ScheduleNext();
  // On the loop: cancels everything and frees the resolver and timers.
  // `from_shutdown`: called by Runtime::Shutdown's walk over its operations,
  // which must not see the list change under it.
  void Teardown(bool from_shutdown) EXCLUDES(mu_);

  RuntimeImpl& runtime_;
  const size_t loop_;
  const std::shared_ptr<HttpPool> pool_;
  const DnsPeersOptions options_;
  const std::string scheme_;  // of the pool's self URL
  const std::string port_;    // kAddress: the peers' port

  // Touched only on the loop (and before Begin, by Start).
  std::unique_ptr<DnsResolver> resolver_;
  std::unique_ptr<LoopOperation> operation_;  // Runtime::Shutdown stops this DnsPeers through it
  std::optional<asio::steady_timer> next_lookup_;
  std::optional<asio::steady_timer> deadline_;
  bool deadline_passed_ = false;  // of the lookup in flight

  std::atomic<bool> stop_requested_{false};
  mutable Mutex mu_;
  CondVar torn_down_cv_;
  bool begun_ GUARDED_BY(mu_) = false;
  bool torn_down_ GUARDED_BY(mu_) = false;
  std::vector<std::string> peers_ GUARDED_BY(mu_);  // written on the loop only
};

void DnsPeersImpl::Begin() {
  {
    MutexLock lock(mu_);
    begun_ = true;
  }
  if (stopped()) return Teardown(false);
  asio::io_context& io = runtime_.context(loop_);
  operation_ = std::make_unique<LoopOperation>(runtime_, loop_, [this] { Teardown(true); });
  if (!operation_->admitted()) return Teardown(false);
  next_lookup_.emplace(io);
  deadline_.emplace(io);
  Lookup();
}

void DnsPeersImpl::Lookup() {
  if (stopped()) return;
  lookups_.fetch_add(1, std::memory_order_relaxed);
  deadline_passed_ = false;
  // The deadline is armed before the query starts: c-ares may answer at
  // once, inside the call.
  deadline_->expires_after(options_.timeout);
  deadline_->async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->stopped()) return;
    self->deadline_passed_ = true;
    self->resolver_->Cancel();
  });
  // c-ares calls back from inside its own functions, where the resolver
  // must not be destroyed, and a callback of the user's may Stop (destroying
  // it): so the answer is handled in a handler of its own.
  auto done = [self = shared_from_this()](Result<std::vector<DnsTarget>> answer) {
    asio::post(self->runtime_.context(self->loop_),
               [self, answer = std::move(answer)]() mutable { self->Finish(std::move(answer)); });
  };
  if (options_.record == DnsRecord::kSrv) {
    resolver_->ResolveSrv(options_.name, std::move(done));
  } else {
    resolver_->ResolveAddresses(options_.name, std::move(done));
  }
}

void DnsPeersImpl::Finish(Result<std::vector<DnsTarget>> answer) {
  if (stopped()) return;
  deadline_->cancel();
  // Past the deadline even an answer is a failure: with A and AAAA asked
  // together, cancelling one half leaves a partial answer, which must not
  // pass for the whole set.
  if (deadline_passed_) {
    Fail(Status::DeadlineExceeded("resolving " + options_.name + ": no complete answer within " +
                                  std::to_string(options_.timeout.count()) + " ms"));
  } else if (!answer.ok()) {
    Fail(answer.status());
  } else if (Result<std::vector<std::string>> peers = MakePeers(*answer); !peers.ok()) {
    Fail(peers.status());
  } else {
    Apply(std::move(peers).value());
  }
  // A callback may have stopped it.
  if (!stopped()) ScheduleNext();
}

void DnsPeersImpl::Fail(Status status) {
  failures_.fetch_add(1, std::memory_order_relaxed);
  if (options_.on_lookup_error) options_.on_lookup_error(status);
}

Result<std::vector<std::string>> DnsPeersImpl::MakePeers(const std::vector<DnsTarget>& targets) const {
  const std::string what = (options_.record == DnsRecord::kSrv ? "SRV " : "") + options_.name;
  if (targets.size() > 4 * kMaxPeers) {
    return Status::ResourceExhausted("resolving " + what + ": " + std::to_string(targets.size()) +
                                     " records, more than " + std::to_string(kMaxPeers) +
                                     " peers; the answer is ignored");
  }
  std::vector<std::string> peers;
  peers.reserve(targets.size() + 1);
  for (const DnsTarget& target : targets) {
    std::string_view host = target.host;
    std::string port = port_;
    if (options_.record == DnsRecord::kSrv) {
      if (host.empty() || host == "." || target.port == 0) continue;  // "no service here" (RFC 2782)
      if (!IsDnsName(host)) {
        return Status::InvalidArgument("resolving " + what + ": target \"" +
                                       std::string(host.substr(0, 300)) +
                                       "\" is not a valid host name; the answer is ignored");
      }
      if (host.back() == '.') host.remove_suffix(1);
      port = std::to_string(target.port);
    }
    const bool v6 = host.find(':') != std::string_view::npos;
    peers.push_back(scheme_ + "://" + (v6 ? "[" : "") + std::string(host) + (v6 ? "]" : "") + ":" + port);
  }
  std::sort(peers.begin(), peers.end());
  peers.erase(std::unique(peers.begin(), peers.end()), peers.end());
  if (peers.empty()) {
    return Status::NotFound("resolving " + what + ": the answer names no peer; the peers in force stay");
  }
  if (peers.size() > kMaxPeers) {
    return Status::ResourceExhausted("resolving " + what + ": " + std::to_string(peers.size()) +
                                     " peers, more than " + std::to_string(kMaxPeers) +
                                     "; the answer is ignored");
  }
  // This node is a member whatever DNS says (it may not be ready, or not be
  // published yet).
  const std::string& self = pool_->self();
  if (auto it = std::lower_bound(peers.begin(), peers.end(), self); it == peers.end() || *it != self) {
    peers.insert(it, self);
  }
  return peers;
}

void DnsPeersImpl::Apply(std::vector<std::string> peers) {
  std::vector<std::string> old;
  {
    MutexLock lock(mu_);
    old = peers_;
  }
  if (peers == old) return;
  if (Status status = pool_->Set(peers); !status.ok()) {
    return Fail(Status(status.code(),
                       "resolving " + options_.name + ": the pool refused the answer: " + status.message()));
  }
  PeerSetChange change;
  change.added = Difference(peers, old);
  change.removed = Difference(old, peers);
  change.fingerprint = RingFingerprint(peers);
  {
    MutexLock lock(mu_);
    peers_ = peers;
  }
  change.peers = std::move(peers);
  changes_.fetch_add(1, std::memory_order_relaxed);
  if (options_.on_change) options_.on_change(change);
}

void DnsPeersImpl::ScheduleNext() {
  next_lookup_->expires_after(options_.interval);
  next_lookup_->async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->Lookup();
  });
}

void DnsPeersImpl::Teardown(bool from_shutdown) {
  {
    MutexLock lock(mu_);
    if (torn_down_) return;
  }
  stop_requested_.store(true, std::memory_order_release);
  // Answers the lookup in flight (its handler will find the DnsPeers
  // stopped) and closes the sockets.
  resolver_.reset();
  next_lookup_.reset();
  deadline_.reset();
  if (operation_) {
    if (from_shutdown) {
      // Retired in a handler of its own, once Shutdown's walk is over.
      asio::post(runtime_.context(loop_), [operation = std::move(operation_)] {});
    } else {
      operation_.reset();
    }
  }
  MutexLock lock(mu_);
  torn_down_ = true;
  torn_down_cv_.NotifyAll();
}

void DnsPeersImpl::Stop() {
  stop_requested_.store(true, std::memory_order_release);
  if (OnLoop()) return Teardown(false);
  {
    MutexLock lock(mu_);
    if (torn_down_) return;
  }
  asio::post(runtime_.context(loop_), [self = shared_from_this()] { self->Teardown(false); });
  MutexLock lock(mu_);
  while (!torn_down_) {
    // Once Begin has run, the teardown is certain: by the handler just
    // posted or, if the runtime is shutting down, by its walk over the
    // operations, which it waits for while the loops still run. Before
    // Begin has run, a shutting-down runtime may stop the loop before
    // either runs; Begin, if it does run, sees the stop and starts nothing.
    if (!begun_ && runtime_.shutting_down()) return;
    torn_down_cv_.WaitUntil(mu_, std::chrono::steady_clock::now() + kStopPoll);
  }
}

}  // namespace internal

Result<std::unique_ptr<DnsPeers>> DnsPeers::Start(Runtime& runtime, std::shared_ptr<HttpPool> pool,
                                                  DnsPeersOptions options) {
  if (!pool) return Status::InvalidArgument("DnsPeers: no pool");
  if (options.name.empty()) return Status::InvalidArgument("DnsPeers: the name to resolve is empty");
  if (!internal::IsDnsName(options.name)) {
    return Status::InvalidArgument("DnsPeers: \"" + options.name.substr(0, 300) +
                                   "\" is not a DNS name (labels of letters, digits, '-' or '_', "
                                   "at most 63 bytes each and 253 in all)");
  }
  if (options.interval.count() <= 0)
    return Status::InvalidArgument("DnsPeers: the interval must be positive");
  if (options.timeout.count() <= 0) return Status::InvalidArgument("DnsPeers: the timeout must be positive");
  Result<PeerUrl> self = ParsePeerUrl(pool->self());
  if (!self.ok()) return Status::InvalidArgument("DnsPeers: the pool's self URL: " + self.status().message());
  internal::RuntimeImpl& impl = runtime.impl();
  if (impl.shutting_down()) return Status::Unavailable("DnsPeers: the runtime is shutting down");

  const size_t loop = impl.NextContext();
  // Two rounds of tries fill the deadline: c-ares doubles the timeout on the
  // second (t + 2t); the deadline cancels whatever is left.
  internal::DnsResolverOptions resolver_options;
  resolver_options.servers = options.servers;
  resolver_options.tries = 2;
  resolver_options.try_timeout = std::max(std::chrono::milliseconds(1), options.timeout / 3);
  Result<std::unique_ptr<internal::DnsResolver>> resolver =
      internal::DnsResolver::Create(impl.context(loop), resolver_options);
  if (!resolver.ok()) return Status(resolver.status().code(), "DnsPeers: " + resolver.status().message());
  const std::string port = options.port != 0 ? std::to_string(options.port) : self->port;
  auto state = std::make_shared<internal::DnsPeersImpl>(impl, loop, std::move(pool), std::move(options),
                                                        std::move(resolver).value(),
                                                        self->tls ? "https" : "http", port);
  boost::asio::post(impl.context(loop), [state] { state->Begin(); });
  return std::unique_ptr<DnsPeers>(new DnsPeers(std::move(state)));
}

DnsPeers::DnsPeers(std::shared_ptr<internal::DnsPeersImpl> impl) : impl_(std::move(impl)) {}
DnsPeers::~DnsPeers() { Stop(); }
void DnsPeers::Stop() { impl_->Stop(); }
std::vector<std::string> DnsPeers::peers() const { return impl_->peers(); }
uint64_t DnsPeers::lookups() const { return impl_->lookups_.load(std::memory_order_relaxed); }
uint64_t DnsPeers::lookup_failures() const { return impl_->failures_.load(std::memory_order_relaxed); }
uint64_t DnsPeers::changes() const { return impl_->changes_.load(std::memory_order_relaxed); }

}  // namespace groupcache
