#include <gtest/gtest.h>

#include "net/upstream_url.hpp"

namespace tickwire::net {
namespace {

TEST(UpstreamUrl, ParsesHostPortAndPrefix) {
  std::string why;
  auto u = parse_upstream_url("http://127.0.0.1:9000/feed/", &why);
  ASSERT_TRUE(u) << why;
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "9000");
  EXPECT_EQ(u->path_prefix, "/feed");
  u = parse_upstream_url("http://[::1]", &why);
  ASSERT_TRUE(u) << why;
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "80");
  for (const char* bad : {"", "localhost:80", "https://x", "ftp://x", "http://x/?a=b", "http://"}) {
    EXPECT_FALSE(parse_upstream_url(bad, &why)) << bad;
  }
}

}  // namespace
}  // namespace tickwire::net
