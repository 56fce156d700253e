// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
//
// Why not spdlog: every line here is built by this file anyway (the escaping
// is the point: a key or an error text must not be able to forge a line or a
// field), and spdlog's file sink opens its file by name with fopen, which
// follows symlinks and takes its mode from the umask. The log file must be
// opened with O_NOFOLLOW and checked to be 0600 on the same descriptor, so the
// sink is a plain file descriptor and one write(2) per line (log_file.h).
#include "daemon/log.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <utility>

#include "daemon/log_file.h"

namespace groupcached {

using groupcache::Result;
using groupcache::Status;

namespace {

constexpr size_t kRandomSecretBytes = 32;

// Appends `c` as \xNN.
void AppendHexEscape(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\x";
  out += kHex[c >> 4];
  out += kHex[c & 0xf];
}

// Length of the well-formed UTF-8 sequence at text[i], or 0 if it is not one.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t j) { return static_cast<unsigned char>(text[j]); };
  const unsigned char c = byte(i);
  size_t n = 0;
  uint32_t min = 0;
  uint32_t cp = 0;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2, min = 0x80, cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3, min = 0x800, cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4, min = 0x10000, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (size_t j = 1; j < n; ++j) {
    if ((byte(i + j) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + j) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

// Text-format escaping: the result has no control characters, no invalid
// UTF-8 and, inside quotes, no unescaped quote, so one field can neither end
// the line nor pretend to be another field.
std::string TextEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      if (size_t n = Utf8SequenceLength(text, i); n != 0) {
        out.append(text.substr(i, n));
        i += n;
      } else {
        AppendHexEscape(out, c);
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          AppendHexEscape(out, c);
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  return out;
}

// Whether a text-format value must be quoted to stay one token.
bool NeedsQuotes(std::string_view value) {
  if (value.empty()) return true;
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == '"' || c == '=' || c == '\\' || c >= 0x7f) return true;
  }
  return false;
}

// Field names come from code, but are still reduced to [A-Za-z0-9_.-].
std::string SafeName(std::string_view name) {
  std::string out(name);
  if (out.empty()) out = "_";
  for (char& c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '.' || c == '-';
    if (!ok) c = '_';
  }
  return out;
}

// The fixed members of a line, which a field of that name cannot replace.
bool IsReserved(std::string_view name) { return name == "ts" || name == "level" || name == "msg"; }

// "2026-11-22T16:00:00.123Z"
std::string Timestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const time_t seconds = static_cast<time_t>(ms / 1000);
  struct tm utc;
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms % 1000));
  return buffer;
}

}  // namespace

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      if (size_t n = Utf8SequenceLength(text, i); n != 0) {
        out.append(text.substr(i, n));
        i += n;
      } else {
        out += "\\ufffd";  // JSON strings must be valid UTF-8
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out += buffer;
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  return out;
}

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

Result<LogLevel> ParseLogLevel(std::string_view name) {
  if (name == "debug") return LogLevel::kDebug;
  if (name == "info") return LogLevel::kInfo;
  if (name == "warn") return LogLevel::kWarn;
  if (name == "error") return LogLevel::kError;
  return Status::InvalidArgument("\"" + TextEscape(name) +
                                 "\" is not a log level (use debug, info, warn or error)");
}

Result<std::unique_ptr<Logger>> Logger::Create(const LogOptions& options) {
  std::unique_ptr<LogFile> sink;
  if (options.file.empty()) {
    sink = LogFile::Stderr();
  } else {
    Result<std::unique_ptr<LogFile>> file = LogFile::Open(options.file);
    if (!file.ok()) return file.status();
    sink = std::move(file).value();
  }
  LogOptions resolved = options;
  if (resolved.key_hash_secret.empty()) {
    std::string secret(kRandomSecretBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()), static_cast<int>(secret.size())) != 1) {
      return Status::Internal("generating the key hash secret: OpenSSL RAND_bytes failed");
    }
    resolved.key_hash_secret = std::move(secret);
  }
  return std::unique_ptr<Logger>(new Logger(std::move(resolved), std::move(sink)));
}

Logger::Logger(LogOptions options, std::unique_ptr<LogFile> sink)
    : level_(options.level),
      json_(options.json),
      reveal_keys_(options.reveal_keys),
      secret_(std::move(options.key_hash_secret)),
      sink_(std::move(sink)) {}

Logger::~Logger() = default;

void Logger::Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (!enabled(level)) return;
  std::string line;
  line.reserve(64 + message.size());
  try {
    if (json_) {
      line += "{\"ts\":\"";
      line += Timestamp();
      line += "\",\"level\":\"";
      line += LogLevelName(level);
      line += "\",\"msg\":\"";
      line += JsonEscape(message);
      line += '"';
      for (const LogField& field : fields) {
        const std::string name = SafeName(field.name);
        // The fixed members cannot be overwritten by a field of that name.
        line += ",\"";
        if (IsReserved(name)) line += "field.";
        line += name;
        if (field.is_number) {
          line += "\":";
          line += field.value;  // std::to_string of an integer: a JSON number
        } else {
          line += "\":\"";
          line += JsonEscape(field.value);
          line += '"';
        }
      }
      line += "}\n";
    } else {
      // logfmt: ts=... level=... msg="..." name=value ...
      line += "ts=";
      line += Timestamp();
      line += " level=";
      line += LogLevelName(level);
      line += " msg=\"";
      line += TextEscape(message);
      line += '"';
      for (const LogField& field : fields) {
        const std::string name = SafeName(field.name);
        line += ' ';
        if (IsReserved(name)) line += "field.";
        line += name;
        line += '=';
        if (NeedsQuotes(field.value)) {
          line += '"';
          line += TextEscape(field.value);
          line += '"';
        } else {
          line += field.value;
        }
      }
      line += '\n';
    }
  } catch (...) {
    return;  // out of memory: drop the line rather than throw into the caller
  }
  sink_->Write(line);
}

std::string Logger::KeyRef(std::string_view key) const {
  if (reveal_keys_) return std::string(key);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
           reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest, &digest_size) == nullptr) {
    return "k:?";  // never fall back to the key itself
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "k:";
  for (unsigned int i = 0; i < 8 && i < digest_size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

void Logger::Flush() { sink_->Sync(); }

Status Logger::Reopen() { return sink_->Reopen(); }

}  // namespace groupcached
