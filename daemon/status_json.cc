// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// RenderStatusJson (status_page.h): the status page for programs.
#include <time.h>

#include <cstdio>
#include <string_view>

#include "daemon/status_page.h"

namespace groupcached {
namespace {

using groupcache::CacheStats;
using groupcache::Stats;

// The length of the valid UTF-8 sequence at the start of `text`, or 0.
size_t Utf8Length(std::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  size_t length;
  uint32_t min;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, min = 0x10000;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  uint32_t code = lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i) & 0x3F);
  }
  // Overlong forms, surrogates and code points beyond U+10FFFF are invalid.
  if (code < min || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return 0;
  return length;
}

// Appends `text` as a JSON string.
void String(std::string& out, std::string_view text) {
  out += '"';
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t length = Utf8Length(text.substr(i));
      if (length == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    ++i;
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void Time(std::string& out, const std::optional<SystemTime>& time) {
  if (!time) {
    out += "null";
    return;
  }
  const time_t seconds = std::chrono::system_clock::to_time_t(*time);
  tm utc{};
  char text[32] = "?";
  if (gmtime_r(&seconds, &utc) != nullptr) std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  String(out, text);
}

// Appends "key": (the value follows).
void Key(std::string& out, std::string_view key) {
  String(out, key);
  out += ':';
}

void Cache(std::string& out, const CacheStats& cache) {
  out += "{\"bytes\":" + std::to_string(cache.bytes) + ",\"items\":" + std::to_string(cache.items) +
         ",\"gets\":" + std::to_string(cache.gets) + ",\"hits\":" + std::to_string(cache.hits) +
         ",\"evictions\":" + std::to_string(cache.evictions) + "}";
}

void GroupStats(std::string& out, const Stats& s) {
  out += "{\"gets\":" + std::to_string(s.gets) + ",\"cache_hits\":" + std::to_string(s.cache_hits) +
         ",\"peer_loads\":" + std::to_string(s.peer_loads) +
         ",\"peer_errors\":" + std::to_string(s.peer_errors) + ",\"loads\":" + std::to_string(s.loads) +
         ",\"loads_deduped\":" + std::to_string(s.loads_deduped) +
         ",\"local_loads\":" + std::to_string(s.local_loads) +
         ",\"local_load_errs\":" + std::to_string(s.local_load_errs) +
         ",\"server_requests\":" + std::to_string(s.server_requests) + "}";
}

}  // namespace

std::string RenderStatusJson(const StatusData& data) {
  std::string out = "{";
  Key(out, "version");
  String(out, data.build.version);
  out += ",";
  Key(out, "build");
  out += "{";
  Key(out, "commit");
  String(out, data.build.commit);
  out += ",";
  Key(out, "build_type");
  String(out, data.build.build_type);
  out += ",";
  Key(out, "compiler");
  String(out, data.build.compiler);
  out += "},";
  Key(out, "self");
  String(out, data.self);
  out += ",";
  Key(out, "api_address");
  String(out, data.api_address);
  out += ",";
  Key(out, "peer_address");
  String(out, data.peer_address);
  out += ",\"ready\":" + std::string(data.ready ? "true" : "false") + ",";
  Key(out, "now");
  Time(out, data.now);
  out += ",";
  Key(out, "started");
  Time(out, data.started);
  out += ",\"ring\":{";
  Key(out, "fingerprint");
  String(out, data.fingerprint);
  out += ",\"members\":[";
  for (size_t i = 0; i < data.members.size(); ++i) {
    const StatusMember& m = data.members[i];
    out += i ? ",{" : "{";
    Key(out, "url");
    String(out, m.url);
    out += ",";
    Key(out, "state");
    String(out, m.self ? "self" : m.ejected ? "ejected" : "healthy");
    out += ",\"consecutive_failures\":" + std::to_string(m.consecutive_failures) +
           ",\"ejections\":" + std::to_string(m.ejections) + ",";
    Key(out, "last_error");
    if (m.last_error.empty()) {
      out += "null";
    } else {
      String(out, m.last_error);
    }
    out += ",";
    Key(out, "last_error_at");
    Time(out, m.last_error_at);
    out += ",";
    Key(out, "ejected_until");
    Time(out, m.ejected_until);
    out += "}";
  }
  out += "]},\"groups\":[";
  for (size_t i = 0; i < data.groups.size(); ++i) {
    const StatusGroup& g = data.groups[i];
    out += i ? ",{" : "{";
    Key(out, "name");
    String(out, g.name);
    out += ",\"cache_bytes\":" + std::to_string(g.cache_bytes) + ",\"main\":";
    Cache(out, g.main);
    out += ",\"hot\":";
    Cache(out, g.hot);
    out += ",\"stats\":";
    GroupStats(out, g.stats);
    out += "}";
  }
  out += "],";
  Key(out, "certificate");
  if (!data.certificate) {
    out += "null";
  } else {
    out += "{";
    Key(out, "file");
    String(out, data.certificate->file);
    out += ",";
    Key(out, "not_after");
    Time(out, data.certificate->not_after);
    out += ",";
    Key(out, "error");
    if (data.certificate->error.empty()) {
      out += "null";
    } else {
      String(out, data.certificate->error);
    }
    out += "}";
  }
  out += ",\"config\":{";
  for (size_t i = 0; i < data.config.size(); ++i) {
    if (i) out += ",";
    Key(out, data.config[i].first);
    String(out, data.config[i].second);
  }
  out += "}}\n";
  return out;
}

}  // namespace groupcached
