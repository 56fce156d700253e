// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#ifndef GROUPCACHED_LOG_H_
#define GROUPCACHED_LOG_H_

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "groupcache/status.h"

namespace groupcached {

class LogFile;

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// Returns "debug", "info", "warn" or "error".
std::string_view LogLevelName(LogLevel level);
// Parses "debug" | "info" | "warn" | "error"; anything else is
// InvalidArgument.
groupcache::Result<LogLevel> ParseLogLevel(std::string_view name);

struct LogOptions {
  LogLevel level = LogLevel::kInfo;
  bool json = false;         // false: logfmt lines, ts=... level=... msg="..." k=v
  std::string file;          // empty: stderr; else appended to, mode 0600
  bool reveal_keys = false;  // true: KeyRef returns the key itself
  // The secret that keys KeyRef's HMAC. Empty: a random per-process secret
  // (hashes then differ between nodes and restarts). Give every node the same
  // secret (log.key_hash_secret_file) to correlate one key across nodes.
  std::string key_hash_secret;
};

// One structured field of a log line. `name` should be a plain identifier
// ([A-Za-z0-9_.]); `value` is escaped on output, so any text is safe here.
// A field made from an integer is a number in JSON lines ("peers":3), not
// a string.
struct LogField {
  LogField(std::string_view field_name, std::string text) : name(field_name), value(std::move(text)) {}
  LogField(std::string_view field_name, const char* text) : name(field_name), value(text) {}
  template <typename T>
  requires std::integral<T> &&(!std::same_as<T, bool>)LogField(std::string_view field_name, T number)
      : name(field_name), value(std::to_string(number)), is_number(true) {}

  std::string_view name;
  std::string value;
  bool is_number = false;
};

// A Logger writes structured, levelled lines to stderr or a file, in text or
// JSON. Neither format lets a field value forge a line: quotes, backslashes
// and control characters are escaped.
// Thread-safety: safe for concurrent use.
class Logger {
 public:
  // Opens the sink: standard error, or options.file as LogFile::Open does
  // (created with mode 0600; a symlink, a non-regular file or one with any
  // group/other permission bit is refused with InvalidArgument naming the
  // file and the fix, "chmod 600 FILE").
  static groupcache::Result<std::unique_ptr<Logger>> Create(const LogOptions& options);
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  // Writes one line when enabled(level). Never throws.
  void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});
  void Debug(std::string_view message, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kDebug, message, fields);
  }
  void Info(std::string_view message, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kInfo, message, fields);
  }
  void Warn(std::string_view message, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kWarn, message, fields);
  }
  void Error(std::string_view message, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kError, message, fields);
  }

  // How a cache key may appear in a log line: "k:" followed by the first 16
  // hex digits of HMAC-SHA256(secret, key), or the key itself when
  // reveal_keys. Values must never be logged at all.
  std::string KeyRef(std::string_view key) const;

  bool enabled(LogLevel level) const { return static_cast<int>(level) >= static_cast<int>(level_); }

  // Each line is written unbuffered with one write(2) (atomic with O_APPEND),
  // so nothing is lost at a crash. Flush additionally fsyncs a log file.
  void Flush();

  // Reopens a log file by its name (LogFile::Reopen), for log rotation; on
  // error the current file stays in use. Writing to stderr: OK, nothing to do.
  groupcache::Status Reopen();

 private:
  Logger(LogOptions options, std::unique_ptr<LogFile> sink);

  LogLevel level_;
  bool json_;
  bool reveal_keys_;
  std::string secret_;
  std::unique_ptr<LogFile> sink_;
};

// Escapes `text` for a JSON string body (without the surrounding quotes).
std::string JsonEscape(std::string_view text);

}  // namespace groupcached

#endif  // GROUPCACHED_LOG_H_
