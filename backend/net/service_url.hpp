// URLs of services Tickwire connects to as a client (providers' WebSocket streams and REST
// APIs): http, https, ws and wss, parsed with Boost.URL. A URL may carry a secret in its query
// (Finnhub's stream takes ?token=), so logs print str_redacted() only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tickwire::net {

struct ServiceUrl {
  std::string scheme;  // http, https, ws, wss
  bool tls = false;    // https, wss
  std::string host;    // IPv6 literals without brackets
  std::string port;    // the scheme's default when the URL names none
  std::string target;  // path (at least "/") and query, as written

  // scheme://host:port/path?query with the values of token, key, secret, apikey and
  // api_key query parameters (any case) replaced by ***.
  std::string str_redacted() const;
};

// *error says why a URL was refused (another scheme, no host, a bad port, userinfo: secrets do
// not belong in a URL's userinfo).
std::optional<ServiceUrl> parse_service_url(std::string_view url, std::string* error);

// `base` with `path_and_query` appended to its path (a base of https://h/api/v1 and "/quote?x"
// give https://h/api/v1/quote?x). The base's own query, if any, is dropped.
ServiceUrl with_target(const ServiceUrl& base, std::string_view path_and_query);

}  // namespace tickwire::net
