#include "tickwire/tcp_port.hpp"

#include <gtest/gtest.h>

namespace tickwire {
namespace {

TEST(TcpPort, OneTo65535InDigits) {
  EXPECT_EQ(parse_tcp_port("1"), 1);
  EXPECT_EQ(parse_tcp_port("8080"), 8080);
  EXPECT_EQ(parse_tcp_port("65535"), 65535);
  EXPECT_EQ(parse_tcp_port("00080"), 80);
  // Boost.URL's port_number() wraps 99999 to 34463: refused here.
  for (const char* bad : {"", "0", "65536", "99999", "100000", "-1", "+1", " 1", "1 ", "8o", "0x50"}) {
    EXPECT_FALSE(parse_tcp_port(bad)) << bad;
  }
}

}  // namespace
}  // namespace tickwire
