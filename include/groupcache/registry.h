// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHE_REGISTRY_H_
#define GROUPCACHE_REGISTRY_H_

#include <cstdint>
#include <memory>
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

namespace internal {
struct GroupRegistryImpl;
}

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
  // The groups by name, the picker and their lock (registry.cc).
  std::unique_ptr<internal::GroupRegistryImpl> impl_;
};

}  // namespace groupcache

#endif  // GROUPCACHE_REGISTRY_H_
