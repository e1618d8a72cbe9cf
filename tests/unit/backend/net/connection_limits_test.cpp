// The connection caps' bookkeeping: places per address and in total, given back by tickets.
#include <gtest/gtest.h>

#include "net/connection_limits.hpp"

namespace tickwire::net {
namespace {

using Verdict = ConnectionLimits::Verdict;
const auto kA = boost::asio::ip::make_address("127.0.0.1");
const auto kB = boost::asio::ip::make_address("::1");

TEST(ConnectionLimits, EachAddressHasItsOwnPlacesAndTicketsGiveThemBack) {
  ConnectionLimits limits({0, 2});
  ConnectionLimits::Ticket a1, a2, a3, b1;
  EXPECT_EQ(limits.admit(kA, a1), Verdict::admitted);
  EXPECT_EQ(limits.admit(kA, a2), Verdict::admitted);
  EXPECT_EQ(limits.admit(kA, a3), Verdict::over_ip);
  EXPECT_EQ(limits.admit(kB, b1), Verdict::admitted) << "another address is not affected";
  EXPECT_EQ(limits.open(), 3u);
  {
    ConnectionLimits::Ticket moved = std::move(a1);  // a moved ticket holds the place once
    EXPECT_EQ(limits.open(), 3u);
  }
  EXPECT_EQ(limits.open(), 2u);
  EXPECT_EQ(limits.admit(kA, a3), Verdict::admitted);
}

TEST(ConnectionLimits, TheTotalCapCountsEveryAddress) {
  ConnectionLimits limits({2, 0});
  ConnectionLimits::Ticket t1, t2, t3;
  EXPECT_EQ(limits.admit(kA, t1), Verdict::admitted);
  EXPECT_EQ(limits.admit(kB, t2), Verdict::admitted);
  EXPECT_EQ(limits.admit(kA, t3), Verdict::over_total);
  t1 = ConnectionLimits::Ticket{};  // assigning over a ticket gives its place back
  EXPECT_EQ(limits.admit(kA, t3), Verdict::admitted);
  EXPECT_EQ(limits.open(), 2u);
}

TEST(ConnectionLimits, WithoutCapsNothingIsCountedOrRefused) {
  ConnectionLimits limits({0, 0});
  EXPECT_FALSE(limits.enabled());
  std::vector<ConnectionLimits::Ticket> tickets(100);
  for (auto& t : tickets) EXPECT_EQ(limits.admit(kA, t), Verdict::admitted);
  EXPECT_EQ(limits.open(), 0u);
}

}  // namespace
}  // namespace tickwire::net
