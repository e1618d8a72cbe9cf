#include <gtest/gtest.h>

#include "cache/demand_table.hpp"

namespace tickwire::cache {
namespace {

using namespace std::chrono_literals;
const auto t0 = DemandTable::Clock::time_point{} + 1h;

TEST(DemandTable, FirstHolderMakesASymbolDemanded) {
  DemandTable d(30s);
  EXPECT_TRUE(d.add("fe1", "AAPL"));
  EXPECT_FALSE(d.add("fe2", "AAPL"));
  EXPECT_FALSE(d.add("fe1", "AAPL"));  // the same frontend twice is one holder
  ASSERT_NE(d.holders("AAPL"), nullptr);
  EXPECT_EQ(d.holders("AAPL")->size(), 2u);
  EXPECT_EQ(d.size(), 1u);
}

TEST(DemandTable, ReleasedSymbolLingersThenExpires) {
  DemandTable d(30s);
  d.add("fe1", "AAPL");
  d.add("fe2", "AAPL");
  d.release("fe1", "AAPL", t0);
  EXPECT_TRUE(d.expire(t0 + 1h).empty());  // fe2 still holds it
  d.release("fe2", "AAPL", t0 + 10s);
  EXPECT_TRUE(d.demanded("AAPL"));
  EXPECT_EQ(d.lingering(), 1u);
  EXPECT_TRUE(d.holders("AAPL")->empty());
  EXPECT_TRUE(d.expire(t0 + 39s).empty());
  EXPECT_EQ(d.expire(t0 + 40s), std::vector<std::string>{"AAPL"});
  EXPECT_FALSE(d.demanded("AAPL"));
  EXPECT_EQ(d.lingering(), 0u);
}

TEST(DemandTable, RenewedDemandCancelsTheLinger) {
  DemandTable d(30s);
  d.add("fe1", "AAPL");
  d.release("fe1", "AAPL", t0);
  EXPECT_FALSE(d.add("fe2", "AAPL"));  // still demanded: no new upstream subscription
  EXPECT_EQ(d.lingering(), 0u);
  EXPECT_TRUE(d.expire(t0 + 1h).empty());
}

TEST(DemandTable, ReleaseOfUnknownSymbolOrHolderIsHarmless) {
  DemandTable d(30s);
  d.release("fe1", "NOPE", t0);
  d.add("fe1", "AAPL");
  d.release("fe9", "AAPL", t0);
  EXPECT_EQ(d.lingering(), 0u);
  EXPECT_EQ(d.holders("AAPL")->size(), 1u);
}

TEST(DemandTable, FrontendGoingAwayReleasesAllItsSymbols) {
  DemandTable d(0s);
  d.add("fe1", "A");
  d.add("fe1", "B");
  d.add("fe2", "B");
  d.release_frontend("fe1", t0);
  auto gone = d.expire(t0);
  EXPECT_EQ(gone, std::vector<std::string>{"A"});
  EXPECT_TRUE(d.demanded("B"));
}

}  // namespace
}  // namespace tickwire::cache
