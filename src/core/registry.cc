// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/registry.h"

#include <functional>
#include <map>
#include <utility>

#include "core/mutex.h"
#include "core/thread_annotations.h"

namespace groupcache {
namespace internal {

// A GroupRegistry's state. GroupRegistry reads and writes it under mu_ (it
// alone may construct a Group). Thread-safety: as the guards say.
struct GroupRegistryImpl {
  explicit GroupRegistryImpl(Executor* loader) : loader(loader) {}

  Executor* const loader;
  // Shared for lookups (GetGroup is on the peer handler's path), exclusive
  // for changes.
  SharedMutex mu;
  std::map<std::string, std::unique_ptr<Group>, std::less<>> groups GUARDED_BY(mu);
  std::shared_ptr<PeerPicker> picker GUARDED_BY(mu);
};

}  // namespace internal

GroupRegistry::GroupRegistry(Executor* loader)
    : impl_(std::make_unique<internal::GroupRegistryImpl>(loader)) {}
GroupRegistry::~GroupRegistry() = default;

Result<Group*> GroupRegistry::NewGroup(std::string name, int64_t cache_bytes, std::shared_ptr<Getter> getter,
                                       GroupOptions options) {
  if (name.empty()) return Status::InvalidArgument("group name must not be empty");
  if (!getter) return Status::InvalidArgument("group " + name + ": getter must not be null");
  if (options.ttl.count() < 0 || options.ttl_jitter.count() < 0 || options.ttl_jitter > options.ttl) {
    return Status::InvalidArgument("group " + name +
                                   ": ttl and ttl_jitter must be >= 0, with ttl_jitter <= ttl");
  }
  if (options.not_found_ttl.count() < 0) {
    return Status::InvalidArgument("group " + name + ": not_found_ttl must be >= 0");
  }
  internal::GroupRegistryImpl& impl = *impl_;
  internal::WriterMutexLock lock(impl.mu);
  if (impl.groups.count(name)) return Status::AlreadyExists("duplicate group name: " + name);
  std::unique_ptr<Group> group(
      new Group(name, cache_bytes, std::move(getter), std::move(options), impl.loader));
  group->SetPeerPicker(impl.picker);
  Group* raw = group.get();
  impl.groups.emplace(std::move(name), std::move(group));
  return raw;
}

Group* GroupRegistry::GetGroup(std::string_view name) const {
  internal::GroupRegistryImpl& impl = *impl_;
  internal::ReaderMutexLock lock(impl.mu);
  auto it = impl.groups.find(name);
  return it == impl.groups.end() ? nullptr : it->second.get();
}

std::vector<Group*> GroupRegistry::groups() const {
  internal::GroupRegistryImpl& impl = *impl_;
  internal::ReaderMutexLock lock(impl.mu);
  std::vector<Group*> out;
  out.reserve(impl.groups.size());
  for (const auto& [name, group] : impl.groups) out.push_back(group.get());
  return out;
}

void GroupRegistry::SetPeerPicker(std::shared_ptr<PeerPicker> picker) {
  internal::GroupRegistryImpl& impl = *impl_;
  internal::WriterMutexLock lock(impl.mu);
  impl.picker = std::move(picker);
  for (auto& [name, group] : impl.groups) group->SetPeerPicker(impl.picker);
}

}  // namespace groupcache
