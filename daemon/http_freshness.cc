// Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
#include "http_freshness.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace groupcached {
namespace {

using groupcache::HttpHeader;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using std::chrono::system_clock;

bool IsOws(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && IsOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOws(s.back())) s.remove_suffix(1);
  return s;
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

// Calls visit(name, value) for each element of a comma-separated list such
// as a Cache-Control field value: `name` and `value` trimmed, `value` empty
// when there is no '=', and still quoted when it was a quoted-string. Commas
// inside quoted strings do not split (private="Set-Cookie, X-Secret"). An
// unterminated quote runs to the end of the field. Linear in the field's
// length, however it is made.
template <typename Visit>
void ForEachElement(std::string_view field, Visit&& visit) {
  const size_t n = field.size();
  size_t i = 0;
  while (i < n) {
    const size_t start = i;
    size_t equals = std::string_view::npos;
    bool quoted = false;
    for (; i < n; ++i) {
      const char c = field[i];
      if (quoted) {
        if (c == '\\') {
          ++i;  // the escaped character, whatever it is
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        break;
      } else if (c == '=' && equals == std::string_view::npos) {
        equals = i;
      }
    }
    const size_t end = std::min(i, n);
    const std::string_view element = field.substr(start, end - start);
    ++i;  // past the comma
    const size_t split = equals == std::string_view::npos ? element.size() : equals - start;
    const std::string_view name = TrimOws(element.substr(0, split));
    const std::string_view value = split < element.size() ? TrimOws(element.substr(split + 1)) : "";
    if (!name.empty()) visit(name, value);
  }
}

// The smaller of `current` and `candidate`, either possibly absent.
void KeepSmaller(std::optional<seconds>& current, std::optional<seconds> candidate) {
  if (candidate && (!current || *candidate < *current)) current = candidate;
}

Freshness DoNotStore() { return {Freshness::Kind::kDoNotStore, {}}; }

// A response no shared cache should hand to other clients: one that sets
// a cookie (per-user state; nginx's proxy_cache and Varnish's built-in
// rules do not cache it either), or whose Vary lists "*" (it varies on
// something outside the request, RFC 9110 §12.5.5, so no stored copy ever
// matches a later request).
bool IsPersonal(const std::vector<HttpHeader>& headers) {
  for (const HttpHeader& header : headers) {
    if (EqualsIgnoreCase(header.name, "Set-Cookie")) return true;
    if (!EqualsIgnoreCase(header.name, "Vary")) continue;
    bool star = false;
    ForEachElement(header.value,
                   [&](std::string_view name, std::string_view) { star = star || name == "*"; });
    if (star) return true;
  }
  return false;
}

// A cursor over an HTTP-date.
class DateReader {
 public:
  explicit DateReader(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ == text_.size(); }
  bool Take(char c) {
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  // The run of ASCII letters at the cursor (possibly empty).
  std::string_view Letters() {
    const size_t start = pos_;
    while (pos_ < text_.size() && AsciiLower(text_[pos_]) >= 'a' && AsciiLower(text_[pos_]) <= 'z') ++pos_;
    return text_.substr(start, pos_ - start);
  }
  // Exactly `count` digits.
  bool Digits(int count, int& out) {
    out = 0;
    for (int k = 0; k < count; ++k) {
      if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9') return false;
      out = out * 10 + (text_[pos_++] - '0');
    }
    return true;
  }
  bool Month(int& out) {
    static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::string_view word = Letters();
    for (size_t m = 0; m < kMonths.size(); ++m) {
      if (EqualsIgnoreCase(word, kMonths[m])) {
        out = static_cast<int>(m) + 1;
        return true;
      }
    }
    return false;
  }
  // "HH:MM:SS"
  bool TimeOfDay(int& hour, int& minute, int& second) {
    return Digits(2, hour) && Take(':') && Digits(2, minute) && Take(':') && Digits(2, second);
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

bool IsDayName(std::string_view word) {
  static constexpr std::array<std::string_view, 14> kDays = {
      "Mon",    "Tue",     "Wed",       "Thu",      "Fri",    "Sat",      "Sun",
      "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  return std::any_of(kDays.begin(), kDays.end(),
                     [&](std::string_view day) { return EqualsIgnoreCase(word, day); });
}

}  // namespace

namespace internal {

std::optional<seconds> ParseDeltaSeconds(std::string_view text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  if (text.empty()) return std::nullopt;
  const int64_t max = kMaxFreshnessLifetime.count();
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    // Saturates rather than overflowing: any number of digits is valid.
    value = std::min(max, value * 10 + (c - '0'));
  }
  return seconds(value);
}

std::optional<sys_seconds> ParseHttpDate(std::string_view text) {
  DateReader in(TrimOws(text));
  if (!IsDayName(in.Letters())) return std::nullopt;
  int day = 0, month = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (in.Take(',')) {
    if (!in.Take(' ') || !in.Digits(2, day)) return std::nullopt;
    if (in.Take(' ')) {  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
      if (!in.Month(month) || !in.Take(' ') || !in.Digits(4, year)) return std::nullopt;
    } else if (in.Take('-')) {  // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
      if (!in.Month(month) || !in.Take('-') || !in.Digits(2, year)) return std::nullopt;
      year += year < 70 ? 2000 : 1900;
    } else {
      return std::nullopt;
    }
    if (!in.Take(' ') || !in.TimeOfDay(hour, minute, second) || !in.Take(' ') ||
        !EqualsIgnoreCase(in.Letters(), "GMT")) {
      return std::nullopt;
    }
  } else {  // asctime: "Sun Nov  6 08:49:37 1994"
    if (!in.Take(' ') || !in.Month(month) || !in.Take(' ')) return std::nullopt;
    if (!(in.Take(' ') ? in.Digits(1, day) : in.Digits(2, day))) return std::nullopt;
    if (!in.Take(' ') || !in.TimeOfDay(hour, minute, second) || !in.Take(' ') || !in.Digits(4, year)) {
      return std::nullopt;
    }
  }
  if (!in.AtEnd() || year < 1601 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  return sys_seconds(std::chrono::sys_days(date)) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         seconds(second);
}

CacheControl ParseCacheControl(const std::vector<HttpHeader>& headers) {
  CacheControl cc;
  for (const HttpHeader& header : headers) {
    if (!EqualsIgnoreCase(header.name, "Cache-Control")) continue;
    ForEachElement(header.value, [&](std::string_view name, std::string_view value) {
      // With a field list, private and no-cache restrict only those fields;
      // not storing at all is the simple reading that is always safe.
      if (EqualsIgnoreCase(name, "no-store")) {
        cc.no_store = true;
      } else if (EqualsIgnoreCase(name, "no-cache")) {
        cc.no_cache = true;
      } else if (EqualsIgnoreCase(name, "private")) {
        cc.is_private = true;
      } else if (EqualsIgnoreCase(name, "max-age")) {
        KeepSmaller(cc.max_age, ParseDeltaSeconds(value));
      } else if (EqualsIgnoreCase(name, "s-maxage")) {
        KeepSmaller(cc.s_maxage, ParseDeltaSeconds(value));
      }
    });
  }
  return cc;
}

}  // namespace internal

Freshness ParseFreshness(const std::vector<HttpHeader>& headers, system_clock::time_point now) {
  const internal::CacheControl cc = internal::ParseCacheControl(headers);
  // no-cache allows storing a response only if every reuse revalidates it
  // with the origin; without revalidation (not done yet) it is not stored.
  if (cc.no_store || cc.is_private || cc.no_cache) return DoNotStore();
  if (IsPersonal(headers)) return DoNotStore();

  std::optional<system_clock::duration> lifetime;
  if (cc.s_maxage || cc.max_age) lifetime = cc.s_maxage ? *cc.s_maxage : *cc.max_age;
  if (!lifetime) {
    bool has_expires = false;
    bool invalid_expires = false;
    std::optional<sys_seconds> expires;
    std::optional<sys_seconds> date;
    for (const HttpHeader& header : headers) {
      if (EqualsIgnoreCase(header.name, "Expires")) {
        has_expires = true;
        const std::optional<sys_seconds> at = internal::ParseHttpDate(header.value);
        if (!at) invalid_expires = true;
        if (at && (!expires || *at < *expires)) expires = at;
      } else if (EqualsIgnoreCase(header.name, "Date")) {
        const std::optional<sys_seconds> at = internal::ParseHttpDate(header.value);
        if (at && (!date || *at > *date)) date = at;
      }
    }
    // RFC 9111 §5.3: an invalid Expires ("0" among them) is in the past.
    if (invalid_expires) return DoNotStore();
    if (has_expires) {
      // Measured on the origin's clock when it sent one, so a skewed origin
      // clock does not shorten or stretch the lifetime. In seconds first: a
      // year-9999 date in nanoseconds would overflow.
      const seconds coarse = *expires - (date ? *date : std::chrono::floor<seconds>(now));
      // Without Date, Expires itself, to the nanosecond, once it is known
      // to be near enough to represent.
      const bool exact = !date && coarse > seconds(0) && coarse <= kMaxFreshnessLifetime;
      lifetime = exact ? system_clock::time_point(*expires) - now
                       : system_clock::duration(std::clamp(coarse, seconds(0), kMaxFreshnessLifetime));
    }
  }
  if (!lifetime) return {};

  seconds age{0};
  for (const HttpHeader& header : headers) {
    if (!EqualsIgnoreCase(header.name, "Age")) continue;
    // An intermediary may have joined repeated Age lines with commas.
    ForEachElement(header.value, [&](std::string_view element, std::string_view) {
      if (std::optional<seconds> value = internal::ParseDeltaSeconds(element)) age = std::max(age, *value);
    });
  }
  const system_clock::duration remaining =
      std::min<system_clock::duration>(*lifetime, kMaxFreshnessLifetime) - age;
  if (remaining <= system_clock::duration(0)) return DoNotStore();
  return {Freshness::Kind::kStoreUntil, now + remaining};
}

}  // namespace groupcached
