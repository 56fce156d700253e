// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "daemon/config_scan.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace groupcached::internal {
namespace {

using ::testing::HasSubstr;
using Outcome = TomlScan::Outcome;

std::string Repeat(std::string_view text, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += text;
  return out;
}

// "a = [[...]]" with `n` arrays, one inside the other.
std::string NestedArrays(int n) { return "a = " + Repeat("[", n) + Repeat("]", n) + "\n"; }
// "a = {b = {b = ... {} ...}}" with `n` inline tables.
std::string NestedInlineTables(int n) {
  return "a = " + Repeat("{b = ", n - 1) + "{}" + Repeat("}", n - 1) + "\n";
}
// "a.a.a... = 1" with `n` parts.
std::string DottedKey(int n) { return "a" + Repeat(".a", n - 1); }

TEST(ConfigScanTest, PlainConfigIsWithinBounds) {
  const std::string text = R"(# a comment
[node]
self = "https://10.0.0.1:8443"   # trailing comment
peers = [
  "https://10.0.0.1:8443",  # one per line
  "https://10.0.0.2:8443",
]
[[group]]
name = 'colors'
source = { type = "static", values = { red = "#FF0000", "quoted key" = "x" } }
[limits]
max_connections = 1_000
when = 1979-05-27 07:32:00Z
ratio = -6.626e-34
)";
  const TomlScan scan = ScanToml(text);
  EXPECT_EQ(scan.outcome, Outcome::kOk) << scan.line << ": " << scan.message;
  EXPECT_EQ(scan.understood, text.size());
}

TEST(ConfigScanTest, DeepArraysAreRefusedWithTheirLine) {
  const TomlScan scan = ScanToml("x = 1\n\n" + NestedArrays(10000));
  EXPECT_EQ(scan.outcome, Outcome::kRefused);
  EXPECT_EQ(scan.line, 3u);
  EXPECT_EQ(scan.message, "arrays and inline tables nested deeper than 32 levels");
  EXPECT_EQ(ScanToml(NestedArrays(33)).outcome, Outcome::kRefused);
  EXPECT_EQ(ScanToml(NestedArrays(kMaxTomlNesting)).outcome, Outcome::kOk);
}

TEST(ConfigScanTest, DeepInlineTablesAreRefused) {
  const TomlScan scan = ScanToml(NestedInlineTables(33));
  EXPECT_EQ(scan.outcome, Outcome::kRefused);
  EXPECT_THAT(scan.message, HasSubstr("nested deeper than 32 levels"));
  EXPECT_EQ(ScanToml(NestedInlineTables(kMaxTomlNesting)).outcome, Outcome::kOk);
}

TEST(ConfigScanTest, MixedArraysAndInlineTablesCountTogether) {
  // [{a = [{a = ... }]}]: 17 arrays and 16 inline tables, 33 brackets.
  const std::string deep = "x = " + Repeat("[{a = ", 16) + "[]" + Repeat("}]", 16) + "\n";
  EXPECT_EQ(ScanToml(deep).outcome, Outcome::kRefused);
  const std::string at_limit = "x = " + Repeat("[{a = ", 16) + "1" + Repeat("}]", 16) + "\n";
  EXPECT_EQ(ScanToml(at_limit).outcome, Outcome::kOk);
  // Inline tables inside a multi-line array, with comments in between.
  const std::string multi_line = "x = [\n" + Repeat("{a = [ # ]]]\n", 20) + "1" + Repeat("]}", 20) + "]\n";
  EXPECT_EQ(ScanToml(multi_line).outcome, Outcome::kRefused);
}

TEST(ConfigScanTest, BracketsInStringsAndCommentsDoNotCount) {
  const std::string brackets = Repeat("[{", 1000);
  const std::vector<std::string> texts = {
      "a = \"" + brackets + "\"\n",
      "a = '" + brackets + "'\n",
      "a = \"\\\"" + brackets + "\\\\\"\n",                          // escaped quote, then backslash
      "a = \"\"\"\n" + brackets + "\"\"\n" + brackets + "\"\"\"\n",  // "" inside a multi-line string
      "a = \"\"\"\\\"\"\"" + brackets + "\"\"\"\"\"\n",              // \""" does not close; """"" does
      "a = '''\n" + brackets + "''\n" + brackets + "'''\n",
      "a = 1 # " + brackets + "\n",
      "# " + brackets + "\na = [ # " + brackets + "\n  1, # ]]]\n]\n",
      "\"" + brackets + "\" = 1\n",  // a quoted key
      "['" + brackets + "']\nx = 1\n",
  };
  for (const std::string& text : texts) {
    const TomlScan scan = ScanToml(text);
    EXPECT_EQ(scan.outcome, Outcome::kOk) << text.substr(0, 40) << ": " << scan.line << ": " << scan.message;
  }
}

TEST(ConfigScanTest, StringsThatEndEarlyDoNotHideBrackets) {
  // A closed string, then the brackets are real.
  EXPECT_EQ(ScanToml("a = [\"x\", " + NestedArrays(40).substr(4)).outcome, Outcome::kRefused);
  EXPECT_EQ(ScanToml("a = [\"\"\"x\"\"\"\"\", " + Repeat("[", 40)).outcome, Outcome::kRefused);
  EXPECT_EQ(ScanToml("a = ['''x''''', " + Repeat("[", 40)).outcome, Outcome::kRefused);
  EXPECT_EQ(ScanToml("a = [\"\\\\\", " + Repeat("[", 40)).outcome, Outcome::kRefused);  // "\\" ends
}

TEST(ConfigScanTest, LongDottedKeysAndTableNamesAreRefused) {
  const TomlScan key = ScanToml(DottedKey(100000) + " = 1\n");
  EXPECT_EQ(key.outcome, Outcome::kRefused);
  EXPECT_EQ(key.message, "tables, dotted keys, arrays and inline tables nested deeper than 64 levels");
  EXPECT_EQ(ScanToml(DottedKey(kMaxTomlDepth) + " = 1\n").outcome, Outcome::kOk);
  EXPECT_EQ(ScanToml(DottedKey(kMaxTomlDepth + 1) + " = 1\n").outcome, Outcome::kRefused);
  EXPECT_EQ(ScanToml("[" + DottedKey(kMaxTomlDepth) + "]\n").outcome, Outcome::kOk);
  EXPECT_EQ(ScanToml("[" + DottedKey(kMaxTomlDepth + 1) + "]\n").outcome, Outcome::kRefused);
  // An array of tables is one level more than its name.
  EXPECT_EQ(ScanToml("[[" + DottedKey(kMaxTomlDepth) + "]]\n").outcome, Outcome::kRefused);
  // Quoted parts with dots inside are one part each; blanks around dots are allowed.
  EXPECT_EQ(ScanToml(Repeat("\"a.b.c\" . ", kMaxTomlDepth - 1) + "'x.y' = 1\n").outcome, Outcome::kOk);
  // Levels add up: the table name, the key, the arrays and the inline tables.
  const std::string header = "[" + DottedKey(30) + "]\n";
  EXPECT_EQ(ScanToml(header + DottedKey(30) + " = 1\n").outcome, Outcome::kOk);
  EXPECT_EQ(ScanToml(header + DottedKey(30) + " = [[[[[1]]]]]\n").outcome, Outcome::kRefused);
  EXPECT_EQ(ScanToml(header + "k = {" + DottedKey(40) + " = 1}\n").outcome, Outcome::kRefused);
}

TEST(ConfigScanTest, ManyValuesOnLongLinesAreRefused) {
  // toml11 copies the line for every value on it: 20,000 on one line would
  // take it seconds; one per line is linear.
  std::string one_line = "a = [";
  std::string one_per_line = "a = [\n";
  for (int i = 0; i < 20000; ++i) {
    one_line += "\"x\",";
    one_per_line += "\"x\",\n";
  }
  one_line += "]\n";
  one_per_line += "]\n";
  const TomlScan scan = ScanToml(one_line);
  EXPECT_EQ(scan.outcome, Outcome::kRefused);
  EXPECT_EQ(scan.line, 1u);
  EXPECT_THAT(scan.message, HasSubstr("too many keys and values on long lines"));
  EXPECT_EQ(ScanToml(one_per_line).outcome, Outcome::kOk);

  // The same for keys of an inline table.
  std::string table = "t = {";
  for (int i = 0; i < 10000; ++i) table += (i ? ",k" : "k") + std::to_string(i) + "=1";
  EXPECT_EQ(ScanToml(table + "}\n").outcome, Outcome::kRefused);
}

TEST(ConfigScanTest, ValuesBelowLongCommentBlocksAreRefused) {
  // toml11 re-reads the comment lines above a value for each value on the
  // line: 60,000 comment lines over 1,000 values took it 27 s.
  const std::string text = "a = [\n" + Repeat("#\n", 60000) + Repeat("1,", 1000) + "]\n";
  EXPECT_EQ(ScanToml(text).outcome, Outcome::kRefused);
  // A long comment above a few values is fine.
  EXPECT_EQ(ScanToml(Repeat("# a comment line\n", 2000) + "a = [1, 2, 3]\n").outcome, Outcome::kOk);
}

TEST(ConfigScanTest, LongBinaryIntegersAreRefused) {
  EXPECT_EQ(ScanToml("a = 0b" + Repeat("1", kMaxTomlBinaryDigits) + "\n").outcome, Outcome::kOk);
  const TomlScan scan = ScanToml("a = 0b" + Repeat("0", 70) + "1\n");
  EXPECT_EQ(scan.outcome, Outcome::kRefused);
  EXPECT_THAT(scan.message, HasSubstr("binary integer with more than 62 digits"));
  EXPECT_EQ(ScanToml("a = [0b1_" + Repeat("1_", 70) + "1]\n").outcome, Outcome::kRefused);
}

TEST(ConfigScanTest, InvalidUtf8InLiteralStringsIsRefused) {
  // toml11 reports these through an iterator into another buffer.
  const std::vector<std::string> texts = {
      "a = 'x\xFF'\n",        "a = '''\nx\xC0\x80'''\n",
      "'\xED\xA0\x80' = 1\n", "a = ['ok', 'x\xF4\x90\x80\x80']\n",
      "a = 'x\xE2\x82'\n",
  };
  for (const std::string& text : texts) {
    const TomlScan scan = ScanToml("b = 1\n" + text);
    EXPECT_EQ(scan.outcome, Outcome::kRefused) << text;
    EXPECT_EQ(scan.line, 2u);
    EXPECT_EQ(scan.message, "invalid UTF-8 in a literal string");
  }
  // Valid UTF-8 of every length is fine, and basic strings are toml11's to check.
  EXPECT_EQ(ScanToml("a = 'x\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80'\n").outcome, Outcome::kOk);
  EXPECT_EQ(ScanToml("a = \"x\xFF\"\n").outcome, Outcome::kOk);
}

TEST(ConfigScanTest, MalformedTextIsUnderstoodUpToTheProblem) {
  const std::string before = "a = 1\nb = ";
  const TomlScan missing = ScanToml(before + "\nc = 2\n");
  EXPECT_EQ(missing.outcome, Outcome::kNotUnderstood);
  EXPECT_EQ(missing.line, 2u);
  EXPECT_EQ(missing.understood, before.size());
  EXPECT_EQ(missing.message, "expected a value after '='");

  // What follows the problem is not scanned, so deep nesting there is not
  // reported: it must never reach the parser.
  const TomlScan junk = ScanToml("a = 1 " + Repeat("[", 10000) + "\n");
  EXPECT_EQ(junk.outcome, Outcome::kNotUnderstood);
  EXPECT_EQ(junk.understood, 6u);
  const TomlScan unclosed = ScanToml("a = \"abc\n" + NestedArrays(10000));
  EXPECT_EQ(unclosed.outcome, Outcome::kNotUnderstood);
  EXPECT_EQ(unclosed.message, "the string is not closed");
  EXPECT_LE(unclosed.understood, 9u);
  for (const char* text : {"= 1\n", "a 1\n", "[a\n", "[[a]\n", "a = [1 2]\n", "a = {b = 1 c = 2}\n",
                           "a = @\n", "a = [\n1,\n", "a = \"\"\"x\n", "a = 1\r2\n"}) {
    EXPECT_EQ(ScanToml(text).outcome, Outcome::kNotUnderstood) << text;
  }
}

TEST(ConfigScanTest, ByteOrderMarkAndLineEndings) {
  EXPECT_EQ(ScanToml("\xEF\xBB\xBF"
                     "a = 1\r\nb = [\r\n  2,\r\n]\r\n")
                .outcome,
            Outcome::kOk);
  const TomlScan scan = ScanToml(
      "\xEF\xBB\xBF"
      "a = 1\r\n" +
      NestedArrays(40));
  EXPECT_EQ(scan.outcome, Outcome::kRefused);
  EXPECT_EQ(scan.line, 2u);
  EXPECT_EQ(ScanToml("").outcome, Outcome::kOk);
  EXPECT_EQ(ScanToml("a = 1").outcome, Outcome::kOk);  // no final newline
  EXPECT_EQ(ScanToml(" ").outcome, Outcome::kOk);
  EXPECT_EQ(ScanToml("a = 1\n\t ").outcome, Outcome::kOk);
}

}  // namespace
}  // namespace groupcached::internal
