#include "cache/redis/redis_url.hpp"

#include <gtest/gtest.h>

namespace tickwire::cache::redis {
namespace {

TEST(RedisUrl, ParsesHostAndPort) {
  std::string why;
  auto u = parse_redis_url("redis://10.0.0.10:6380", &why);
  ASSERT_TRUE(u) << why;
  EXPECT_EQ(u->host, "10.0.0.10");
  EXPECT_EQ(u->port, 6380);
  EXPECT_EQ(u->str(), "redis://10.0.0.10:6380");
  u = parse_redis_url("redis://cache.internal", &why);
  ASSERT_TRUE(u) << why;
  EXPECT_EQ(u->host, "cache.internal");
  EXPECT_EQ(u->port, 6379);  // Redis's own default
  u = parse_redis_url("redis://[::1]:7000", &why);
  ASSERT_TRUE(u) << why;
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 7000);
}

TEST(RedisUrl, RejectsWhatItCannotHonourWithAReason) {
  for (const char* bad : {"", "localhost:6379", "http://127.0.0.1:6379", "redis://", "redis://:6379",
                          "redis://u:p@127.0.0.1:6379", "redis://127.0.0.1:6379/3",
                          "redis://127.0.0.1:0", "redis://127.0.0.1:99999", "redis://127.0.0.1:65536",
                          "redis://127.0.0.1:6379?db=1", "redis://k1%90:6379", "redis://a!b:6379"}) {
    std::string why;
    EXPECT_FALSE(parse_redis_url(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

// The resolver would read "10" as 0.0.0.10 and "127.1" as 127.0.0.1: refused, and said why.
TEST(RedisUrl, AShortFormAddressIsRefusedAsAName) {
  for (const char* short_form : {"redis://10:6379", "redis://127.1:6379", "redis://0x7f.1:6379"}) {
    std::string why;
    EXPECT_FALSE(parse_redis_url(short_form, &why)) << short_form;
    EXPECT_NE(why.find("in full"), std::string::npos) << why;
  }
  std::string why;
  EXPECT_TRUE(parse_redis_url("redis://redis-10.internal:6379", &why)) << why;
}

}  // namespace
}  // namespace tickwire::cache::redis
