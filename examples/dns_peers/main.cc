// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// dns_peers: a groupcache peer that finds the other peers through DNS, as a
// node behind a Kubernetes headless Service would. Like kv, the getter makes
// up a value for any key; unlike kv, the peer list is not given but looked
// up every -interval (A and AAAA records, or SRV with -dns-srv), and every
// change is logged.
//
//   dns_peers -addr 127.0.0.1:8080 -dns-name peers.test -dns-server 127.0.0.1:5353 -interval 1s
//
// Endpoints, all on one listener:
//   GET /get?key=K                 the value of K ("K@<self>" from its owner), or 404
//   GET /peers                     the peers in force, the ring fingerprint and counters
//   GET /_groupcache/<group>/<key> the peer endpoint
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "examples/common/go_flags.h"
#include "examples/common/go_log.h"
#include "examples/common/go_mux.h"
#include "examples/common/stop_signal.h"
#include "groupcache/groupcache.h"
#include "groupcache/url.h"

namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : " ") + item;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using std::chrono::nanoseconds;
  groupcache::examples::FlagSet flags(argc > 0 ? argv[0] : "dns_peers");
  const std::string* addr = flags.String("addr", "127.0.0.1:8080", "server address (an IP literal and port)");
  const std::string* self_flag = flags.String(
      "self", "",
      "this node's base URL as the others know it (default: http://<addr>); spell it as DNS does");
  const std::string* name = flags.String("dns-name", "", "the DNS name that lists the peers (required)");
  const std::string* servers = flags.String(
      "dns-server", "", "comma-separated DNS servers, ip:port or [ipv6]:port (default: the system's)");
  const bool* srv =
      flags.Bool("dns-srv", false, "resolve SRV records (targets and ports) instead of A and AAAA");
  const int64_t* port = flags.Int("dns-port", 0, "the peers' port for A/AAAA answers (0: the port of -self)");
  const nanoseconds* interval = flags.Duration("interval", std::chrono::seconds(5), "time between lookups");
  const nanoseconds* timeout = flags.Duration("timeout", std::chrono::seconds(2), "deadline of one lookup");
  const std::string* group_name = flags.String("group", "kv", "group name");
  flags.Parse(argc, argv);

  auto usage_error = [](const std::string& message) {
    std::fprintf(stderr, "dns_peers: %s\n", message.c_str());
    return 2;
  };
  auto listen_address = groupcache::ParseListenAddress(*addr);
  if (!listen_address.ok()) return usage_error("invalid -addr: " + listen_address.status().message());
  if (*port < 0 || *port > 65535) return usage_error("invalid -dns-port " + std::to_string(*port));
  const std::string self = self_flag->empty() ? "http://" + *addr : *self_flag;

  const sigset_t stop_signals = groupcache::examples::BlockStopSignals();
  groupcache::Runtime runtime;
  groupcache::GroupRegistry registry(&runtime.workers());
  auto group = registry.NewGroup(*group_name, 64 << 20,
                                 groupcache::MakeGetter([self](std::string_view key, groupcache::Sink& dest) {
                                   dest.SetString(std::string(key) + "@" + self);
                                   return groupcache::Status::Ok();
                                 }));
  if (!group.ok()) return usage_error("invalid -group: " + group.status().message());
  auto pool = groupcache::HttpPool::Create(runtime, registry, self);
  if (!pool.ok()) return usage_error("invalid -self: " + pool.status().message());
  // Alone until DNS answers: every key is loaded here meanwhile.
  if (groupcache::Status set = (*pool)->Set({self}); !set.ok()) return usage_error(set.message());
  registry.SetPeerPicker(*pool);

  groupcache::DnsPeersOptions dns;
  dns.name = *name;
  dns.record = *srv ? groupcache::DnsRecord::kSrv : groupcache::DnsRecord::kAddress;
  dns.port = static_cast<uint16_t>(*port);
  dns.interval = std::chrono::ceil<std::chrono::milliseconds>(*interval);
  dns.timeout = std::chrono::ceil<std::chrono::milliseconds>(*timeout);
  if (!servers->empty()) dns.servers = groupcache::examples::SplitGo(*servers, ',');
  // Both callbacks run on an I/O thread: a log line is all they do.
  dns.on_change = [](const groupcache::PeerSetChange& change) {
    groupcache::examples::GoLog("peers: " + Join(change.peers) + " (added: " + Join(change.added) +
                                "; removed: " + Join(change.removed) + "; ring " + change.fingerprint + ")");
  };
  dns.on_lookup_error = [](const groupcache::Status& status) {
    groupcache::examples::GoLog("DNS lookup failed, keeping the peers: " + status.ToString());
  };
  auto discovery = groupcache::DnsPeers::Start(runtime, *pool, std::move(dns));
  if (!discovery.ok()) return usage_error(discovery.status().message());

  groupcache::HttpServerOptions server_options;
  server_options.host = listen_address->first;
  server_options.port = listen_address->second;
  auto server = groupcache::HttpServer::Listen(runtime, server_options);
  if (!server.ok()) {
    groupcache::examples::GoLog(server.status().message());
    (*discovery)->Stop();
    registry.SetPeerPicker(nullptr);
    return 1;
  }
  groupcache::Group* kv = *group;
  (*server)->Handle("/get", [kv](const groupcache::HttpRequest& request, groupcache::Responder responder) {
    kv->GetAsync(
        groupcache::QueryValue(request.query, "key").value_or(""),
        [responder = std::move(responder)](groupcache::Result<groupcache::ByteView> value) mutable {
          if (!value.ok()) {
            return std::move(responder).Send(groupcache::TextResponse(404, value.status().message()));
          }
          groupcache::HttpResponse response;
          response.content_type = "text/plain; charset=utf-8";
          response.body = std::move(value).value();
          std::move(responder).Send(std::move(response));
        });
  });
  groupcache::DnsPeers* peers = discovery->get();
  std::shared_ptr<groupcache::HttpPool> shared_pool = *pool;
  (*server)->Handle("/peers", [peers, shared_pool](const groupcache::HttpRequest&,
                                                   groupcache::Responder responder) {
    groupcache::HttpResponse response;
    response.content_type = "text/plain; charset=utf-8";
    response.body_prefix = "peers: " + Join(peers->peers()) + "\nfingerprint: " + shared_pool->fingerprint() +
                           "\nring_mismatches: " + std::to_string(shared_pool->ring_mismatches()) +
                           "\nlookups: " + std::to_string(peers->lookups()) +
                           "\nlookup_failures: " + std::to_string(peers->lookup_failures()) +
                           "\nchanges: " + std::to_string(peers->changes()) + "\n";
    std::move(responder).Send(std::move(response));
  });
  (*server)->Handle((*pool)->base_path(), (*pool)->handler());
  (*server)->Handle("/", groupcache::examples::GoNotFoundHandler());
  (*server)->Start();
  groupcache::examples::GoLog("dns_peers: self=" + self + " addr=" + *addr + " dns-name=" + *name);

  groupcache::examples::WaitForStopSignal(stop_signals);
  (*server)->Stop();
  (*discovery)->Stop();  // before the pool and registry it feeds go
  registry.SetPeerPicker(nullptr);
  return 0;
}
