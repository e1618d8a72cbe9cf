#include "net/service_url.hpp"

#include <boost/url/parse.hpp>
#include <algorithm>
#include <cctype>

#include "tickwire/tcp_port.hpp"

namespace tickwire::net {

namespace {
bool secret_name(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "token" || lower == "key" || lower == "secret" || lower == "apikey" ||
         lower == "api_key";
}
}  // namespace

std::optional<ServiceUrl> parse_service_url(std::string_view text, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<ServiceUrl> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  const auto parsed = boost::urls::parse_uri(text);
  if (!parsed) return fail("not a URL: " + parsed.error().message());
  const auto& u = *parsed;
  ServiceUrl out;
  out.scheme = std::string(u.scheme());
  std::transform(out.scheme.begin(), out.scheme.end(), out.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (out.scheme != "http" && out.scheme != "https" && out.scheme != "ws" && out.scheme != "wss") {
    return fail("the scheme must be http, https, ws or wss");
  }
  out.tls = out.scheme == "https" || out.scheme == "wss";
  if (u.has_userinfo()) return fail("credentials do not go in the URL");
  if (u.host().empty()) return fail("the URL has no host");
  out.host = u.host_address();  // brackets of an IPv6 literal removed
  if (u.has_port()) {
    const auto port = parse_tcp_port(u.port());
    if (!port) return fail("the port must be 1..65535");
    out.port = std::to_string(*port);
  } else {
    out.port = out.tls ? "443" : "80";
  }
  out.target = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
  if (u.has_query()) out.target += "?" + std::string(u.encoded_query());
  return out;
}

ServiceUrl with_target(const ServiceUrl& base, std::string_view path_and_query) {
  ServiceUrl out = base;
  auto path = base.target.substr(0, base.target.find('?'));
  while (!path.empty() && path.back() == '/') path.pop_back();
  out.target = path + std::string(path_and_query);
  if (out.target.empty() || out.target.front() != '/') out.target.insert(0, "/");
  return out;
}

std::string ServiceUrl::str_redacted() const {
  const bool v6 = host.find(':') != std::string::npos;
  std::string out = scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + port;
  const auto q = target.find('?');
  out += target.substr(0, q);
  if (q == std::string::npos) return out;
  out += '?';
  std::string_view query(target);
  query.remove_prefix(q + 1);
  bool first = true;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (!first) out += '&';
    first = false;
    if (eq != std::string_view::npos && secret_name(pair.substr(0, eq))) {
      out += std::string(pair.substr(0, eq)) + "=***";
    } else {
      out += std::string(pair);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

}  // namespace tickwire::net
