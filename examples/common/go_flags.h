// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
// A command-line parser with the semantics of Go's `flag` package, so the
// example programs accept exactly the command lines the Go originals accept.
//
// It is written by hand because the usual C++ parsers read a command line the
// POSIX way: CLI11 (and getopt) take `-addr` as the bundle of short options
// -a -d -d -r, and would reject or misread every Go-style invocation in the
// docs and scripts (`colors -addr 127.0.0.1:8080 -pool http://...`). Go's
// rules are small enough to reproduce exactly:
//   * `-name=value`, `-name value`, `--name=value` and `--name value` are the
//     same; a bool flag takes `-name` or `-name=<bool>` but never
//     `-name <bool>` (the next word would be an argument, as in Go);
//   * parsing stops at the first non-flag argument, at "-" and after "--";
//   * `-h` / `-help` (when not defined) print the usage and exit 0; any error
//     prints the message and the usage and exits 2, as flag.ExitOnError does.
#ifndef GROUPCACHE_EXAMPLES_COMMON_GO_FLAGS_H_
#define GROUPCACHE_EXAMPLES_COMMON_GO_FLAGS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace groupcache::examples {

// Parses `s` as Go's strconv.ParseInt(s, 0, 64): an optional sign, then
// decimal, 0x/0X hex, 0o/0O or leading-0 octal, 0b/0B binary, with '_' between
// digits. Returns "" on success, else Go's flag error text ("parse error" or
// "value out of range").
std::string ParseGoInt(std::string_view s, int64_t* out);
// Parses `s` as Go's strconv.ParseBool (1 t T TRUE true True, 0 f F FALSE
// false False). Returns false for anything else.
bool ParseGoBool(std::string_view s, bool* out);
// Parses `s` as Go's time.ParseDuration ("300ms", "-1.5h", "2h45m", "1us",
// "1µs", "0"). Returns false on a syntax error, an unknown unit or overflow.
bool ParseGoDuration(std::string_view s, std::chrono::nanoseconds* out);
// Splits `s` at every `sep` as Go's strings.Split does: "" gives {""} and
// "a,,b" gives {"a", "", "b"}. The programs split -pool with it.
std::vector<std::string> SplitGo(std::string_view s, char sep);
// Formats `d` as Go's time.Duration.String does: "0s", "1.5s", "1m30s",
// "300µs", "1h0m0s".
std::string FormatGoDuration(std::chrono::nanoseconds d);

// A FlagSet is a set of defined flags and the result of parsing a command line
// against them, like Go's flag.FlagSet. The pointers returned by the
// definition methods stay valid for the FlagSet's lifetime and hold the
// default until Parse sets them. Not thread-safe.
class FlagSet {
 public:
  // `program` is the name shown in "Usage of <program>:" (Go prints os.Args[0]).
  explicit FlagSet(std::string program) : program_(std::move(program)) {}
  FlagSet(const FlagSet&) = delete;
  FlagSet& operator=(const FlagSet&) = delete;

  // Define a flag. `usage` may name the value in back quotes, as in Go
  // ("connect to `host`" shows "-name host"). REQUIRES: name is new.
  std::string* String(const std::string& name, std::string value, std::string usage);
  // Go's int is 64 bits on every platform the programs target, so Int and
  // Int64 differ only in name; both show as "int" in the usage.
  int64_t* Int(const std::string& name, int64_t value, std::string usage);
  int64_t* Int64(const std::string& name, int64_t value, std::string usage);
  bool* Bool(const std::string& name, bool value, std::string usage);
  std::chrono::nanoseconds* Duration(const std::string& name, std::chrono::nanoseconds value,
                                     std::string usage);

  enum class Outcome { kOk, kHelp, kError };
  // Parses `args` (without the program name). On kError, *error holds Go's
  // message, e.g. `invalid value "abc" for flag -size: parse error`. The
  // arguments after the flags are in args() afterwards.
  Outcome TryParse(const std::vector<std::string>& args, std::string* error);
  // Parses argv[1..] and, like Go's flag.Parse with ExitOnError, prints to
  // stderr and exits: 0 after -h/-help, 2 after an error.
  void Parse(int argc, char** argv);

  // "Usage of <program>:\n" followed by PrintDefaults' text.
  std::string Usage() const;
  // One entry per flag in name order, exactly as Go's PrintDefaults.
  std::string Defaults() const;
  // The arguments that remain after the flags.
  const std::vector<std::string>& args() const { return args_; }

 private:
  using Value = std::variant<std::string, int64_t, bool, std::chrono::nanoseconds>;
  struct Flag {
    std::string usage;
    std::string default_text;  // Go's DefValue: the default's String()
    Value value;
  };
  Flag& Define(const std::string& name, Value value, std::string usage);
  static std::string ValueText(const Value& value);

  std::string program_;
  std::map<std::string, Flag, std::less<>> flags_;  // map nodes never move
  std::vector<std::string> args_;
};

}  // namespace groupcache::examples

#endif  // GROUPCACHE_EXAMPLES_COMMON_GO_FLAGS_H_
