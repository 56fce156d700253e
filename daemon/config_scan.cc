// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/config_scan.h"

#include <cstring>

namespace groupcached::internal {

namespace {

// Per comment line that toml11 re-reads above a value, on top of its bytes:
// it allocates a string for each (measured: ~70 bytes' worth of copying).
constexpr uint64_t kCommentLineWork = 64;

bool IsBareKeyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// Characters of numbers, booleans, dates and times, inf and nan.
bool IsScalarChar(char c) { return IsBareKeyChar(c) || c == '+' || c == '.' || c == ':'; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// UTF-8 as toml11 checks it (lex_utf8_code): no overlong forms, surrogates
// or code points beyond U+10FFFF.
bool IsValidUtf8(std::string_view text) {
  const auto in = [](unsigned char c, unsigned char low, unsigned char high) {
    return c >= low && c <= high;
  };
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = [&](size_t k) -> unsigned char {
      return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
    };
    const unsigned char c = byte(0);
    size_t length = 0;
    if (c < 0x80) {
      length = 1;
    } else if (in(c, 0xC2, 0xDF)) {
      length = 2;
    } else if ((c == 0xE0 && in(byte(1), 0xA0, 0xBF)) || (in(c, 0xE1, 0xEC) && in(byte(1), 0x80, 0xBF)) ||
               (c == 0xED && in(byte(1), 0x80, 0x9F)) || (in(c, 0xEE, 0xEF) && in(byte(1), 0x80, 0xBF))) {
      length = 3;
    } else if ((c == 0xF0 && in(byte(1), 0x90, 0xBF)) || (in(c, 0xF1, 0xF3) && in(byte(1), 0x80, 0xBF)) ||
               (c == 0xF4 && in(byte(1), 0x80, 0x8F))) {
      length = 4;
    } else {
      return false;
    }
    for (size_t k = 1; k < length; ++k) {
      if (!in(byte(k), 0x80, 0xBF)) return false;
    }
    i += length;
  }
  return true;
}

// A lenient TOML lexer: on every text toml11 accepts it sees the same
// structure; where it is stuck, toml11 fails too (at that point or before).
// Recursion is bounded by kMaxTomlNesting, checked before each descent.
// One Scanner scans one text once. Not thread-safe.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  TomlScan Run() {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
    MeasureLine();
    if (Document()) {
      result_.outcome = TomlScan::Outcome::kOk;
      result_.line = 0;
      result_.understood = text_.size();
    }
    return result_;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  // Consumes one character, keeping the line count.
  void Advance() {
    const char c = text_[pos_++];
    if (c == '\n') StartLine();
  }
  bool AtNewline() const { return Peek() == '\n' || (Peek() == '\r' && Peek(1) == '\n'); }

  // Called at the start of every line after the first.
  void StartLine() {
    ++line_;
    comment_block_ = line_is_comment_ ? comment_block_ + kCommentLineWork + line_length_ : 0;
    MeasureLine();
  }
  // The length of the line starting at pos_, and whether toml11 would take
  // it for a comment line when it re-reads the comments above a value.
  void MeasureLine() {
    const void* newline = std::memchr(text_.data() + pos_, '\n', text_.size() - pos_);
    const size_t end = newline ? static_cast<const char*>(newline) - text_.data() : text_.size();
    line_length_ = end - pos_;
    // toml11 takes a line for a comment when only blanks precede a '#',
    // even inside a multi-line string.
    size_t first = pos_;
    while (first < end && (text_[first] == ' ' || text_[first] == '\t')) ++first;
    line_is_comment_ = first < end && text_[first] == '#';
  }

  bool Stop(TomlScan::Outcome outcome, std::string message) {
    result_.outcome = outcome;
    result_.line = line_;
    result_.message = std::move(message);
    result_.understood = pos_;
    return false;
  }
  bool NotUnderstood(std::string message) {
    return Stop(TomlScan::Outcome::kNotUnderstood, std::move(message));
  }
  bool Refuse(std::string message) { return Stop(TomlScan::Outcome::kRefused, std::move(message)); }

  // Accounts for one key or value starting on the current line.
  bool Charge(uint64_t extra = 0) {
    work_ += line_length_ + comment_block_ + extra;
    if (work_ <= kMaxTomlParseWork) return true;
    return Refuse(
        "too many keys and values on long lines for the TOML parser (its work grows with the square of "
        "a line's length); put array elements on lines of their own, and use [table] sections instead "
        "of long inline tables");
  }
  bool CheckDepth(int depth) {
    if (depth <= kMaxTomlDepth) return true;
    return Refuse("tables, dotted keys, arrays and inline tables nested deeper than " +
                  std::to_string(kMaxTomlDepth) + " levels");
  }
  bool CheckNesting(int nesting) {
    if (nesting <= kMaxTomlNesting) return true;
    return Refuse("arrays and inline tables nested deeper than " + std::to_string(kMaxTomlNesting) +
                  " levels");
  }

  void SkipBlanks() {
    while (Peek() == ' ' || Peek() == '\t') ++pos_;
  }
  void SkipComment() {
    while (!AtEnd() && Peek() != '\n') ++pos_;
  }
  // Blanks, comments and newlines, as between array elements.
  void SkipBlankLines() {
    for (;;) {
      SkipBlanks();
      if (Peek() == '#') {
        SkipComment();
      } else if (AtNewline()) {
        if (Peek() == '\r') ++pos_;
        Advance();
      } else {
        return;
      }
    }
  }
  // Blanks, a comment, and the end of the line (or of the text).
  bool EndOfLine() {
    SkipBlanks();
    if (Peek() == '#') SkipComment();
    if (AtEnd()) return true;
    if (!AtNewline()) return NotUnderstood("expected the end of the line");
    if (Peek() == '\r') ++pos_;
    Advance();
    return true;
  }

  // The whole document: table headers and key/value lines.
  bool Document() {
    int table_depth = 0;
    while (!AtEnd()) {
      SkipBlanks();
      if (AtEnd()) break;
      if (Peek() == '#') {
        SkipComment();
      } else if (AtNewline()) {
        // The newline itself is consumed below.
      } else if (Peek() == '[') {
        if (!TableHeader(&table_depth)) return false;
      } else if (!KeyValue(table_depth, 0)) {
        return false;
      }
      if (!EndOfLine()) return false;
    }
    return true;
  }

  // "[a.b]" or "[[a.b]]"; sets the depth of the table the lines below fill.
  bool TableHeader(int* table_depth) {
    ++pos_;
    const bool array = Peek() == '[';
    if (array) ++pos_;
    SkipBlanks();
    int parts = 0;
    const size_t start = pos_;
    if (!Key(&parts)) return false;
    *table_depth = parts + (array ? 1 : 0);
    if (!CheckDepth(*table_depth) || !Charge(static_cast<uint64_t>(parts) * (pos_ - start))) return false;
    SkipBlanks();
    for (int i = 0; i < (array ? 2 : 1); ++i) {
      if (Peek() != ']')
        return NotUnderstood(array ? "expected ']]' to close the table name" : "expected ']'");
      ++pos_;
    }
    return true;
  }

  // key = value, in a table whose node is at `depth`, inside `nesting`
  // arrays and inline tables.
  bool KeyValue(int depth, int nesting) {
    int parts = 0;
    const size_t start = pos_;
    if (!Key(&parts)) return false;
    // toml11 re-reads a dotted key once per part.
    if (!CheckDepth(depth + parts) || !Charge(static_cast<uint64_t>(parts) * (pos_ - start))) return false;
    SkipBlanks();
    if (Peek() != '=') return NotUnderstood("expected '=' after the key");
    ++pos_;
    SkipBlanks();
    return Value(depth + parts, nesting);
  }

  // A bare, quoted or dotted key; counts its parts.
  bool Key(int* parts) {
    for (;;) {
      if (Peek() == '"' || Peek() == '\'') {
        if (!String(/*multi_line_allowed=*/false)) return false;
      } else if (IsBareKeyChar(Peek())) {
        while (IsBareKeyChar(Peek())) ++pos_;
      } else {
        return NotUnderstood("expected a key");
      }
      ++*parts;
      const size_t after_part = pos_;
      SkipBlanks();
      if (Peek() != '.') {
        pos_ = after_part;
        return true;
      }
      ++pos_;
      SkipBlanks();
    }
  }

  // A value whose node is at `depth`, inside `nesting` brackets.
  bool Value(int depth, int nesting) {
    if (!Charge()) return false;
    const char c = Peek();
    if (c == '"' || c == '\'') return String(/*multi_line_allowed=*/true);
    if (c == '[') return CheckNesting(nesting + 1) && CheckDepth(depth + 1) && Array(depth, nesting + 1);
    if (c == '{') return CheckNesting(nesting + 1) && InlineTable(depth, nesting + 1);
    if (IsScalarChar(c)) return Scalar();
    return NotUnderstood(AtNewline() || AtEnd() ? "expected a value after '='" : "expected a value");
  }

  bool Array(int depth, int nesting) {
    ++pos_;
    for (;;) {
      SkipBlankLines();
      if (Peek() == ']') break;
      if (AtEnd()) return NotUnderstood("the array is not closed with ']'");
      if (!Value(depth + 1, nesting)) return false;
      SkipBlankLines();
      if (Peek() == ',') {
        ++pos_;
      } else if (Peek() != ']') {
        return NotUnderstood("expected ',' or ']' in the array");
      }
    }
    ++pos_;
    return true;
  }

  // toml11 wants inline tables on one line; the scanner need not care.
  bool InlineTable(int depth, int nesting) {
    ++pos_;
    SkipBlankLines();
    if (Peek() == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      if (!KeyValue(depth, nesting)) return false;
      SkipBlankLines();
      if (Peek() == '}') break;
      if (Peek() != ',') return NotUnderstood("expected ',' or '}' in the inline table");
      ++pos_;
      SkipBlankLines();
    }
    ++pos_;
    return true;
  }

  // One of the four kinds of string; keys may not be multi-line.
  bool String(bool multi_line_allowed) {
    const size_t start = pos_;
    const uint32_t start_line = line_;
    if (!StringBody(multi_line_allowed)) return false;
    // toml11 reports invalid UTF-8 in a literal string through an iterator
    // into another buffer (undefined behaviour: a huge allocation, a failed
    // assertion, a read out of bounds), so it must never see one.
    if (text_[start] == '\'' && !IsValidUtf8(text_.substr(start, pos_ - start))) {
      pos_ = start;
      line_ = start_line;
      return Refuse("invalid UTF-8 in a literal string");
    }
    return true;
  }

  bool StringBody(bool multi_line_allowed) {
    const char quote = Peek();
    const bool multi_line = multi_line_allowed && Peek(1) == quote && Peek(2) == quote;
    const bool escapes = quote == '"';
    pos_ += multi_line ? 3 : 1;
    for (;;) {
      if (AtEnd() || (!multi_line && AtNewline())) return NotUnderstood("the string is not closed");
      const char c = Peek();
      if (escapes && c == '\\') {
        ++pos_;
        if (AtEnd()) return NotUnderstood("the string is not closed");
        Advance();  // whatever it escapes, even a newline
      } else if (c == quote) {
        size_t run = 0;
        while (Peek(run) == quote) ++run;
        if (!multi_line) {
          ++pos_;
          return true;
        }
        // As toml11: three quotes close, taking up to two more with them.
        if (run >= 3) {
          pos_ += run < 5 ? run : 5;
          return true;
        }
        pos_ += run;
      } else {
        Advance();
      }
    }
  }

  // A number, boolean, date or time; toml11 checks the form.
  bool Scalar() {
    const size_t start = pos_;
    while (IsScalarChar(Peek())) ++pos_;
    // "1979-05-27 07:32:00": a date and a time separated by one space.
    if (pos_ - start == 10 && text_[start + 4] == '-' && Peek() == ' ' && IsDigit(Peek(1))) {
      ++pos_;
      while (IsScalarChar(Peek())) ++pos_;
    }
    const std::string_view token = text_.substr(start, pos_ - start);
    if (token.starts_with("0b")) {
      int digits = 0;
      for (char c : token.substr(2)) {
        if (c == '0' || c == '1') {
          ++digits;
        } else if (c != '_') {
          break;
        }
      }
      if (digits > kMaxTomlBinaryDigits) {
        return Refuse("binary integer with more than " + std::to_string(kMaxTomlBinaryDigits) +
                      " digits (write it in decimal or hexadecimal)");
      }
    }
    return true;
  }

  const std::string_view text_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  size_t line_length_ = 0;
  bool line_is_comment_ = false;
  uint64_t comment_block_ = 0;  // work to re-read the comment lines above this one
  uint64_t work_ = 0;
  TomlScan result_;
};

}  // namespace

TomlScan ScanToml(std::string_view text) { return Scanner(text).Run(); }

}  // namespace groupcached::internal
