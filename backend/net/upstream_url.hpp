// Parsing of --upstream style URLs (http://host:port/prefix) with Boost.URL.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tickwire::net {

struct UpstreamUrl {
  std::string host;
  std::string port;         // "80" when the URL names none
  std::string path_prefix;  // without a trailing '/', may be empty
  std::string str() const { return "http://" + host + ":" + port + path_prefix; }
};

// Only plain http is accepted for now; *error says why a URL was refused.
std::optional<UpstreamUrl> parse_upstream_url(std::string_view url, std::string* error);

}  // namespace tickwire::net
