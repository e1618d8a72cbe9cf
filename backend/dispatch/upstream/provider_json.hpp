// Reading fields of providers' JSON without trusting it: a number is a finite JSON number (of
// any of Boost.JSON's three kinds), a text is a JSON string; anything else reads as absent.
#pragma once

#include <algorithm>
#include <boost/json/object.hpp>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>

#include "tickwire/minute_bars.hpp"

namespace tickwire::dispatch::provider_json {

inline std::optional<double> number(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  double d;
  if (v->is_double()) d = v->get_double();
  else if (v->is_int64()) d = static_cast<double>(v->get_int64());
  else if (v->is_uint64()) d = static_cast<double>(v->get_uint64());
  else return std::nullopt;
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

inline std::string_view text(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

// A one-minute bar from a provider's history, if it is one: `t` (Unix seconds) a whole minute,
// prices positive with low and high bounding open and close.
inline std::optional<Bar> minute_bar(std::int64_t t, std::optional<double> o,
                                     std::optional<double> h, std::optional<double> l,
                                     std::optional<double> c, std::optional<double> v) {
  if (t <= 0 || !o || !h || !l || !c) return std::nullopt;
  const double volume = v && *v > 0 && *v < 1e15 ? *v : 0;
  Bar b{t, *o, *h, *l, *c, static_cast<std::uint64_t>(volume)};
  if (!sane_bar(b)) return std::nullopt;
  return b;
}

}  // namespace tickwire::dispatch::provider_json
