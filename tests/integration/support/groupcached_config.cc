// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "groupcached_config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

namespace groupcache::integration {

std::string TomlString(std::string_view text) {
  std::string out = "\"";
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string ConfigToml(const NodeConfig& config) {
  std::string out = "[node]\n";
  out += "self = " + TomlString(config.self) + "\n";
  out += "api_listen = " + TomlString("127.0.0.1:" + std::to_string(config.api_port)) + "\n";
  out += "peer_listen = " + TomlString(config.peer_host + ":" + std::to_string(config.peer_port)) + "\n";
  if (config.discovery_toml.empty()) {
    out += "peers = [";
    const std::vector<std::string> peers = config.peers.empty() ? std::vector{config.self} : config.peers;
    for (size_t i = 0; i < peers.size(); ++i) out += (i ? ", " : "") + TomlString(peers[i]);
    out += "]\n";
  }
  if (!config.drain.empty()) out += "drain = " + TomlString(config.drain) + "\n";
  if (!config.discovery_toml.empty()) out += "\n[discovery]\n" + config.discovery_toml;
  out += "\n[tls]\n";
  if (config.tls) {
    out += "ca = " + TomlString(config.tls->ca) + "\n";
    out += "cert = " + TomlString(config.tls->cert) + "\n";
    out += "key = " + TomlString(config.tls->key) + "\n";
    if (!config.tls_reload_interval.empty()) {
      out += "reload_interval = " + TomlString(config.tls_reload_interval) + "\n";
    }
  } else {
    out += "insecure_plaintext = true\n";
  }
  out += "\n[log]\nlevel = " + TomlString(config.log_level) + "\nformat = " + TomlString(config.log_format) +
         "\n";
  if (!config.log_file.empty()) out += "file = " + TomlString(config.log_file) + "\n";
  if (!config.api_toml.empty()) out += "\n[api]\n" + config.api_toml;
  out += "\n[limits]\n" + config.limits_toml + "\n";
  out += config.groups_toml;
  return out;
}

std::string StaticGroup(std::string_view name, const std::map<std::string, std::string>& values) {
  std::string out = "[[group]]\nname = " + TomlString(name) + "\ncache_bytes = \"16MiB\"\n";
  out += "source = { type = \"static\", values = { ";
  bool first = true;
  for (const auto& [key, value] : values) {
    if (!first) out += ", ";
    first = false;
    out += TomlString(key) + " = " + TomlString(value);
  }
  return out + " } }\n\n";
}

std::string FilesGroup(std::string_view name, const std::filesystem::path& root) {
  return "[[group]]\nname = " + TomlString(name) +
         "\ncache_bytes = \"16MiB\"\nsource = { type = \"files\", root = " + TomlString(root.string()) +
         " }\n\n";
}

std::string HttpGroup(std::string_view name, std::string_view url_template, std::string_view timeout,
                      std::string_view more_source) {
  return "[[group]]\nname = " + TomlString(name) +
         "\ncache_bytes = \"16MiB\"\nsource = { type = \"http\", url = " + TomlString(url_template) +
         ", timeout = " + TomlString(timeout) + std::string(more_source) + " }\n\n";
}

void WriteFileWithMode(const std::filesystem::path& path, std::string_view text, mode_t mode) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + path.string());
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      close(fd);
      throw std::runtime_error("cannot write " + path.string());
    }
    done += static_cast<size_t>(n);
  }
  // fchmod, not the creation mode: the umask must not change what a test asks for.
  if (fchmod(fd, mode) != 0 || close(fd) != 0) throw std::runtime_error("cannot chmod " + path.string());
}

MetricsDoc MetricsDoc::Parse(std::string_view text) {
  MetricsDoc doc;
  doc.text_ = std::string(text);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    // The value follows the last space; a label value may contain spaces
    // (groupcached_build_info{compiler="GNU 12.2.0"}), never a line feed.
    const size_t space = line.rfind(' ');
    if (space == std::string_view::npos) continue;
    try {
      doc.samples_[std::string(line.substr(0, space))] = std::stod(std::string(line.substr(space + 1)));
    } catch (const std::exception&) {
      // Not a sample line; ignore.
    }
  }
  return doc;
}

double MetricsDoc::Get(const std::string& series) const {
  auto it = samples_.find(series);
  return it == samples_.end() ? -1 : it->second;
}

double MetricsDoc::Sum(std::string_view name, const std::vector<std::string>& label_filters) const {
  double sum = 0;
  for (const auto& [series, value] : samples_) {
    const std::string_view s = series;
    if (!s.starts_with(name) || (s.size() > name.size() && s[name.size()] != '{')) continue;
    bool match = true;
    for (const std::string& filter : label_filters) {
      if (s.find(filter) == std::string_view::npos) match = false;
    }
    if (match) sum += value;
  }
  return sum;
}

std::string GroupSeries(std::string_view name, std::string_view group) {
  return std::string(name) + "{group=\"" + std::string(group) + "\"}";
}

}  // namespace groupcache::integration
