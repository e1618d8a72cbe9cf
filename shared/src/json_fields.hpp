// Number fields of the hand-written JSON codecs (quote_json.cpp, bar_json.cpp): internal to
// tickwire::shared.
#pragma once

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

namespace tickwire::json_fields {

namespace json = boost::json;

// Encoding is done by hand rather than through boost::json::serialize because Boost.JSON 1.81
// prints every double in exponent form ("1.8925E2"): valid JSON, but unreadable for the people
// who watch this feed with curl. The object has a fixed shape and a validated symbol (no
// characters that need escaping), so shortest-round-trip std::to_chars is all it takes; the
// round-trip unit test parses the output back with Boost.JSON.
template <typename T>
inline void append_number(std::string& out, T v) {
  char buf[32];
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(v)) v = 0;  // JSON has no NaN/Inf; a broken price is never sent as one
  }
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

template <typename T>
inline void field(std::string& out, std::string_view name, T v) {
  out += ",\"";
  out += name;
  out += "\":";
  append_number(out, v);
}

inline const json::value* find(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

inline bool read_double(const json::object& o, std::string_view key, double& out, bool required) {
  const auto* v = find(o, key);
  if (!v) return !required;
  if (v->is_double()) out = v->get_double();
  else if (v->is_int64()) out = static_cast<double>(v->get_int64());
  else if (v->is_uint64()) out = static_cast<double>(v->get_uint64());
  else return false;
  return std::isfinite(out);
}

template <typename U>
inline bool read_unsigned(const json::object& o, std::string_view key, U& out, bool required) {
  const auto* v = find(o, key);
  if (!v) return !required;
  std::uint64_t x = 0;
  if (v->is_uint64()) x = v->get_uint64();
  else if (v->is_int64() && v->get_int64() >= 0) x = static_cast<std::uint64_t>(v->get_int64());
  else return false;
  if (x > std::numeric_limits<U>::max()) return false;
  out = static_cast<U>(x);
  return true;
}

}  // namespace tickwire::json_fields
