// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include <map>
#include <set>

#include "core/mutex.h"
#include "groupcache/http_pool.h"
#include "http/client.h"
#include "http/escape.h"
#include "http/ring_fingerprint.h"
#include "http/tls_context.h"
#include "http/wire.h"

namespace groupcache {
namespace internal {

// The peer list in force: the ring and a getter per ring peer (null for self).
struct PeerSet {
  explicit PeerSet(const HttpPoolOptions& options) : ring(options.replicas, options.hash) {}
  HashRing ring;
  std::vector<std::shared_ptr<HttpPeer>> getters;  // by ring peer index
};

uint64_t EmptyRingHash() {
  std::vector<std::string> none;
  return RingHash(none);
}

// Adds this pool's fingerprint to a response for a peer.
void AddRingHeader(HttpResponse& response, const RingState& ring) {
  const std::array<char, 16> hex = ring.Hex();
  response.headers.emplace_back(kRingHeader, std::string(hex.data(), hex.size()));
}

class HttpPoolImpl {
 public:
  HttpPoolImpl(RuntimeImpl& runtime, GroupRegistry& registry, std::string self, HttpPoolOptions options,
               std::shared_ptr<TlsContextCell> tls)
      : runtime_(runtime),
        registry_(registry),
        self_(std::move(self)),
        options_(std::move(options)),
        tls_(std::move(tls)),
        ring_(std::make_shared<RingState>(EmptyRingHash())) {}

  Status Set(std::vector<std::string> peers) EXCLUDES(mu_);
  std::shared_ptr<PeerGetter> PickPeer(std::string_view key) EXCLUDES(mu_);
  std::vector<std::shared_ptr<PeerGetter>> AllPeers() EXCLUDES(mu_);
  std::vector<PeerHealth> PeerHealths() const EXCLUDES(mu_);
  void Serve(const HttpRequest& request, Responder responder);

  RuntimeImpl& runtime_;
  GroupRegistry& registry_;
  const std::string self_;
  const HttpPoolOptions options_;
  const std::shared_ptr<TlsContextCell> tls_;  // null: plain HTTP; shared with the peer clients
  const std::shared_ptr<RingState> ring_;      // shared with the peer clients

 private:
  mutable Mutex mu_;
  std::shared_ptr<const PeerSet> peers_ GUARDED_BY(mu_);  // replaced whole by Set
};

Status HttpPoolImpl::Set(std::vector<std::string> peers) {
  auto next = std::make_shared<PeerSet>(options_);
  std::set<std::string_view> seen;
  int self_count = 0;
  std::shared_ptr<const PeerSet> current;
  {
    MutexLock lock(mu_);
    current = peers_;
  }
  std::map<std::string, std::string_view> endpoints;  // Endpoint() -> the URL that named it
  for (const std::string& url : peers) {
    Result<PeerUrl> parsed = ParsePeerUrl(url);
    if (!parsed.ok()) return parsed.status();
    if (!seen.insert(url).second) return Status::InvalidArgument("peer " + url + " is listed twice");
    // Two spellings of one endpoint would be two ring members for one peer.
    if (auto [it, inserted] = endpoints.emplace(parsed->Endpoint(), url); !inserted) {
      return Status::InvalidArgument("peers " + std::string(it->second) + " and " + url +
                                     " name the same endpoint; list it once");
    }
    if (parsed->tls != (tls_ != nullptr)) {
      return Status::InvalidArgument("peer " + url +
                                     (tls_ ? ": TLS is configured, so peers must be https:// URLs"
                                           : ": an https:// peer needs TLS options"));
    }
    if (url == self_) {
      ++self_count;
      next->getters.push_back(nullptr);
      continue;
    }
    // Keep the getter (its idle connections and its health) of a peer
    // already known.
    std::shared_ptr<HttpPeer> getter;
    if (current) {
      for (const auto& old : current->getters) {
        if (old && old->url() == url) getter = old;
      }
    }
    if (!getter) {
      getter = std::make_shared<HttpPeer>(
          runtime_, std::move(parsed).value(),
          PeerClientOptions{options_.base_path, options_.request_timeout, options_.max_response_bytes,
                            options_.max_idle_connections_per_peer, tls_, options_.on_fetch, ring_,
                            options_.connect_timeout,
                            BreakerOptions{options_.eject_after_failures, options_.eject_backoff_min,
                                           options_.eject_backoff_max},
                            options_.on_peer_state_change, options_.mutations});
    }
    next->getters.push_back(std::move(getter));
  }
  if (self_count != 1) {
    return Status::InvalidArgument("the peer list must contain this node's own URL " + self_ +
                                   " exactly once (spelled the same way)");
  }
  next->ring.Add(peers);
  const uint64_t fingerprint = RingHash(peers);
  MutexLock lock(mu_);
  peers_ = std::move(next);
  // Under mu_, so that two Sets publish their lists and fingerprints in the
  // same order.
  ring_->fingerprint.store(fingerprint, std::memory_order_relaxed);
  return Status::Ok();
}

std::shared_ptr<PeerGetter> HttpPoolImpl::PickPeer(std::string_view key) {
  std::shared_ptr<const PeerSet> peers;
  {
    MutexLock lock(mu_);
    peers = peers_;
  }
  if (!peers) return nullptr;
  const int index = peers->ring.GetIndex(key);
  return index < 0 ? nullptr : peers->getters[index];  // null for self
}

std::vector<std::shared_ptr<PeerGetter>> HttpPoolImpl::AllPeers() {
  std::vector<std::shared_ptr<PeerGetter>> out;
  if (!options_.mutations) return out;
  std::shared_ptr<const PeerSet> peers;
  {
    MutexLock lock(mu_);
    peers = peers_;
  }
  if (!peers) return out;
  for (const auto& getter : peers->getters) {
    if (getter) out.push_back(getter);
  }
  return out;
}

std::vector<PeerHealth> HttpPoolImpl::PeerHealths() const {
  std::shared_ptr<const PeerSet> peers;
  {
    MutexLock lock(mu_);
    peers = peers_;
  }
  std::vector<PeerHealth> out;
  if (!peers) return out;
  for (const auto& getter : peers->getters) {
    if (getter) out.push_back(getter->health());
  }
  return out;
}

void HttpPoolImpl::Serve(const HttpRequest& request, Responder responder) {
  ring_->Check(request.header(kRingHeader));
  auto reply = [this, &responder](HttpResponse response) {
    AddRingHeader(response, *ring_);
    std::move(responder).Send(std::move(response));
  };
  std::string_view rest = request.path;
  if (!rest.starts_with(options_.base_path)) return reply(TextResponse(400, "bad request"));
  rest.remove_prefix(options_.base_path.size());
  // Split at the first '/' before decoding, so a group name may hold an
  // escaped '/'; the key is everything after it and may contain '/' too.
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos && options_.mutations && request.method == "DELETE") {
    // DELETE <base><group>, with no key: purge the group here.
    Result<std::string> name = QueryUnescape(rest);
    if (!name.ok()) return reply(TextResponse(400, "bad request: malformed percent-escape"));
    Group* group = registry_.GetGroup(*name);
    if (group == nullptr) return reply(TextResponse(404, "no such group: " + *name));
    group->PurgeLocally();
    return reply(HttpResponse());
  }
  if (slash == std::string_view::npos) return reply(TextResponse(400, "bad request"));
  Result<std::string> group_name = QueryUnescape(rest.substr(0, slash));
  Result<std::string> key = QueryUnescape(rest.substr(slash + 1));
  if (!group_name.ok() || !key.ok()) return reply(TextResponse(400, "bad request: malformed percent-escape"));
  Group* group = registry_.GetGroup(*group_name);
  if (group == nullptr) return reply(TextResponse(404, "no such group: " + *group_name));
  group->RecordServerRequest();
  if (options_.mutations && request.method == "DELETE") {
    group->RemoveLocally(*key);
    return reply(HttpResponse());  // 200, empty, as groupcache-go v3 answers
  }
  if (options_.mutations && request.method == "PUT") {
    // The SetRequest names the group and key again; the path's win, as in
    // groupcache-go v3, but a message that disagrees is refused rather than
    // applied to another key.
    Result<SetRequest> set = DecodeSetRequest(ByteView::CopyOf(request.body));
    if (!set.ok()) return reply(TextResponse(400, "bad request: " + set.status().message()));
    if (set->group != *group_name || set->key != *key) {
      return reply(TextResponse(400, "bad request: the SetRequest names another group or key than the path"));
    }
    group->SetLocally(*key, std::move(set->value));
    return reply(HttpResponse());
  }
  group->GetAsync(
      *key,
      // The RingState, not the pool: the load may finish after the pool is
      // gone.
      [responder = std::move(responder), ring = ring_,
       details = options_.send_error_details](Result<ByteView> result) mutable {
        if (!result.ok()) {
          const Status& status = result.status();
          std::string text = details                                  ? status.message()
                             : status.code() == StatusCode::kNotFound ? std::string("not found")
                                                                      : std::string("load failed");
          HttpResponse response = TextResponse(500, text);
          AddRingHeader(response, *ring);
          return std::move(responder).Send(std::move(response));
        }
        HttpResponse response;
        response.content_type = "application/x-protobuf";
        response.body_prefix = EncodeGetResponsePrefix(result->size(), result->expire_unix_nanos());
        response.body = std::move(result).value();
        AddRingHeader(response, *ring);
        std::move(responder).Send(std::move(response));
      },
      GetOptions{.from_peer = true});
}

}  // namespace internal

std::string_view PeerFailureName(PeerFailure failure) {
  switch (failure) {
    case PeerFailure::kNone:
      return "none";
    case PeerFailure::kRefused:
      return "refused";
    case PeerFailure::kReset:
      return "reset";
    case PeerFailure::kResolve:
      return "resolve";
    case PeerFailure::kConnectTimeout:
      return "connect_timeout";
    case PeerFailure::kTimeout:
      return "timeout";
    case PeerFailure::kTls:
      return "tls";
    case PeerFailure::kHttpStatus:
      return "http_status";
    case PeerFailure::kMalformed:
      return "malformed";
    case PeerFailure::kEjected:
      return "ejected";
    case PeerFailure::kOther:
      break;
  }
  return "other";
}

Result<std::shared_ptr<HttpPool>> HttpPool::Create(Runtime& runtime, GroupRegistry& registry,
                                                   std::string self, HttpPoolOptions options) {
  Result<PeerUrl> parsed = ParsePeerUrl(self);
  if (!parsed.ok()) return Status::InvalidArgument("self: " + parsed.status().message());
  if (options.base_path.empty()) options.base_path = "/_groupcache/";
  if (options.base_path.front() != '/' || options.base_path.back() != '/') {
    return Status::InvalidArgument("base path \"" + options.base_path + "\" must start and end with '/'");
  }
  if (options.request_timeout.count() <= 0)
    return Status::InvalidArgument("request timeout must be positive");
  if (options.max_response_bytes == 0) return Status::InvalidArgument("max response bytes must be positive");
  if (options.connect_timeout.count() <= 0)
    return Status::InvalidArgument("connect timeout must be positive");
  if (options.eject_backoff_min.count() <= 0) {
    return Status::InvalidArgument("eject backoff min must be positive");
  }
  if (options.eject_backoff_max < options.eject_backoff_min) {
    return Status::InvalidArgument("eject backoff max (" + std::to_string(options.eject_backoff_max.count()) +
                                   " ms) must not be less than eject backoff min (" +
                                   std::to_string(options.eject_backoff_min.count()) + " ms)");
  }
  if (parsed->tls != options.tls.has_value()) {
    return Status::InvalidArgument("self " + self +
                                   (options.tls ? ": TLS is configured, so use an https:// URL"
                                                : ": an https:// URL needs TLS options"));
  }
  std::shared_ptr<internal::TlsContextCell> tls;
  if (options.tls) {
    Result<std::shared_ptr<boost::asio::ssl::context>> context =
        internal::MakeTlsContext(*options.tls, internal::TlsRole::kClient);
    if (!context.ok()) return context.status();
    tls = std::make_shared<internal::TlsContextCell>(std::move(context).value());
  }
  return std::shared_ptr<HttpPool>(new HttpPool(std::make_unique<internal::HttpPoolImpl>(
      runtime.impl(), registry, std::move(self), std::move(options), std::move(tls))));
}

HttpPool::HttpPool(std::unique_ptr<internal::HttpPoolImpl> impl) : impl_(std::move(impl)) {}
HttpPool::~HttpPool() = default;

Status HttpPool::Set(std::vector<std::string> peers) { return impl_->Set(std::move(peers)); }
std::shared_ptr<PeerGetter> HttpPool::PickPeer(std::string_view key) { return impl_->PickPeer(key); }

std::vector<std::shared_ptr<PeerGetter>> HttpPool::AllPeers() { return impl_->AllPeers(); }
const std::string& HttpPool::base_path() const { return impl_->options_.base_path; }
const std::string& HttpPool::self() const { return impl_->self_; }

std::string HttpPool::fingerprint() const {
  const std::array<char, 16> hex = impl_->ring_->Hex();
  return std::string(hex.data(), hex.size());
}

std::vector<PeerHealth> HttpPool::peer_health() const { return impl_->PeerHealths(); }

Status HttpPool::ReloadTls(const TlsOptions& tls) {
  if (!impl_->tls_) {
    return Status::InvalidArgument("TLS reload of the pool of " + impl_->self_ +
                                   ": the pool was created without TLS");
  }
  Result<std::shared_ptr<boost::asio::ssl::context>> context =
      internal::MakeTlsContext(tls, internal::TlsRole::kClient);
  if (!context.ok()) return context.status();
  impl_->tls_->Publish(std::move(context).value());
  return Status::Ok();
}

uint64_t HttpPool::ring_mismatches() const {
  return impl_->ring_->mismatches.load(std::memory_order_relaxed);
}

HttpHandler HttpPool::handler() {
  return [impl = impl_](const HttpRequest& request, Responder responder) {
    impl->Serve(request, std::move(responder));
  };
}

}  // namespace groupcache
