// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/status_page.h"

#include <time.h>

#include <cinttypes>
#include <cstdio>
#include <string_view>

namespace groupcached {
namespace {

using groupcache::CacheStats;
using groupcache::Stats;

// The Stats fields, under Go's names, in the order of the Stats struct.
struct StatsField {
  const char* name;
  int64_t Stats::*field;
};
constexpr StatsField kStatsFields[] = {
    {"gets", &Stats::gets},
    {"cache_hits", &Stats::cache_hits},
    {"peer_loads", &Stats::peer_loads},
    {"peer_errors", &Stats::peer_errors},
    {"loads", &Stats::loads},
    {"loads_deduped", &Stats::loads_deduped},
    {"local_loads", &Stats::local_loads},
    {"local_load_errs", &Stats::local_load_errs},
    {"server_requests", &Stats::server_requests},
};

std::string Rfc3339(SystemTime time) {
  const time_t seconds = std::chrono::system_clock::to_time_t(time);
  tm utc{};
  if (gmtime_r(&seconds, &utc) == nullptr) return "?";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// "1.5 MiB": for people; the JSON has the exact numbers.
std::string HumanBytes(int64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

std::string Percent(int64_t part, int64_t whole) {
  if (whole <= 0) return "-";
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return text;
}

// "in 12 days" / "expired 3 days ago", from `now`.
std::string DaysLeft(SystemTime not_after, SystemTime now) {
  const auto hours = std::chrono::duration_cast<std::chrono::hours>(not_after - now).count();
  if (hours < 0) return "EXPIRED " + std::to_string(-hours / 24) + " days ago";
  return std::to_string(hours / 24) + " days left";
}

std::string MemberState(const StatusMember& member) {
  if (member.self) return "self";
  return member.ejected ? "ejected" : "healthy";
}

// Appends <tr><th>label</th><td>value</td></tr>, escaped.
void Row(std::string& out, std::string_view label, std::string_view value) {
  out += "<tr><th>" + HtmlEscape(label) + "</th><td>" + HtmlEscape(value) + "</td></tr>\n";
}

void Cells(std::string& out, std::initializer_list<std::string> cells, std::string_view tag = "td") {
  out += "<tr>";
  for (const std::string& cell : cells) {
    out.append("<").append(tag).append(">").append(HtmlEscape(cell)).append("</").append(tag).append(">");
  }
  out += "</tr>\n";
}

constexpr std::string_view kStyle =
    "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}"
    "h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;font-size:.9em}"
    "th{background:#f3f3f3;white-space:nowrap}td.num{text-align:right;white-space:nowrap}"
    ".healthy{color:#176b2c}.ejected{color:#b00020;font-weight:bold}.self{color:#555}";

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderStatusHtml(const StatusData& data) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>groupcached status: " +
      HtmlEscape(data.self) + "</title>\n<style>" + std::string(kStyle) + "</style></head>\n<body>\n";
  out += "<h1>groupcached " + HtmlEscape(data.self) + "</h1>\n<table id=\"node\">\n";
  Row(out, "version", data.build.version);
  Row(out, "commit", data.build.commit);
  Row(out, "build", data.build.build_type + ", " + data.build.compiler);
  Row(out, "self", data.self);
  Row(out, "client API", data.api_address);
  Row(out, "peer listener", data.peer_address);
  Row(out, "ready", data.ready ? "yes" : "no (starting or draining)");
  Row(out, "started", Rfc3339(data.started));
  Row(out, "now", Rfc3339(data.now));
  if (!data.certificate) {
    Row(out, "certificate", "none: TLS is off (insecure_plaintext)");
  } else if (data.certificate->not_after) {
    Row(out, "certificate",
        data.certificate->file + ": not after " + Rfc3339(*data.certificate->not_after) + " (" +
            DaysLeft(*data.certificate->not_after, data.now) + ")");
  } else {
    Row(out, "certificate", data.certificate->file + ": " + data.certificate->error);
  }
  out += "</table>\n";

  out += "<h2>Ring (" + std::to_string(data.members.size()) + " members, fingerprint " +
         HtmlEscape(data.fingerprint) + ")</h2>\n<table id=\"ring\">\n";
  Cells(out,
        {"member", "state", "failures in a row", "ejections", "last error", "last error at", "ejected until"},
        "th");
  for (const StatusMember& m : data.members) {
    const std::string state = MemberState(m);
    out += "<tr class=\"" + state + "\"><td>" + HtmlEscape(m.url) + "</td><td class=\"" + state + "\">" +
           state + "</td><td class=\"num\">" + std::to_string(m.consecutive_failures) +
           "</td><td class=\"num\">" + std::to_string(m.ejections) + "</td><td>" +
           HtmlEscape(m.last_error.empty() ? "-" : m.last_error) + "</td><td>" +
           (m.last_error_at ? Rfc3339(*m.last_error_at) : "-") + "</td><td>" +
           (m.ejected_until ? Rfc3339(*m.ejected_until) : "-") + "</td></tr>\n";
  }
  out += "</table>\n";

  out += "<h2>Groups: cache fill</h2>\n<table id=\"groups\">\n";
  Cells(out, {"group", "budget", "main bytes", "main items", "hot bytes", "hot items", "fill"}, "th");
  for (const StatusGroup& g : data.groups) {
    out += "<tr><td>" + HtmlEscape(g.name) + "</td>";
    for (const std::string& cell :
         {HumanBytes(g.cache_bytes), HumanBytes(g.main.bytes), std::to_string(g.main.items),
          HumanBytes(g.hot.bytes), std::to_string(g.hot.items),
          Percent(g.main.bytes + g.hot.bytes, g.cache_bytes)}) {
      out += "<td class=\"num\">" + cell + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</table>\n<h2>Groups: counters</h2>\n<table id=\"counters\">\n<tr><th>group</th>";
  for (const StatsField& f : kStatsFields) out += "<th>" + std::string(f.name) + "</th>";
  out += "</tr>\n";
  for (const StatusGroup& g : data.groups) {
    out += "<tr><td>" + HtmlEscape(g.name) + "</td>";
    for (const StatsField& f : kStatsFields)
      out += "<td class=\"num\">" + std::to_string(g.stats.*f.field) + "</td>";
    out += "</tr>\n";
  }
  out += "</table>\n";
  out += "<h2>Configuration</h2>\n<table id=\"config\">\n";
  for (const auto& [key, value] : data.config) Row(out, key, value);
  out +=
      "</table>\n<p>The same as JSON: <a href=\"/status.json\">/status.json</a>. Metrics: "
      "<a href=\"/metrics\">/metrics</a>.</p>\n</body></html>\n";
  return out;
}

}  // namespace groupcached
