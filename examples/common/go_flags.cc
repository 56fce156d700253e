// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "go_flags.h"

#include <cstdio>
#include <cstdlib>
#include <limits>

namespace groupcache::examples {
namespace {

constexpr char kParseError[] = "parse error";
constexpr char kRangeError[] = "value out of range";

char Lower(char c) { return static_cast<char>(c | ('x' - 'X')); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Go's strconv.underscoreOK: '_' may only separate digits, or a base prefix
// from a digit.
bool UnderscoreOk(std::string_view s) {
  char saw = '^';  // '^' start, '0' digit or prefix, '_' underscore, '!' other
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' && (Lower(s[1]) == 'b' || Lower(s[1]) == 'o' || Lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = Lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    if (IsDigit(s[i]) || (hex && Lower(s[i]) >= 'a' && Lower(s[i]) <= 'f')) {
      saw = '0';
      continue;
    }
    if (s[i] == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

// Go's strconv.Quote for the ASCII cases that matter in error messages; other
// bytes are copied as they are.
std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
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
      case '\v':
        out += "\\v";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// Go's time.leadingInt: consumes [0-9]* from s. False on overflow.
bool LeadingInt(std::string_view& s, uint64_t* x) {
  constexpr uint64_t kLimit = uint64_t{1} << 63;
  size_t i = 0;
  *x = 0;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    if (*x > kLimit / 10) return false;
    *x = *x * 10 + static_cast<uint64_t>(s[i] - '0');
    if (*x > kLimit) return false;
  }
  s.remove_prefix(i);
  return true;
}

// Go's time.leadingFraction: consumes [0-9]* as the digits after a decimal
// point; digits beyond int64 precision are dropped, not an error.
void LeadingFraction(std::string_view& s, uint64_t* x, double* scale) {
  size_t i = 0;
  bool overflow = false;
  *x = 0;
  *scale = 1;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    if (overflow) continue;
    if (*x > (std::numeric_limits<int64_t>::max()) / 10) {
      overflow = true;
      continue;
    }
    uint64_t y = *x * 10 + static_cast<uint64_t>(s[i] - '0');
    if (y > uint64_t{1} << 63) {
      overflow = true;
      continue;
    }
    *x = y;
    *scale *= 10;
  }
  s.remove_prefix(i);
}

uint64_t UnitNanos(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") return 1000;  // U+00B5, U+03BC
  if (unit == "ms") return 1000 * 1000;
  if (unit == "s") return 1000 * 1000 * 1000;
  if (unit == "m") return uint64_t{60} * 1000 * 1000 * 1000;
  if (unit == "h") return uint64_t{3600} * 1000 * 1000 * 1000;
  return 0;
}

// Go's time.fmtFrac: writes the fraction of v / 10^prec backwards into
// buf[..w), omitting trailing zeros (and the point when it is all zeros).
size_t FmtFrac(char* buf, size_t w, uint64_t* v, int prec) {
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    uint64_t digit = *v % 10;
    print = print || digit != 0;
    if (print) buf[--w] = static_cast<char>('0' + digit);
    *v /= 10;
  }
  if (print) buf[--w] = '.';
  return w;
}

size_t FmtInt(char* buf, size_t w, uint64_t v) {
  if (v == 0) {
    buf[--w] = '0';
    return w;
  }
  for (; v > 0; v /= 10) buf[--w] = static_cast<char>('0' + v % 10);
  return w;
}

}  // namespace

std::string ParseGoInt(std::string_view s, int64_t* out) {
  // strconv.ParseInt(s, 0, 64): the sign, then ParseUint of the rest.
  if (s.empty()) return kParseError;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return kParseError;
  const std::string_view unsigned_text = s;
  uint64_t base = 10;
  if (s[0] == '0') {
    char prefix = s.size() >= 3 ? Lower(s[1]) : 0;
    if (prefix == 'b' || prefix == 'o' || prefix == 'x') {
      base = prefix == 'b' ? 2 : prefix == 'o' ? 8 : 16;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  const uint64_t cutoff = std::numeric_limits<uint64_t>::max() / base + 1;
  bool underscores = false;
  uint64_t n = 0;
  for (char c : s) {
    uint64_t digit;
    if (c == '_') {
      underscores = true;
      continue;
    } else if (IsDigit(c)) {
      digit = static_cast<uint64_t>(c - '0');
    } else if (Lower(c) >= 'a' && Lower(c) <= 'z') {
      digit = static_cast<uint64_t>(Lower(c) - 'a' + 10);
    } else {
      return kParseError;
    }
    if (digit >= base) return kParseError;
    if (n >= cutoff) return kRangeError;
    n *= base;
    uint64_t next = n + digit;
    if (next < n) return kRangeError;
    n = next;
  }
  if (underscores && !UnderscoreOk(unsigned_text)) return kParseError;
  constexpr uint64_t kMagnitudeLimit = uint64_t{1} << 63;
  if ((!negative && n >= kMagnitudeLimit) || (negative && n > kMagnitudeLimit)) return kRangeError;
  *out = negative ? static_cast<int64_t>(0 - n) : static_cast<int64_t>(n);
  return "";
}

bool ParseGoBool(std::string_view s, bool* out) {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") {
    *out = true;
    return true;
  }
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") {
    *out = false;
    return true;
  }
  return false;
}

bool ParseGoDuration(std::string_view s, std::chrono::nanoseconds* out) {
  // [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+, following time.ParseDuration step by step.
  constexpr uint64_t kLimit = uint64_t{1} << 63;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") {
    *out = std::chrono::nanoseconds(0);
    return true;
  }
  if (s.empty()) return false;
  uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || IsDigit(s[0]))) return false;
    size_t before = s.size();
    uint64_t whole;
    if (!LeadingInt(s, &whole)) return false;
    bool pre = before != s.size();
    bool post = false;
    uint64_t fraction = 0;
    double scale = 1;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      before = s.size();
      LeadingFraction(s, &fraction, &scale);
      post = before != s.size();
    }
    if (!pre && !post) return false;
    size_t i = 0;
    while (i < s.size() && s[i] != '.' && !IsDigit(s[i])) ++i;
    if (i == 0) return false;  // missing unit
    uint64_t unit = UnitNanos(s.substr(0, i));
    if (unit == 0) return false;  // unknown unit
    s.remove_prefix(i);
    if (whole > kLimit / unit) return false;
    whole *= unit;
    if (fraction > 0) {
      whole += static_cast<uint64_t>(static_cast<double>(fraction) * (static_cast<double>(unit) / scale));
      if (whole > kLimit) return false;
    }
    total += whole;
    if (total > kLimit) return false;
  }
  if (negative) {
    *out = std::chrono::nanoseconds(static_cast<int64_t>(0 - total));
    return true;
  }
  if (total > kLimit - 1) return false;
  *out = std::chrono::nanoseconds(static_cast<int64_t>(total));
  return true;
}

std::vector<std::string> SplitGo(std::string_view s, char sep) {
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) {
      parts.emplace_back(s.substr(start));
      return parts;
    }
    parts.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
}

std::string FormatGoDuration(std::chrono::nanoseconds d) {
  // time.Duration.format, writing backwards from the end of buf.
  char buf[32];
  size_t w = sizeof buf;
  const bool negative = d.count() < 0;
  uint64_t u = static_cast<uint64_t>(d.count());
  if (negative) u = 0 - u;
  if (u < 1000 * 1000 * 1000) {
    int prec = 0;
    buf[--w] = 's';
    if (u == 0) {
      buf[--w] = '0';
      return std::string(buf + w, sizeof buf - w);
    } else if (u < 1000) {
      prec = 0;
      buf[--w] = 'n';
    } else if (u < 1000 * 1000) {
      prec = 3;
      buf[--w] = '\xb5';  // U+00B5 'µ' is C2 B5 in UTF-8
      buf[--w] = '\xc2';
    } else {
      prec = 6;
      buf[--w] = 'm';
    }
    w = FmtFrac(buf, w, &u, prec);
    w = FmtInt(buf, w, u);
  } else {
    buf[--w] = 's';
    w = FmtFrac(buf, w, &u, 9);
    w = FmtInt(buf, w, u % 60);
    u /= 60;
    if (u > 0) {
      buf[--w] = 'm';
      w = FmtInt(buf, w, u % 60);
      u /= 60;
      if (u > 0) {
        buf[--w] = 'h';
        w = FmtInt(buf, w, u);
      }
    }
  }
  if (negative) buf[--w] = '-';
  return std::string(buf + w, sizeof buf - w);
}

FlagSet::Flag& FlagSet::Define(const std::string& name, Value value, std::string usage) {
  auto [it, inserted] = flags_.try_emplace(name);
  if (!inserted) {
    // A program bug, as in Go (which panics with the same words).
    std::fprintf(stderr, "%s flag redefined: %s\n", program_.c_str(), name.c_str());
    std::abort();
  }
  it->second.usage = std::move(usage);
  it->second.default_text = ValueText(value);
  it->second.value = std::move(value);
  return it->second;
}

std::string FlagSet::ValueText(const Value& value) {
  if (auto* s = std::get_if<std::string>(&value)) return *s;
  if (auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  if (auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  return FormatGoDuration(std::get<std::chrono::nanoseconds>(value));
}

std::string* FlagSet::String(const std::string& name, std::string value, std::string usage) {
  return &std::get<std::string>(Define(name, std::move(value), std::move(usage)).value);
}
int64_t* FlagSet::Int(const std::string& name, int64_t value, std::string usage) {
  return &std::get<int64_t>(Define(name, value, std::move(usage)).value);
}
int64_t* FlagSet::Int64(const std::string& name, int64_t value, std::string usage) {
  return Int(name, value, std::move(usage));
}
bool* FlagSet::Bool(const std::string& name, bool value, std::string usage) {
  return &std::get<bool>(Define(name, value, std::move(usage)).value);
}
std::chrono::nanoseconds* FlagSet::Duration(const std::string& name, std::chrono::nanoseconds value,
                                            std::string usage) {
  return &std::get<std::chrono::nanoseconds>(Define(name, value, std::move(usage)).value);
}

FlagSet::Outcome FlagSet::TryParse(const std::vector<std::string>& args, std::string* error) {
  size_t i = 0;
  while (i < args.size()) {
    const std::string& arg = args[i];
    if (arg.size() < 2 || arg[0] != '-') break;  // the first non-flag argument ("-" included)
    size_t dashes = 1;
    if (arg[1] == '-') {
      dashes = 2;
      if (arg.size() == 2) {  // "--" ends the flags and is consumed
        ++i;
        break;
      }
    }
    std::string name = arg.substr(dashes);
    if (name.empty() || name[0] == '-' || name[0] == '=') {
      *error = "bad flag syntax: " + arg;
      return Outcome::kError;
    }
    ++i;
    bool has_value = false;
    std::string value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_value = true;
    }
    auto it = flags_.find(name);
    if (it == flags_.end()) {
      if (name == "help" || name == "h") return Outcome::kHelp;
      *error = "flag provided but not defined: -" + name;
      return Outcome::kError;
    }
    Value& target = it->second.value;
    if (auto* b = std::get_if<bool>(&target)) {
      // A bool never takes the next word as its value: "-quiet false" is the
      // flag followed by the argument "false", as in Go.
      if (has_value && !ParseGoBool(value, b)) {
        *error = "invalid boolean value " + GoQuote(value) + " for -" + name + ": " + kParseError;
        return Outcome::kError;
      }
      if (!has_value) *b = true;
      continue;
    }
    if (!has_value) {
      if (i == args.size()) {
        *error = "flag needs an argument: -" + name;
        return Outcome::kError;
      }
      value = args[i++];
    }
    std::string problem;
    if (auto* s = std::get_if<std::string>(&target)) {
      *s = value;
    } else if (auto* n = std::get_if<int64_t>(&target)) {
      problem = ParseGoInt(value, n);
    } else if (!ParseGoDuration(value, &std::get<std::chrono::nanoseconds>(target))) {
      problem = kParseError;
    }
    if (!problem.empty()) {
      *error = "invalid value " + GoQuote(value) + " for flag -" + name + ": " + problem;
      return Outcome::kError;
    }
  }
  args_.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return Outcome::kOk;
}

void FlagSet::Parse(int argc, char** argv) {
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  std::string error;
  switch (TryParse(args, &error)) {
    case Outcome::kOk:
      return;
    case Outcome::kHelp:
      std::fputs(Usage().c_str(), stderr);
      std::exit(0);
    case Outcome::kError:
      std::fprintf(stderr, "%s\n%s", error.c_str(), Usage().c_str());
      std::exit(2);
  }
}

std::string FlagSet::Usage() const { return "Usage of " + program_ + ":\n" + Defaults(); }

std::string FlagSet::Defaults() const {
  std::string out;
  for (const auto& [name, flag] : flags_) {
    std::string line = "  -" + name;
    // The value's name: the first `quoted` word of the usage, else the type.
    std::string usage = flag.usage;
    std::string value_name;
    size_t open = usage.find('`');
    size_t close = open == std::string::npos ? open : usage.find('`', open + 1);
    if (close != std::string::npos) {
      value_name = usage.substr(open + 1, close - open - 1);
      usage = usage.substr(0, open) + value_name + usage.substr(close + 1);
    } else if (std::holds_alternative<std::string>(flag.value)) {
      value_name = "string";
    } else if (std::holds_alternative<int64_t>(flag.value)) {
      value_name = "int";
    } else if (std::holds_alternative<std::chrono::nanoseconds>(flag.value)) {
      value_name = "duration";
    }
    if (!value_name.empty()) line += " " + value_name;
    // One-letter bool flags keep their usage on the same line, as Go does.
    line += line.size() <= 4 ? "\t" : "\n    \t";
    for (char c : usage) line += c == '\n' ? std::string("\n    \t") : std::string(1, c);
    const Value& zero = std::holds_alternative<std::string>(flag.value) ? Value(std::string())
                        : std::holds_alternative<int64_t>(flag.value)   ? Value(int64_t{0})
                        : std::holds_alternative<bool>(flag.value)      ? Value(false)
                                                                        : Value(std::chrono::nanoseconds(0));
    if (flag.default_text != ValueText(zero)) {
      line += " (default ";
      line +=
          std::holds_alternative<std::string>(flag.value) ? GoQuote(flag.default_text) : flag.default_text;
      line += ")";
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace groupcache::examples
