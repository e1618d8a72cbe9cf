// Claims: what a verified token lets a client see.
#include "auth/claims.hpp"

#include <gtest/gtest.h>

namespace tickwire::auth {
namespace {

TEST(Claims, WithoutASymbolsListEverySymbolIsEntitled) {
  const Claims c{"alice", 1, std::nullopt};
  EXPECT_TRUE(c.entitled("AAPL"));
  EXPECT_TRUE(c.entitled("ZZZZ"));
  EXPECT_TRUE(c.refused({"AAPL", "MSFT", "ZZZZ"}).empty());
}

TEST(Claims, AListEntitlesExactlyItsSymbols) {
  const Claims c{"alice", 1, std::vector<std::string>{"AAPL", "BRK.B", "MSFT"}};
  EXPECT_TRUE(c.entitled("AAPL"));
  EXPECT_TRUE(c.entitled("BRK.B"));
  EXPECT_TRUE(c.entitled("MSFT"));
  EXPECT_FALSE(c.entitled("BRK"));
  EXPECT_FALSE(c.entitled("aapl"));
  EXPECT_FALSE(c.entitled(""));
}

TEST(Claims, RefusedKeepsTheRequestsOrder) {
  const Claims c{"alice", 1, std::vector<std::string>{"AAPL", "MSFT"}};
  EXPECT_EQ(c.refused({"TSLA", "AAPL", "GOOG", "MSFT", "AMZN"}),
            (std::vector<std::string>{"TSLA", "GOOG", "AMZN"}));
  EXPECT_TRUE(c.refused({"MSFT", "AAPL"}).empty());
  EXPECT_TRUE(c.refused({}).empty());
  const Claims nothing{"bob", 1, std::vector<std::string>{}};
  EXPECT_EQ(nothing.refused({"AAPL"}), (std::vector<std::string>{"AAPL"}));
}

}  // namespace
}  // namespace tickwire::auth
