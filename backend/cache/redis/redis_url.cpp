#include "cache/redis/redis_url.hpp"

#include <boost/url/parse.hpp>

#include "tickwire/host_name.hpp"
#include "tickwire/tcp_port.hpp"

namespace tickwire::cache::redis {

std::optional<RedisUrl> parse_redis_url(std::string_view url, std::string* why) {
  auto fail = [&](std::string message) -> std::optional<RedisUrl> {
    if (why) *why = std::move(message);
    return std::nullopt;
  };
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return fail("not a URL (expected redis://HOST:PORT)");
  const auto& u = *parsed;
  if (u.scheme() != "redis") return fail("the scheme must be redis://");
  if (u.has_userinfo()) return fail("user and password are not supported");
  if (!u.path().empty() && u.path() != "/") return fail("a database number or path is not supported");
  if (u.has_query() || u.has_fragment()) return fail("no query or fragment expected");
  RedisUrl r;
  r.host = u.host_name().empty() ? std::string(u.host_address()) : std::string(u.host_name());
  if (u.host_type() == boost::urls::host_type::ipv6) r.host = std::string(u.host_address());
  if (r.host.empty()) return fail("no host");
  if (u.host_type() == boost::urls::host_type::name && !is_host_name(u.encoded_host())) {
    return fail("not a host name: " + std::string(u.encoded_host()) + " " + std::string(kHostNameRule));
  }
  if (u.has_port()) {
    const auto p = parse_tcp_port(u.port());
    if (!p) return fail("bad port (1-65535)");
    r.port = *p;
  }
  return r;
}

}  // namespace tickwire::cache::redis
