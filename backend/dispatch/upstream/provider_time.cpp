#include "dispatch/upstream/provider_time.hpp"

#include <chrono>

namespace tickwire::dispatch {

namespace {
bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}
}  // namespace

// Written out rather than through std::chrono::parse (not in GCC 12's libstdc++) or
// std::get_time (locale-dependent, no fractions, no offsets).
std::optional<std::int64_t> parse_rfc3339_us(std::string_view s) {
  int y, mo, d, h, mi, sec;
  if (!digits(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, mo) ||
      s[7] != '-' || !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
      !digits(s, 17, 2, sec)) {
    return std::nullopt;
  }
  using namespace std::chrono;
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::size_t i = 19;
  std::int64_t micros = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int n = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++n) {
      if (n < 6) micros = micros * 10 + (s[i] - '0');
    }
    if (n == 0) return std::nullopt;
    for (; n < 6; ++n) micros *= 10;
  }
  std::int64_t offset_s = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh, om;
    if (!digits(s, i + 1, 2, oh) || i + 3 >= s.size() || s[i + 3] != ':' ||
        !digits(s, i + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_s = (s[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  const auto days = sys_days(date).time_since_epoch().count();
  const std::int64_t seconds = days * 86400 + h * 3600 + mi * 60 + sec - offset_s;
  return seconds * 1'000'000 + micros;
}

}  // namespace tickwire::dispatch
