// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/toml_reader.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <sstream>
#include <utility>

#include "daemon/config.h"
#include "daemon/config_env.h"

namespace groupcached::internal {

using groupcache::Result;

std::string Quote(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string TypeName(const TomlValue& v) {
  switch (v.type()) {
    case toml::value_t::boolean:
      return "a boolean";
    case toml::value_t::integer:
      return "an integer";
    case toml::value_t::floating:
      return "a float";
    case toml::value_t::string:
      return "a string";
    case toml::value_t::array:
      return "an array";
    case toml::value_t::table:
      return "a table";
    case toml::value_t::empty:
      return "nothing";
    default:
      return "a date or time";
  }
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Turns toml11's multi-line message into one clause: "[error] toml::parse_x:
// missing value ... \n ... ^--- expected value" -> "missing value ...
// (expected value)".
std::string SyntaxMessage(const std::string& what) {
  std::istringstream lines(what);
  std::string first;
  std::getline(lines, first);
  if (first.starts_with("[error] ")) first.erase(0, 8);
  if (first.starts_with("toml::")) {
    if (const size_t colon = first.find(": "); colon != std::string::npos) first.erase(0, colon + 2);
  }
  std::string hint;
  for (std::string line; std::getline(lines, line);) {
    if (const size_t dash = line.find("--- "); dash != std::string::npos) hint = line.substr(dash + 4);
  }
  if (!hint.empty()) first += " (" + hint + ")";
  return first;
}

std::string BytesText(int64_t n) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int unit = 0;
  while (unit < 6 && n != 0 && n % 1024 == 0) {
    n /= 1024;
    ++unit;
  }
  return std::to_string(n) + kUnits[unit];
}

namespace {

// toml11 reads an integer written beyond 64 bits as INT64_MAX or INT64_MIN
// without a word (its istream extraction clamps). Returns the text of such a
// value as written, or "" when the value is what the file says.
std::string OverflowedIntegerText(const TomlValue& v) {
  const int64_t n = v.as_integer();
  if (n != std::numeric_limits<int64_t>::max() && n != std::numeric_limits<int64_t>::min()) return "";
  const toml::source_location where = v.location();
  if (where.column() == 0 || where.column() - 1 >= where.line_str().size()) return "";
  const std::string text = where.line_str().substr(where.column() - 1, where.region());
  std::string digits;
  for (char c : text) {
    if (c != '_') digits += c;
  }
  std::string_view body = digits;
  if (body.starts_with('+')) body.remove_prefix(1);
  int base = 10;
  if (body.starts_with("0x")) {
    base = 16;
  } else if (body.starts_with("0o")) {
    base = 8;
  } else if (body.starts_with("0b")) {
    base = 2;
  }
  if (base != 10) body.remove_prefix(2);
  int64_t parsed = 0;
  const auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), parsed, base);
  return ec == std::errc::result_out_of_range ? text : "";
}

}  // namespace

std::string TomlReader::Errors() const {
  std::vector<std::pair<uint32_t, std::string>> sorted = errors_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string message;
  for (const auto& [line, text] : sorted) {
    if (!message.empty()) message += '\n';
    message += text;
  }
  if (more_errors_ > 0) {
    message += "\n" + name_ + ": and " + std::to_string(more_errors_) + " more problems";
  }
  return message;
}

void TomlReader::Error(const TomlValue* at, std::string_view key, const std::string& message) {
  if (errors_.size() >= kMaxErrors) {
    ++more_errors_;
    return;
  }
  const uint32_t line = at != nullptr ? at->location().line() : 0;
  std::string text = name_ + ":";
  if (line != 0) text += std::to_string(line) + ":";
  text += " " + std::string(key) + ": " + message;
  errors_.emplace_back(line, std::move(text));
}

std::string TomlReader::Join(std::string_view prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : std::string(prefix) + "." + std::string(key);
}

const TomlValue* TomlReader::Find(const TomlValue& table, std::string_view key) {
  const auto& t = table.as_table();
  auto it = t.find(std::string(key));
  return it == t.end() ? nullptr : &it->second;
}

void TomlReader::CheckKeys(const TomlValue& table, std::string_view prefix,
                           std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : table.as_table()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string message = "unknown key";
    for (std::string_view candidate : allowed) {
      if (EditDistance(key, candidate) <= 2) {
        message += " (did you mean " + Quote(candidate) + "?)";
        break;
      }
    }
    Error(&value, Join(prefix, key), message);
  }
}

const TomlValue* TomlReader::Section(const TomlValue& parent, std::string_view prefix, std::string_view key,
                                     bool required, std::string_view missing_hint) {
  const TomlValue* v = Find(parent, key);
  if (v == nullptr) {
    if (required) {
      Error(prefix.empty() ? nullptr : &parent, Join(prefix, key),
            "required section is missing" + std::string(missing_hint));
    }
    return nullptr;
  }
  if (!v->is_table()) {
    Error(v, Join(prefix, key), "expected a table, got " + TypeName(*v));
    return nullptr;
  }
  return v;
}

const TomlValue* TomlReader::Typed(const TomlValue& table, std::string_view prefix, std::string_view key,
                                   toml::value_t type, bool required, std::string_view expected) {
  const TomlValue* v = Find(table, key);
  if (v == nullptr) {
    if (required) Error(&table, Join(prefix, key), "required key is missing");
    return nullptr;
  }
  if (v->type() != type) {
    Error(v, Join(prefix, key), "expected " + std::string(expected) + ", got " + TypeName(*v));
    return nullptr;
  }
  return v;
}

std::optional<std::string> TomlReader::String(const TomlValue& table, std::string_view prefix,
                                              std::string_view key, bool required, Expand expand) {
  const TomlValue* v = Typed(table, prefix, key, toml::value_t::string, required, "a string");
  if (v == nullptr) return std::nullopt;
  if (expand == Expand::kNo) return v->as_string().str;
  return Expanded(*v, Join(prefix, key));
}

std::optional<std::string> TomlReader::Expanded(const TomlValue& v, std::string_view key) {
  Result<std::string> expanded = ExpandVariables(v.as_string().str, env_);
  if (!expanded.ok()) {
    Error(&v, key, expanded.status().message());
    return std::nullopt;
  }
  return std::move(expanded).value();
}

std::optional<bool> TomlReader::Bool(const TomlValue& table, std::string_view prefix, std::string_view key) {
  const TomlValue* v = Typed(table, prefix, key, toml::value_t::boolean, false, "true or false");
  if (v == nullptr) return std::nullopt;
  return v->as_boolean();
}

std::optional<int64_t> TomlReader::Integer(const TomlValue& table, std::string_view prefix,
                                           std::string_view key, int64_t min, int64_t max) {
  const TomlValue* v = Typed(table, prefix, key, toml::value_t::integer, false, "an integer");
  if (v == nullptr) return std::nullopt;
  const int64_t n = v->as_integer();
  const std::string overflowed = OverflowedIntegerText(*v);
  if (!overflowed.empty() || n < min || n > max) {
    Error(v, Join(prefix, key),
          (overflowed.empty() ? std::to_string(n) : overflowed) + " is out of range (" + std::to_string(min) +
              " to " + std::to_string(max) + ")");
    return std::nullopt;
  }
  return n;
}

std::optional<int64_t> TomlReader::Size(const TomlValue& table, std::string_view prefix, std::string_view key,
                                        bool required, int64_t min, int64_t max) {
  const TomlValue* v = Find(table, key);
  if (v == nullptr) {
    if (required) Error(&table, Join(prefix, key), "required key is missing");
    return std::nullopt;
  }
  const std::string at_most = " (at most " + BytesText(max) + ")";
  int64_t n = 0;
  if (v->is_integer()) {
    if (std::string overflowed = OverflowedIntegerText(*v); !overflowed.empty()) {
      Error(v, Join(prefix, key), overflowed + " is out of range" + at_most);
      return std::nullopt;
    }
    n = v->as_integer();
  } else if (v->is_string()) {
    std::optional<std::string> text = Expanded(*v, Join(prefix, key));
    if (!text) return std::nullopt;
    Result<int64_t> parsed = ParseSize(*text);
    if (!parsed.ok()) {
      Error(v, Join(prefix, key), parsed.status().message());
      return std::nullopt;
    }
    n = *parsed;
  } else {
    Error(v, Join(prefix, key), "expected a size such as 4096 or \"64MiB\", got " + TypeName(*v));
    return std::nullopt;
  }
  if (n < min) {
    Error(v, Join(prefix, key), "must be at least " + std::to_string(min) + " bytes");
    return std::nullopt;
  }
  if (n > max) {
    Error(v, Join(prefix, key),
          (v->is_integer() ? std::to_string(n) : Quote(v->as_string().str)) + " is out of range" + at_most);
    return std::nullopt;
  }
  return n;
}

std::optional<std::chrono::milliseconds> TomlReader::Duration(const TomlValue& table, std::string_view prefix,
                                                              std::string_view key, bool allow_zero) {
  const TomlValue* v = Find(table, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    Error(v, Join(prefix, key),
          "expected a duration string such as \"10s\" or \"500ms\", got " + TypeName(*v));
    return std::nullopt;
  }
  std::optional<std::string> text = Expanded(*v, Join(prefix, key));
  if (!text) return std::nullopt;
  Result<std::chrono::milliseconds> parsed = ParseDuration(*text);
  if (!parsed.ok()) {
    Error(v, Join(prefix, key), parsed.status().message());
    return std::nullopt;
  }
  if (parsed->count() <= 0 && !allow_zero) {
    Error(v, Join(prefix, key), "must be longer than 0ms");
    return std::nullopt;
  }
  return *parsed;
}

std::optional<std::string> TomlReader::Path(const TomlValue& table, std::string_view prefix,
                                            std::string_view key, bool required) {
  std::optional<std::string> path = String(table, prefix, key, required);
  if (!path) return std::nullopt;
  if (path->empty()) {
    if (required) Error(Find(table, key), Join(prefix, key), "must not be empty");
    return path;
  }
  if (path->front() != '/' && !base_dir_.empty()) return base_dir_ + "/" + *path;
  return path;
}

}  // namespace groupcached::internal
