// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_REGISTRY_H_
#define GROUPCACHE_REGISTRY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "groupcache/executor.h"
#include "groupcache/export.h"
#include "groupcache/getter.h"
#include "groupcache/group.h"
#include "groupcache/peers.h"
#include "groupcache/status.h"

namespace groupcache {

// A GroupRegistry owns a set of uniquely named groups and the peer picker they
// share. It replaces Go's process-wide group map: two registries in one
// process are two independent caches. Groups live as long as the registry.
// Thread-safety: safe for concurrent use.
class GROUPCACHE_API GroupRegistry {
 public:
  // `loader` is where getters of groups without their own run; null means
  // inline. Not owned; must outlive the registry.
  explicit GroupRegistry(Executor* loader = nullptr);
  ~GroupRegistry();
  GroupRegistry(const GroupRegistry&) = delete;
  GroupRegistry& operator=(const GroupRegistry&) = delete;

  // Creates a group. cache_bytes <= 0 disables caching. Errors:
  // InvalidArgument for an empty name or a null getter, AlreadyExists for a
  // name in use. The pointer stays valid as long as the registry.
  Result<Group*> NewGroup(std::string name, int64_t cache_bytes, std::shared_ptr<Getter> getter,
                          GroupOptions options = {});

  // Returns the named group, or null.
  Group* GetGroup(std::string_view name) const;
  std::vector<Group*> groups() const;

  // Sets the picker of every group, existing and future. Null: no peers.
  void SetPeerPicker(std::shared_ptr<PeerPicker> picker);

 private:
  Executor* loader_;
  mutable std::shared_mutex mu_;
  std::map<std::string, std::unique_ptr<Group>, std::less<>> groups_;  // guarded by mu_
  std::shared_ptr<PeerPicker> picker_;                                 // guarded by mu_
};

}  // namespace groupcache

#endif  // GROUPCACHE_REGISTRY_H_
