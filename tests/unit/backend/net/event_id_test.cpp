#include <gtest/gtest.h>

#include "net/event_id.hpp"
#include "net/upstream_url.hpp"

namespace tickwire::net {
namespace {

TEST(EventId, RoundTripsAndRejectsGarbage) {
  const EventId id{123456789, 42};
  const auto back = EventId::parse(id.str());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->epoch, 123456789u);
  EXPECT_EQ(back->n, 42u);
  for (const char* bad : {"", "42", ".", "1.", ".1", "a.b", "1.2.3", "1.-2", "99999999999999999999.1"}) {
    EXPECT_FALSE(EventId::parse(bad)) << bad;
  }
}

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
