// --cache redis://HOST:PORT: where the Redis cache tier is.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tickwire::cache::redis {

struct RedisUrl {
  std::string host;
  int port = 6379;
  std::string str() const { return "redis://" + host + ":" + std::to_string(port); }
};

// redis://host[:port] with host a name, an IPv4 address or a bracketed IPv6 address; nullopt
// and `why` otherwise (no user, password, database or path: not supported yet).
std::optional<RedisUrl> parse_redis_url(std::string_view url, std::string* why);

}  // namespace tickwire::cache::redis
