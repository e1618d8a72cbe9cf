// Access: what a client's token lets its connection see (the frontend fills it from the
// token's claims).
#include "stream/access.hpp"

#include <gtest/gtest.h>

namespace tickwire::stream {
namespace {

TEST(Access, WithoutASymbolsListEverySymbolIsEntitled) {
  const Access c{"alice", 1, nullptr};
  EXPECT_TRUE(c.entitled("AAPL"));
  EXPECT_TRUE(c.entitled("ZZZZ"));
  EXPECT_TRUE(c.refused({"AAPL", "MSFT", "ZZZZ"}).empty());
}

TEST(Access, AListEntitlesExactlyItsSymbols) {
  const Access c{"alice", 1, std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"AAPL", "BRK.B", "MSFT"})};
  EXPECT_TRUE(c.entitled("AAPL"));
  EXPECT_TRUE(c.entitled("BRK.B"));
  EXPECT_TRUE(c.entitled("MSFT"));
  EXPECT_FALSE(c.entitled("BRK"));
  EXPECT_FALSE(c.entitled("aapl"));
  EXPECT_FALSE(c.entitled(""));
}

TEST(Access, RefusedKeepsTheRequestsOrder) {
  const Access c{"alice", 1, std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"AAPL", "MSFT"})};
  EXPECT_EQ(c.refused({"TSLA", "AAPL", "GOOG", "MSFT", "AMZN"}),
            (std::vector<std::string>{"TSLA", "GOOG", "AMZN"}));
  EXPECT_TRUE(c.refused({"MSFT", "AAPL"}).empty());
  EXPECT_TRUE(c.refused({}).empty());
  const Access nothing{"bob", 1, std::make_shared<const std::vector<std::string>>(std::vector<std::string>{})};
  EXPECT_EQ(nothing.refused({"AAPL"}), (std::vector<std::string>{"AAPL"}));
}

}  // namespace
}  // namespace tickwire::stream

namespace tickwire::stream {
namespace {

TEST(Access, ExpiresAtItsExpAndNeverWithoutOne) {
  const Access timed{"alice", 1000, nullptr};
  EXPECT_FALSE(timed.expired(999));
  EXPECT_TRUE(timed.expired(1000));
  EXPECT_FALSE(Access{}.expired(1'000'000'000'000));
}

TEST(Access, TheExpiredStatusIsAnSseEventAndAWebSocketMessage) {
  const auto st = expired_status();
  EXPECT_NE(st->json.find(R"("state":"expired")"), std::string::npos);
  EXPECT_EQ(st->sse.rfind("event: status\n", 0), 0u) << st->sse;
  EXPECT_NE(st->ws.find(R"("type":"status")"), std::string::npos);
}

}  // namespace
}  // namespace tickwire::stream
