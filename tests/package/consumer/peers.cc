// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A consumer of groupcache::groupcache, written against the public headers
// only: two cache nodes in one process, each with its own registry, HttpPool
// and HttpServer on 127.0.0.1 (ports chosen by the OS). A key that node B
// owns is asked of node A, which fetches it from B over HTTP. Prints
//   OK <key>=<value> peer_loads=1 peer_local_loads=1
// and exits 0, or names what went wrong and exits 1.
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "groupcache/groupcache.h"

namespace {

using groupcache::Status;

int Fail(std::string_view what, const Status& status) {
  std::fprintf(stderr, "peers: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               status.ToString().c_str());
  return 1;
}

// A getter whose value names the node that loaded it: "<key>@<node>".
std::shared_ptr<groupcache::Getter> NamedGetter(std::string node) {
  return groupcache::MakeGetter([node](std::string_view key, groupcache::Sink& dest) {
    dest.SetString(std::string(key) + "@" + node);
    return Status::Ok();
  });
}

}  // namespace

int main() {
  groupcache::RuntimeOptions runtime_options;
  runtime_options.io_threads = 1;
  runtime_options.worker_threads = 2;
  // Destroyed in reverse: servers, pools, registries, then the runtime.
  groupcache::Runtime runtime(runtime_options);
  groupcache::GroupRegistry registry_a(&runtime.workers());
  groupcache::GroupRegistry registry_b(&runtime.workers());
  auto group_a = registry_a.NewGroup("words", 1 << 20, NamedGetter("a"));
  auto group_b = registry_b.NewGroup("words", 1 << 20, NamedGetter("b"));
  if (!group_a.ok()) return Fail("NewGroup a", group_a.status());
  if (!group_b.ok()) return Fail("NewGroup b", group_b.status());

  auto server_a = groupcache::HttpServer::Listen(runtime, {});
  auto server_b = groupcache::HttpServer::Listen(runtime, {});
  if (!server_a.ok()) return Fail("Listen a", server_a.status());
  if (!server_b.ok()) return Fail("Listen b", server_b.status());
  const std::string url_a = "http://127.0.0.1:" + std::to_string((*server_a)->port());
  const std::string url_b = "http://127.0.0.1:" + std::to_string((*server_b)->port());

  auto pool_a = groupcache::HttpPool::Create(runtime, registry_a, url_a);
  auto pool_b = groupcache::HttpPool::Create(runtime, registry_b, url_b);
  if (!pool_a.ok()) return Fail("HttpPool a", pool_a.status());
  if (!pool_b.ok()) return Fail("HttpPool b", pool_b.status());
  if (Status s = (*pool_a)->Set({url_a, url_b}); !s.ok()) return Fail("Set a", s);
  if (Status s = (*pool_b)->Set({url_a, url_b}); !s.ok()) return Fail("Set b", s);
  registry_a.SetPeerPicker(*pool_a);
  registry_b.SetPeerPicker(*pool_b);
  (*server_a)->Handle((*pool_a)->base_path(), (*pool_a)->handler());
  (*server_b)->Handle((*pool_b)->base_path(), (*pool_b)->handler());
  (*server_a)->Start();
  (*server_b)->Start();

  // The first key of key-0, key-1, ... that the ring gives to node B.
  std::string key;
  for (int i = 0; key.empty() && i < 1000; ++i) {
    std::string candidate = "key-" + std::to_string(i);
    if ((*pool_a)->PickPeer(candidate) != nullptr) key = candidate;
  }
  if (key.empty()) return Fail("ring", Status::Internal("node b owns none of 1000 keys"));

  groupcache::Result<groupcache::ByteView> value = (*group_a)->Get(key);
  int status = 0;
  if (!value.ok()) {
    status = Fail("Get " + key, value.status());
  } else {
    std::printf("OK %s=%s peer_loads=%lld peer_local_loads=%lld\n", key.c_str(), value->ToString().c_str(),
                static_cast<long long>((*group_a)->stats().peer_loads),
                static_cast<long long>((*group_b)->stats().local_loads));
  }

  (*server_a)->Stop();
  (*server_b)->Stop();
  // The registries hold the pools as pickers; let the pools go first.
  registry_a.SetPeerPicker(nullptr);
  registry_b.SetPeerPicker(nullptr);
  return status;
}
