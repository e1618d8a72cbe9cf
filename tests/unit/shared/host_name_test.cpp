#include "tickwire/host_name.hpp"

#include <gtest/gtest.h>

namespace tickwire {
namespace {

TEST(HostName, NamesAsResolversTakeThem) {
  for (const char* good : {"localhost", "redis-1.internal", "k_1", "A.B.C", "10"}) {
    EXPECT_TRUE(is_host_name(good)) << good;
  }
  // Percent-escapes and sub-delimiters (which Boost.URL admits in a reg-name), spaces, empty.
  for (const char* bad : {"", "k1%90", "a!b", "a$b", "a b", "a;b", "a'b", "h\xc3\xa9"}) {
    EXPECT_FALSE(is_host_name(bad)) << bad;
  }
}

}  // namespace
}  // namespace tickwire
