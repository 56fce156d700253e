// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_GROUP_SOURCE_H_
#define GROUPCACHED_GROUP_SOURCE_H_

#include <memory>

#include "daemon/config.h"
#include "daemon/log.h"
#include "daemon/metrics.h"
#include "groupcache/byte_budget.h"
#include "groupcache/getter.h"
#include "groupcache/status.h"

namespace groupcached {

// Returns the getter of one configured group: its source (sources.h) with
// the limits applied, each call timed into `metrics` as a source load, and
// each failure other than NotFound and InvalidArgument logged as a warning
// with the key as Logger::KeyRef. An exception from the source becomes
// Internal. An http source leases response bytes from `budget` (null: no
// aggregate cap). `metrics`, `logger` and `budget` must outlive the getter.
// Errors: InvalidArgument "group \"NAME\": source: ..." when the source
// cannot be built (a missing files root, an unreadable CA file or postgres
// conninfo_file); nothing is fetched, and no database is contacted.
groupcache::Result<std::shared_ptr<groupcache::Getter>> MakeGroupSource(const GroupConfig& group,
                                                                        const LimitsConfig& limits,
                                                                        groupcache::ByteBudget* budget,
                                                                        Metrics& metrics, Logger& logger);

// Builds, and drops, the source of every group in `config` as a node would,
// so that --check-config reports what would stop the start; contacts no
// network. Returns the first error of MakeGroupSource.
groupcache::Status CheckGroupSources(const Config& config);

}  // namespace groupcached

#endif  // GROUPCACHED_GROUP_SOURCE_H_
