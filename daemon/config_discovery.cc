// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// [discovery]: where the peer list comes from (node.peers, or DNS).
#include "daemon/config_discovery.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <string>

#include "daemon/config_peers.h"

namespace groupcached::internal {

using groupcache::Status;

namespace {

constexpr size_t kMaxDnsName = 253;
constexpr size_t kMaxDnsLabel = 63;

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

Status CheckDnsName(std::string_view name) {
  std::string_view body = name;
  if (body.ends_with('.')) body.remove_suffix(1);
  if (body.empty()) return Status::InvalidArgument("is empty");
  if (body.size() > kMaxDnsName) return Status::InvalidArgument("is longer than 253 characters");
  size_t start = 0;
  while (start <= body.size()) {
    const size_t dot = std::min(body.find('.', start), body.size());
    const std::string_view label = body.substr(start, dot - start);
    if (label.empty()) return Status::InvalidArgument("has an empty label (two dots, or a leading dot)");
    if (label.size() > kMaxDnsLabel) return Status::InvalidArgument("has a label longer than 63 characters");
    for (char c : label) {
      if (!IsLabelChar(c)) {
        return Status::InvalidArgument(
            "has a character that cannot be in a DNS name (use letters, digits, "
            "'-', '_' and '.')");
      }
    }
    start = dot + 1;
  }
  return Status::Ok();
}

Status CheckDnsServer(std::string_view server) {
  const std::string hint =
      " (a DNS server is \"host:port\" with an IP address: \"10.0.0.10:53\", \"[fd00::a]:53\")";
  std::string_view host;
  std::string_view port;
  if (server.starts_with('[')) {
    const size_t close = server.find(']');
    if (close == std::string_view::npos) return Status::InvalidArgument("has an unclosed '['" + hint);
    host = server.substr(1, close - 1);
    if (close + 1 >= server.size() || server[close + 1] != ':')
      return Status::InvalidArgument("has no port" + hint);
    port = server.substr(close + 2);
    if (host.find(':') == std::string_view::npos) {
      return Status::InvalidArgument("has brackets around something that is not an IPv6 address" + hint);
    }
  } else {
    const size_t colon = server.rfind(':');
    if (colon == std::string_view::npos) return Status::InvalidArgument("has no port" + hint);
    host = server.substr(0, colon);
    port = server.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return Status::InvalidArgument("must put an IPv6 address in brackets" + hint);
    }
  }
  // Strictly numeric: inet_aton's "127.1" would be accepted by
  // CanonicalAddress, but a resolver configuration does not take it.
  const bool dotted_quad = !host.empty() && host.find_first_not_of("0123456789.") == std::string_view::npos &&
                           std::count(host.begin(), host.end(), '.') == 3;
  const bool ipv6 = host.find(':') != std::string_view::npos;
  if ((!dotted_quad && !ipv6) || CanonicalAddress(host).empty()) {
    return Status::InvalidArgument("must name the server by its IP address, not a host name" + hint);
  }
  unsigned number = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (port.empty() || port.size() > 5 || ec != std::errc() || end != port.data() + port.size() ||
      number == 0 || number > 65535) {
    return Status::InvalidArgument("has an invalid port (1 to 65535)" + hint);
  }
  return Status::Ok();
}

void ParseDiscovery(TomlReader& reader, const TomlValue& root, const std::optional<PeerEndpoint>& self,
                    NodeConfig& node, DiscoveryConfig& discovery) {
  const TomlValue* section = reader.Section(root, "", "discovery", false);
  if (section == nullptr) return;
  reader.CheckKeys(*section, "discovery", {"type", "name", "record", "port", "interval", "servers"});
  const std::optional<std::string> type = reader.String(*section, "discovery", "type", false);
  if (type && *type != "static" && *type != "dns") {
    reader.Error(TomlReader::Find(*section, "type"), "discovery.type",
                 Quote(*type) + " is not a discovery type (use \"static\" for node.peers, or \"dns\")");
    return;
  }
  if (!type || *type == "static") {
    // Keys that static discovery would silently ignore.
    for (std::string_view key : {"name", "record", "port", "interval", "servers"}) {
      if (const TomlValue* v = TomlReader::Find(*section, key)) {
        reader.Error(v, TomlReader::Join("discovery", key),
                     "is only for type = \"dns\" (with type = \"static\" the peers are node.peers)");
      }
    }
    return;
  }

  discovery.type = DiscoveryConfig::Type::kDns;
  if (std::optional<std::string> name = reader.String(*section, "discovery", "name", true)) {
    if (Status checked = CheckDnsName(*name); !checked.ok()) {
      reader.Error(TomlReader::Find(*section, "name"), "discovery.name",
                   Quote(*name) + " " + checked.message());
    } else {
      discovery.name = *name;
    }
  }
  if (std::optional<std::string> record = reader.String(*section, "discovery", "record", false)) {
    if (*record == "A") {
      discovery.record = DiscoveryConfig::Record::kAddress;
    } else if (*record == "SRV") {
      discovery.record = DiscoveryConfig::Record::kSrv;
    } else {
      reader.Error(TomlReader::Find(*section, "record"), "discovery.record",
                   Quote(*record) +
                       " is not a record type (use \"A\", which looks up A and AAAA records, or "
                       "\"SRV\")");
    }
  }
  const TomlValue* port = TomlReader::Find(*section, "port");
  if (discovery.record == DiscoveryConfig::Record::kSrv) {
    if (port != nullptr) {
      reader.Error(port, "discovery.port",
                   "must not be set with record = \"SRV\" (the ports come from the SRV records)");
    }
  } else if (port != nullptr) {
    if (auto n = reader.Integer(*section, "discovery", "port", 1, 65535)) {
      discovery.port = static_cast<uint16_t>(*n);
    }
  } else {
    discovery.port = self ? self->port : 0;
  }
  if (auto interval = reader.Duration(*section, "discovery", "interval")) discovery.interval = *interval;

  if (const TomlValue* servers = reader.Typed(*section, "discovery", "servers", toml::value_t::array, false,
                                              "an array of \"host:port\" strings")) {
    const auto& array = servers->as_array();
    for (size_t i = 0; i < array.size(); ++i) {
      const std::string key = "discovery.servers[" + std::to_string(i) + "]";
      if (!array[i].is_string()) {
        reader.Error(&array[i], key, "expected a \"host:port\" string, got " + TypeName(array[i]));
        continue;
      }
      std::optional<std::string> server = reader.Expanded(array[i], key);
      if (!server) continue;
      if (Status checked = CheckDnsServer(*server); !checked.ok()) {
        reader.Error(&array[i], key, Quote(*server) + " " + checked.message());
        continue;
      }
      discovery.servers.push_back(*server);
    }
  }

  const TomlValue* node_table = TomlReader::Find(root, "node");
  if (node_table == nullptr || !node_table->is_table()) return;  // reported with [node]
  if (const TomlValue* peers = TomlReader::Find(*node_table, "peers")) {
    reader.Error(peers, "node.peers",
                 "must not be set with discovery.type = \"dns\": the peers come from DNS (remove "
                 "node.peers, or use type = \"static\")");
  }
  node.peers.clear();

  // This node's URL, as the others build it from its address record, must
  // be node.self exactly: another spelling would put it in the ring twice.
  if (!self || discovery.record != DiscoveryConfig::Record::kAddress || discovery.port == 0) return;
  PeerEndpoint as_peers_see_it = *self;
  as_peers_see_it.port = discovery.port;
  const std::string expected = as_peers_see_it.ToString();
  if (self->numeric && expected == node.self) return;
  std::string message = "with discovery.record = \"A\" the peers know this node by its IP address and " +
                        std::string(port != nullptr ? "discovery.port" : "port") + ", so node.self must be ";
  if (self->numeric) {
    message += Quote(expected) + " exactly";
  } else {
    message += "its IP address, e.g. \"" + self->scheme + "://${POD_IP}:" + std::to_string(discovery.port) +
               "\" (or use record = \"SRV\", whose records name hosts)";
  }
  reader.Error(TomlReader::Find(*node_table, "self"), "node.self", message);
}

}  // namespace groupcached::internal
