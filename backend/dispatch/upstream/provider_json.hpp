// Reading fields of providers' JSON without trusting it: a number is a finite JSON number (of
// any of Boost.JSON's three kinds), a text is a JSON string; anything else reads as absent.
#pragma once

#include <boost/json/object.hpp>
#include <cmath>
#include <optional>
#include <string_view>

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

}  // namespace tickwire::dispatch::provider_json
