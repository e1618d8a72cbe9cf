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

// The simulator's volatility is per unit of time: a listing moves about as much in 5 minutes
// whether it ticks 100 or 5 times a second, and about as much as its daily volatility says
// (sigma * sqrt(300 s / 6.5 h)), not the 7 % in 5 minutes a per-tick step gave NVDA once.
double five_minute_move_sd(int ticks_per_second, int markets) {
  std::vector<double> moves;
  double expected = 0;
  for (int seed = 1; seed <= markets; ++seed) {
    Market m({{"NVDA", "NVIDIA Corporation", 140.0}}, static_cast<std::uint64_t>(seed), 0);
    expected += m.daily_volatility(0);
    const double start = m.quotes()[0].last;
    double last = start;
    const std::int64_t step_us = 1'000'000 / ticks_per_second;
    for (std::int64_t t = step_us; t <= 300'000'000; t += step_us) {
      m.tick(1, t, [&](const Quote& q) { last = q.last; });
    }
    moves.push_back(std::log(last / start));
  }
  double mean = 0, var = 0;
  for (const double x : moves) mean += x;
  mean /= static_cast<double>(moves.size());
  for (const double x : moves) var += (x - mean) * (x - mean);
  const double sd = std::sqrt(var / static_cast<double>(moves.size() - 1));
  const double want = expected / markets * std::sqrt(300.0 / (6.5 * 3600));
  EXPECT_GT(sd, 0.7 * want) << ticks_per_second << " ticks/s";
  EXPECT_LT(sd, 1.3 * want) << ticks_per_second << " ticks/s";
  return sd;
}

TEST(Market, VolatilityIsPerUnitOfTimeAndRealistic) {
  const double fast = five_minute_move_sd(100, 300);
  const double slow = five_minute_move_sd(5, 300);
  EXPECT_NEAR(fast / slow, 1.0, 0.3);
  EXPECT_LT(fast, 0.01);  // about 0.2 %, far from 7 %
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
