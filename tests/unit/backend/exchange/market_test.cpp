#include <gtest/gtest.h>

#include <map>
#include <set>

#include "exchange/market.hpp"
#include "exchange/universe.hpp"
#include "tickwire/symbol.hpp"

namespace tickwire::exchange {
namespace {

TEST(Universe, RealTickersFirstThenSyntheticUpToSize) {
  const auto u = make_universe(5000, 7);
  ASSERT_EQ(u.size(), 5000u);
  EXPECT_GE(real_listing_count(), 100u);
  EXPECT_EQ(u[0].symbol, "AAPL");
  EXPECT_EQ(u[0].name, "Apple Inc.");
  std::set<std::string> seen;
  for (const auto& l : u) {
    EXPECT_TRUE(is_valid_symbol(l.symbol)) << l.symbol;
    EXPECT_TRUE(seen.insert(l.symbol).second) << "duplicate " << l.symbol;
    EXPECT_FALSE(l.name.empty());
    EXPECT_GT(l.reference_price, 0);
  }
  EXPECT_EQ(make_universe(5000, 7)[4000].symbol, u[4000].symbol);  // deterministic
  EXPECT_EQ(make_universe(10, 7).size(), real_listing_count());    // never drops real ones
}

TEST(Market, TicksMovePricesConsistently) {
  Market m(make_universe(500, 1), 1, 1000);
  std::map<std::string, std::uint64_t> last_seq;
  std::size_t n = 0;
  m.tick(20000, 2000, [&](const Quote& q) {
    ++n;
    EXPECT_GT(q.seq, last_seq[q.symbol]) << q.symbol;
    last_seq[q.symbol] = q.seq;
    EXPECT_EQ(q.ts, 2000);
    EXPECT_GT(q.last, 0);
    EXPECT_LT(q.bid, q.ask);
    EXPECT_LE(q.low, q.last);
    EXPECT_GE(q.high, q.last);
    EXPECT_NEAR(q.change, q.last - q.prev_close, 0.006);
  });
  EXPECT_EQ(n, 20000u);
}

TEST(Market, SequenceKeepsIncreasingAcrossRestarts) {
  // A market opened later (a restarted simulator) continues above the earlier one's numbers.
  Market first(make_universe(200, 1), 1, 1'000'000);
  std::uint64_t highest = 0;
  first.tick(50'000, 2'000'000, [&](const Quote& q) { highest = std::max(highest, q.seq); });
  Market restarted(make_universe(200, 1), 1, 3'000'000);
  for (const auto& q : restarted.quotes()) EXPECT_GT(q.seq, highest) << q.symbol;
}

TEST(Market, PopularSymbolsTickMoreOften) {
  Market m(make_universe(5000, 1), 1, 0);
  std::map<std::string, int> count;
  m.tick(200000, 1, [&](const Quote& q) { ++count[q.symbol]; });
  const auto& listings = m.listings();
  EXPECT_GT(count[listings[0].symbol], 20 * std::max(1, count[listings[4000].symbol]));
}

}  // namespace
}  // namespace tickwire::exchange
