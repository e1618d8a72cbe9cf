#include "tickwire/host_name.hpp"

#include <gtest/gtest.h>

namespace tickwire {
namespace {

TEST(HostName, NamesAsResolversTakeThem) {
  for (const char* good : {"localhost", "redis-1.internal", "k_1", "A.B.C", "10.internal",
                           "kafka-0.", "0xdead.beef1", "1a"}) {
    EXPECT_TRUE(is_host_name(good)) << good;
  }
  // What the resolver reads as an IPv4 address in a short form: 0.0.0.10, 127.0.0.1, ...
  for (const char* numeric : {"10", "127.1", "10.0.1", "0x7f.1", "0X7F", "017.", "a.2"}) {
    EXPECT_FALSE(is_host_name(numeric)) << numeric;
  }
  // Percent-escapes and sub-delimiters (which Boost.URL admits in a reg-name), spaces, empty.
  for (const char* bad : {"", "k1%90", "a!b", "a$b", "a b", "a;b", "a'b", "h\xc3\xa9"}) {
    EXPECT_FALSE(is_host_name(bad)) << bad;
  }
}

}  // namespace
}  // namespace tickwire
