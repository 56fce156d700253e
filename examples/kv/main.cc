// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// kv: a benchmark-friendly groupcache peer, flag for flag like the Go anchor's
// src/kv/main.go, so the two can be run side by side and mixed in one ring.
//
//   kv -addr 127.0.0.1:8080 -pool http://127.0.0.1:8080,http://127.0.0.1:8081 -size 100
//
// The getter synthesises a value for any key, so nothing backs the cache:
// the first -size bytes of key + ":" repeated ("ab", -size 10: "ab:ab:ab:a").
// Endpoints, all on one listener:
//   GET /get?key=K                 the value of K (raw bytes), or 404 and the error
//   GET /kv/K                      the same, K being the percent-decoded path after /kv/
//   GET /stats                     the group's Stats and CacheStats as JSON, as Go prints them
//   GET /_groupcache/<group>/<key> the peer endpoint
// Three flags are not in Go's kv: -timeout, the deadline of a peer request
// (Go's peer client has none, so a hung peer hangs the request), -work, fixed
// CPU work per load for benchmarks (the project's Go peer gcpeer has it too),
// and -ttl, which gives every value an expiry (sent to peers as groupcache-go
// v3 does; Go groupcache v1 peers ignore it).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "examples/common/go_flags.h"
#include "examples/common/go_log.h"
#include "examples/common/go_mux.h"
#include "examples/common/stop_signal.h"
#include "groupcache/groupcache.h"
#include "groupcache/url.h"

namespace {

using groupcache::ByteView;
using groupcache::HttpRequest;
using groupcache::HttpResponse;
using groupcache::Responder;
using groupcache::Result;
using groupcache::Status;

// Go's validKey: with -keys N > 0 only "key-0" .. "key-<N-1>" exist, spelled
// as strconv.Itoa spells them (no sign, no leading zero).
bool ValidKey(std::string_view key, int64_t keys) {
  if (keys <= 0) return true;
  constexpr std::string_view kPrefix = "key-";
  if (key.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view digits = key.substr(kPrefix.size());
  if (digits.empty() || digits.size() > 19 || (digits[0] == '0' && digits.size() > 1)) return false;
  uint64_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<uint64_t>(c - '0');  // 19 digits fit in uint64_t
  }
  return n < static_cast<uint64_t>(keys);
}

// Go's Value(key, n): the first `size` bytes of key + ":" repeated, written
// straight into the value's buffer.
ByteView MakeValue(std::string_view key, size_t size) {
  std::string unit(key);
  unit += ':';
  return ByteView::Build(size, [&](char* out) {
    for (size_t done = 0; done < size;) {
      size_t n = std::min(unit.size(), size - done);
      std::memcpy(out + done, unit.data(), n);
      done += n;
    }
  });
}

// Appends `s` as a JSON string exactly as Go's encoding/json writes it with
// HTML escaping on (the json.Encoder default): <, >, & and control bytes as
// \u00XX except \n \r \t; U+2028 and U+2029 escaped; each byte of invalid
// UTF-8 as \ufffd.
void AppendGoJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&') {
        out += static_cast<char>(b);
      } else if (b == '"' || b == '\\') {
        out += '\\';
        out += static_cast<char>(b);
      } else if (b == '\n') {
        out += "\\n";
      } else if (b == '\r') {
        out += "\\r";
      } else if (b == '\t') {
        out += "\\t";
      } else {
        out += "\\u00";
        out += kHex[b >> 4];
        out += kHex[b & 0xF];
      }
      ++i;
      continue;
    }
    // The length of a valid UTF-8 sequence starting here, or 0 (Go's
    // utf8.DecodeRuneInString rules: no overlongs, surrogates or > U+10FFFF).
    auto at = [&](size_t k) -> unsigned {
      return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
    };
    auto cont = [&](size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) { return at(k) >= lo && at(k) <= hi; };
    size_t len = 0;
    if (b >= 0xC2 && b <= 0xDF) {
      len = cont(1) ? 2 : 0;
    } else if (b >= 0xE0 && b <= 0xEF) {
      unsigned lo = b == 0xE0 ? 0xA0 : 0x80;
      unsigned hi = b == 0xED ? 0x9F : 0xBF;
      len = cont(1, lo, hi) && cont(2) ? 3 : 0;
    } else if (b >= 0xF0 && b <= 0xF4) {
      unsigned lo = b == 0xF0 ? 0x90 : 0x80;
      unsigned hi = b == 0xF4 ? 0x8F : 0xBF;
      len = cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
    }
    if (len == 0) {
      out += "\\ufffd";
      ++i;
    } else if (len == 3 && b == 0xE2 && at(1) == 0x80 && (at(2) == 0xA8 || at(2) == 0xA9)) {
      out += at(2) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 3;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  out += '"';
}

struct Field {
  const char* name;
  int64_t value;
};

// Appends a JSON object of counters at nesting depth 1. The caller lists the
// fields in Go's order: encoding/json sorts map keys bytewise, so "Loads"
// comes before "LoadsDeduped" and both before "LocalLoads".
void AppendCounters(std::string& out, std::initializer_list<Field> fields) {
  out += "{\n";
  size_t i = 0;
  for (const Field& field : fields) {
    out += "    \"";
    out += field.name;
    out += "\": ";
    out += std::to_string(field.value);
    out += ++i < fields.size() ? ",\n" : "\n";
  }
  out += "  }";
}

void AppendCacheStats(std::string& out, const groupcache::CacheStats& c) {
  AppendCounters(out, {{"Bytes", c.bytes},
                       {"Evictions", c.evictions},
                       {"Gets", c.gets},
                       {"Hits", c.hits},
                       {"Items", c.items}});
}

// The body of GET /stats, byte for byte what Go's json.Encoder with
// SetIndent("", "  ") writes for the kv program's map: keys sorted, two-space
// indent, a trailing newline.
std::string StatsJson(const groupcache::Group& group, std::string_view self) {
  const groupcache::Stats s = group.stats();
  std::string out = "{\n  \"Group\": ";
  AppendGoJsonString(out, group.name());
  out += ",\n  \"HotCache\": ";
  AppendCacheStats(out, group.cache_stats(groupcache::CacheType::kHot));
  out += ",\n  \"MainCache\": ";
  AppendCacheStats(out, group.cache_stats(groupcache::CacheType::kMain));
  out += ",\n  \"Self\": ";
  AppendGoJsonString(out, self);
  out += ",\n  \"Stats\": ";
  AppendCounters(out, {{"CacheHits", s.cache_hits},
                       {"Gets", s.gets},
                       {"Loads", s.loads},
                       {"LoadsDeduped", s.loads_deduped},
                       {"LocalLoadErrs", s.local_load_errs},
                       {"LocalLoads", s.local_loads},
                       {"PeerErrors", s.peer_errors},
                       {"PeerLoads", s.peer_loads},
                       {"ServerRequests", s.server_requests}});
  out += "\n}\n";
  return out;
}

// Answers with the value of `key` (raw bytes), or 404 and the error text.
void ServeValue(groupcache::Group* group, std::string_view key, Responder responder) {
  group->GetAsync(key, [responder = std::move(responder)](Result<ByteView> value) mutable {
    if (!value.ok()) {
      std::move(responder).Send(groupcache::TextResponse(404, value.status().message()));
      return;
    }
    HttpResponse response;
    response.content_type = "application/octet-stream";
    response.body = std::move(value).value();  // shares the cached buffer: no copy
    std::move(responder).Send(std::move(response));
  });
}

// The same fixed work as gcpeer's -work: a xorshift chain the compiler
// cannot shorten, whose result is published so it is not optimised away.
std::atomic<uint64_t> work_sink{0};
void BurnCpu(std::string_view key, int64_t rounds) {
  uint64_t x = static_cast<uint64_t>(key.size()) ^ 0x9E3779B97F4A7C15ull;
  for (int64_t i = 0; i < rounds; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  work_sink.store(x, std::memory_order_relaxed);
}

}  // namespace

int main(int argc, char** argv) {
  using std::chrono::nanoseconds;
  groupcache::examples::FlagSet flags(argc > 0 ? argv[0] : "kv");
  const std::string* addr = flags.String("addr", ":8080", "server address");
  const std::string* pool_list =
      flags.String("pool", "http://localhost:8080", "comma-separated peer base URLs; first entry is self");
  const int64_t* keys = flags.Int(
      "keys", 0, "if > 0, only keys \"key-0\" .. \"key-<N-1>\" exist; others fail with \"key not found\"");
  const int64_t* size = flags.Int("size", 100, "value size in bytes");
  const int64_t* cache =
      flags.Int64("cache", int64_t{64} << 20, "group cacheBytes (main+hot limit); <= 0 disables caching");
  const std::string* group_name = flags.String("group", "kv", "group name");
  const nanoseconds* delay =
      flags.Duration("delay", nanoseconds(0),
                     "artificial latency added to every local load (e.g. 5ms) to exercise singleflight");
  const int64_t* replicas = flags.Int("replicas", 0, "consistent-hash replicas (0 = groupcache default 50)");
  const bool* quiet = flags.Bool("quiet", true, "do not log every local load");
  // C++ addition (also in the project's Go peer, gcpeer): a fixed amount of
  // CPU work per load, for benchmarks of the load path.
  const int64_t* work =
      flags.Int("work", 0, "rounds of fixed CPU work (xorshift) per local load, for benchmarks");
  // The one flag Go's kv lacks: Go's peer client has no deadline at all.
  const nanoseconds* timeout = flags.Duration("timeout", std::chrono::seconds(10),
                                              "deadline of one peer request (C++ addition; Go has none)");
  const nanoseconds* ttl = flags.Duration(
      "ttl", nanoseconds(0), "expire every value this long after it is loaded (C++ addition; 0: never)");
  flags.Parse(argc, argv);

  // Values Go would accept and then fail on at run time (a negative -size
  // panics in every load) are refused here instead.
  auto usage_error = [&](const std::string& message) {
    std::fprintf(stderr, "kv: %s\n", message.c_str());
    return 2;
  };
  if (*size < 0) return usage_error("invalid -size " + std::to_string(*size) + ": must be >= 0");
  if (*replicas < 0 || *replicas > 1'000'000) {
    return usage_error("invalid -replicas " + std::to_string(*replicas) + ": must be in [0, 1000000]");
  }
  if (timeout->count() <= 0) {
    return usage_error("invalid -timeout " + groupcache::examples::FormatGoDuration(*timeout) +
                       ": must be > 0");
  }
  if (ttl->count() < 0) {
    return usage_error("invalid -ttl " + groupcache::examples::FormatGoDuration(*ttl) + ": must be >= 0");
  }
  auto listen_address = groupcache::ParseListenAddress(*addr);
  if (!listen_address.ok()) {
    return usage_error("invalid -addr: " + listen_address.status().message());
  }
  const std::vector<std::string> peers = groupcache::examples::SplitGo(*pool_list, ',');

  const sigset_t stop_signals = groupcache::examples::BlockStopSignals();

  groupcache::RuntimeOptions runtime_options;
  // Go sleeps -delay in a goroutine per request; with the default few worker
  // threads, sleeping getters would cap distinct-key loads far below Go's.
  if (delay->count() > 0) runtime_options.worker_threads = 64;
  groupcache::Runtime runtime(runtime_options);
  groupcache::GroupRegistry registry(&runtime.workers());

  const size_t value_size = static_cast<size_t>(*size);
  const int64_t key_count = *keys;
  const nanoseconds load_delay = *delay;
  const bool log_loads = !*quiet;
  const int64_t work_rounds = *work;
  auto getter = groupcache::MakeGetter([=](std::string_view key, groupcache::Sink& dest) {
    if (log_loads) groupcache::examples::GoLog("looking up " + std::string(key));
    if (work_rounds > 0) BurnCpu(key, work_rounds);
    if (load_delay.count() > 0) std::this_thread::sleep_for(load_delay);  // getters run on worker threads
    if (!ValidKey(key, key_count)) return Status::NotFound("key not found");
    dest.SetView(MakeValue(key, value_size));
    return Status::Ok();
  });
  groupcache::GroupOptions group_options;
  // Charge key + value bytes only, as Go does, so -cache means what it means
  // for the Go kv and /stats Bytes match it.
  group_options.entry_overhead_bytes = 0;
  group_options.ttl = *ttl;
  auto group = registry.NewGroup(*group_name, *cache, std::move(getter), group_options);
  if (!group.ok()) return usage_error("invalid -group \"" + *group_name + "\": " + group.status().message());

  groupcache::HttpPoolOptions pool_options;
  if (*replicas > 0) pool_options.replicas = static_cast<int>(*replicas);
  // Rounded up: a deadline of 1ns must not become "no time at all".
  pool_options.request_timeout = std::chrono::ceil<std::chrono::milliseconds>(*timeout);
  auto pool = groupcache::HttpPool::Create(runtime, registry, peers[0], pool_options);
  if (!pool.ok()) return usage_error("invalid -pool: " + pool.status().message());
  if (Status set = (*pool)->Set(peers); !set.ok()) {
    return usage_error("invalid -pool: " + set.message());
  }
  registry.SetPeerPicker(*pool);

  groupcache::examples::GoLog("kv: self=" + peers[0] + " addr=" + *addr + " group=" + *group_name +
                              " size=" + std::to_string(*size) + " keys=" + std::to_string(*keys) +
                              " cache=" + std::to_string(*cache));

  groupcache::HttpServerOptions server_options;
  server_options.host = listen_address->first;
  server_options.port = listen_address->second;
  auto server = groupcache::HttpServer::Listen(runtime, server_options);
  if (!server.ok()) {
    groupcache::examples::GoLog(server.status().message());  // Go's log.Fatal: exit status 1
    registry.SetPeerPicker(nullptr);
    return 1;
  }

  groupcache::Group* kv = *group;
  const std::string self = peers[0];
  (*server)->Handle("/get", [kv](const HttpRequest& request, Responder responder) {
    // A missing key is the empty key, as r.FormValue("key") gives.
    std::string key = groupcache::QueryValue(request.query, "key").value_or("");
    ServeValue(kv, key, std::move(responder));
  });
  (*server)->Handle("/kv/", [kv](const HttpRequest& request, Responder responder) {
    Result<std::string> decoded = groupcache::PathUnescape(request.path.substr(std::strlen("/kv/")));
    if (!decoded.ok()) {
      HttpResponse bad;  // what Go's server sends for a malformed escape
      bad.status = 400;
      bad.content_type = "text/plain; charset=utf-8";
      bad.body_prefix = "400 Bad Request";
      std::move(responder).Send(std::move(bad));
      return;
    }
    ServeValue(kv, *decoded, std::move(responder));
  });
  (*server)->Handle("/kv", groupcache::examples::GoRedirectToSlashHandler());
  (*server)->Handle("/stats", [kv, self](const HttpRequest&, Responder responder) {
    HttpResponse response;
    response.content_type = "application/json";
    response.body_prefix = StatsJson(*kv, self);
    std::move(responder).Send(std::move(response));
  });
  const std::string& base_path = (*pool)->base_path();
  (*server)->Handle(base_path, (*pool)->handler());
  // What Go's DefaultServeMux answers by itself: the tree without its slash
  // is redirected, anything unregistered is a 404.
  (*server)->Handle(base_path.substr(0, base_path.size() - 1),
                    groupcache::examples::GoRedirectToSlashHandler());
  (*server)->Handle("/", groupcache::examples::GoNotFoundHandler());
  (*server)->Start();

  groupcache::examples::WaitForStopSignal(stop_signals);
  (*server)->Stop();
  registry.SetPeerPicker(nullptr);  // the pool must go before the registry it points to
  return 0;
}
