// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcache/registry.h"

namespace groupcache {

GroupRegistry::GroupRegistry(Executor* loader) : loader_(loader) {}
GroupRegistry::~GroupRegistry() = default;

Result<Group*> GroupRegistry::NewGroup(std::string name, int64_t cache_bytes, std::shared_ptr<Getter> getter,
                                       GroupOptions options) {
  if (name.empty()) return Status::InvalidArgument("group name must not be empty");
  if (!getter) return Status::InvalidArgument("group " + name + ": getter must not be null");
  std::unique_lock<std::shared_mutex> lock(mu_);
  if (groups_.count(name)) return Status::AlreadyExists("duplicate group name: " + name);
  std::unique_ptr<Group> group(new Group(name, cache_bytes, std::move(getter), std::move(options), loader_));
  group->SetPeerPicker(picker_);
  Group* raw = group.get();
  groups_.emplace(std::move(name), std::move(group));
  return raw;
}

Group* GroupRegistry::GetGroup(std::string_view name) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  auto it = groups_.find(name);
  return it == groups_.end() ? nullptr : it->second.get();
}

std::vector<Group*> GroupRegistry::groups() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  std::vector<Group*> out;
  out.reserve(groups_.size());
  for (const auto& [name, group] : groups_) out.push_back(group.get());
  return out;
}

void GroupRegistry::SetPeerPicker(std::shared_ptr<PeerPicker> picker) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  picker_ = std::move(picker);
  for (auto& [name, group] : groups_) group->SetPeerPicker(picker_);
}

}  // namespace groupcache
