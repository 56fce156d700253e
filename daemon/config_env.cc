// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/config_env.h"

#include <cstdlib>
#include <optional>
#include <utility>

namespace groupcached {

using groupcache::Result;
using groupcache::Status;

Environment ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    // The config is read on one thread, before (or between) anything that
    // could call setenv; groupcached itself never does.
    const char* value = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe)
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

namespace internal {

namespace {

constexpr const char* kLiteralHint = "write $${ for a literal ${";

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

bool IsName(std::string_view name) {
  if (name.empty() || name.size() > kMaxVariableName || !IsNameStart(name.front())) return false;
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

}  // namespace

Result<std::string> ExpandVariables(std::string_view text, const Environment& env) {
  if (text.find('$') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text.substr(i).starts_with("$${")) {
      out += "${";
      i += 3;
      continue;
    }
    if (!text.substr(i).starts_with("${")) {
      out += text[i++];
      continue;
    }
    const size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      return Status::InvalidArgument("${ is not closed with } (" + std::string(kLiteralHint) + ")");
    }
    const std::string name(text.substr(i + 2, close - i - 2));
    if (!IsName(name)) {
      std::string shown(text.substr(i, std::min<size_t>(close + 1 - i, kMaxVariableName + 3)));
      if (close + 1 - i > shown.size()) shown += "...";
      return Status::InvalidArgument("\"" + shown +
                                     "\" is not a variable reference (a name is letters, digits and _, "
                                     "not starting with a digit; " +
                                     kLiteralHint + ")");
    }
    const std::optional<std::string> value = env ? env(name) : std::nullopt;
    if (!value) return Status::InvalidArgument("${" + name + "} is not set in the environment");
    if (value->empty()) return Status::InvalidArgument("${" + name + "} is empty");
    out += *value;
    i = close + 1;
  }
  return out;
}

}  // namespace internal

}  // namespace groupcached
