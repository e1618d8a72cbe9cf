// A request target split into its percent-decoded path and query parameters (Boost.URL).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tickwire::net {

struct HttpTarget {
  std::string path;
  std::unordered_map<std::string, std::string> params;  // the first value of each key wins

  const std::string* param(const std::string& key) const {
    const auto it = params.find(key);
    return it == params.end() ? nullptr : &it->second;
  }
};

// nullopt when the target is not in origin form ("/path?query").
std::optional<HttpTarget> parse_target(std::string_view target);

}  // namespace tickwire::net
