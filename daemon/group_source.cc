// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/group_source.h"

#include <chrono>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "daemon/file_security.h"
#include "daemon/sources.h"

namespace groupcached {

using groupcache::Result;
using groupcache::Status;
using Clock = std::chrono::steady_clock;

namespace {

Result<std::shared_ptr<groupcache::Getter>> MakeSource(const SourceConfig& config, const LimitsConfig& limits,
                                                       groupcache::ByteBudget* budget) {
  return std::visit(
      [&](const auto& source) -> Result<std::shared_ptr<groupcache::Getter>> {
        using T = std::decay_t<decltype(source)>;
        if constexpr (std::is_same_v<T, StaticSourceConfig>) {
          return MakeStaticSource(source.values);
        } else if constexpr (std::is_same_v<T, FilesSourceConfig>) {
          return MakeFilesSource(source.root, limits.max_value_bytes);
        } else if constexpr (std::is_same_v<T, PostgresSourceConfig>) {
          // node_settings.cc has checked the file's permissions.
          Result<std::string> conninfo = ReadSecretFile(source.conninfo_file);
          if (!conninfo.ok()) return conninfo.status();
          PostgresSourceOptions options;
          options.conninfo = std::move(conninfo).value();
          options.query = source.query;
          options.timeout = source.timeout;
          options.pool_size = source.pool_size;
          options.max_bytes = limits.max_value_bytes;
          return MakePostgresSource(std::move(options));
        } else {
          HttpSourceOptions options;
          options.url_template = source.url;
          options.timeout = source.timeout;
          options.max_bytes = limits.max_value_bytes;
          options.max_redirects = source.max_redirects;
          options.stale_if_error = source.stale_if_error;
          options.ca_file = source.ca_file;
          options.budget = budget;
          return MakeHttpSource(std::move(options));
        }
      },
      config);
}

}  // namespace

Result<std::shared_ptr<groupcache::Getter>> MakeGroupSource(const GroupConfig& group,
                                                            const LimitsConfig& limits,
                                                            groupcache::ByteBudget* budget, Metrics& metrics,
                                                            Logger& logger) {
  Result<std::shared_ptr<groupcache::Getter>> inner = MakeSource(group.source, limits, budget);
  if (!inner.ok()) {
    return Status::InvalidArgument("group \"" + group.name + "\": source: " + inner.status().message());
  }
  // Times the load and logs a failure, without the key (sources.h).
  auto observe = [name = group.name, &metrics, &logger](std::string_view key, Clock::time_point start,
                                                        const Status& status) {
    metrics.ObserveSourceLoad(name, Clock::now() - start, status);
    // A missing key is an answer, and a key the source refuses is the
    // client's error (the API logs it); neither is a failing source.
    if (!status.ok() && status.code() != groupcache::StatusCode::kNotFound &&
        status.code() != groupcache::StatusCode::kInvalidArgument) {
      // Source errors never carry the key (sources.h); it goes in as a hash.
      logger.Warn("source load failed",
                  {{"group", name}, {"key", logger.KeyRef(key)}, {"error", status.ToString()}});
    }
  };
  std::shared_ptr<groupcache::Getter> source = std::move(inner).value();
  if (auto async = std::dynamic_pointer_cast<groupcache::AsyncGetter>(source)) {
    // Stays asynchronous: the group then holds no thread for its loads.
    return std::shared_ptr<groupcache::Getter>(groupcache::MakeAsyncGetter(
        [async, observe](std::string_view key, groupcache::Sink& dest, groupcache::AsyncGetter::Done done) {
          const Clock::time_point start = Clock::now();
          async->GetAsync(
              key, dest,
              [key = std::string(key), start, observe, done = std::move(done)](Status status) mutable {
                observe(key, start, status);
                done(std::move(status));
              });
        }));
  }
  return groupcache::MakeGetter([source, observe](std::string_view key, groupcache::Sink& dest) -> Status {
    const Clock::time_point start = Clock::now();
    Status status;
    try {
      status = source->Get(key, dest);
    } catch (...) {
      status = Status::Internal("the source threw an exception");
    }
    observe(key, start, status);
    return status;
  });
}

Status CheckGroupSources(const Config& config) {
  Metrics metrics;
  LogOptions quiet_options;
  quiet_options.level = LogLevel::kError;
  Result<std::unique_ptr<Logger>> quiet = Logger::Create(quiet_options);
  if (!quiet.ok()) return quiet.status();
  for (const GroupConfig& group : config.groups) {
    Result<std::shared_ptr<groupcache::Getter>> getter =
        MakeGroupSource(group, config.limits, /*budget=*/nullptr, metrics, **quiet);
    if (!getter.ok()) return getter.status();
  }
  return Status::Ok();
}

}  // namespace groupcached
