// The simulator's made-up day (exchange/session_history.hpp): whole, consecutive minutes up to
// now, pinned to the day's open and the current price, with the listing's volatility.
#include "exchange/session_history.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace tickwire::exchange {
namespace {

constexpr std::int64_t kNow = 1'764'873'930;  // 2025-12-04 18:45:30 UTC

TEST(SessionHistory, ASessionOfWholeMinutesEndingBeforeTheCurrentOne) {
  const auto bars = session_history({100, 104, 0.02, kNow}, 7);
  ASSERT_EQ(bars.size(), 390u);
  EXPECT_EQ(bars.back().t, kNow - 30 - 60);  // the minute before the current one
  for (std::size_t i = 0; i < bars.size(); ++i) {
    EXPECT_EQ(bars[i].t % 60, 0);
    if (i) {
      EXPECT_EQ(bars[i].t - bars[i - 1].t, 60);
    }
    EXPECT_LE(bars[i].low, std::min(bars[i].open, bars[i].close));
    EXPECT_GE(bars[i].high, std::max(bars[i].open, bars[i].close));
    EXPECT_GT(bars[i].low, 0);
    EXPECT_GT(bars[i].volume, 0u);
  }
  EXPECT_NEAR(bars.front().open, 100, 0.011);  // the day's open
  EXPECT_NEAR(bars.back().close, 104, 0.011);  // where the live quotes go on
}

TEST(SessionHistory, MovesWithTheListingsVolatility) {
  // The spread of one-minute log returns over many days, against the daily volatility.
  for (const double daily : {0.012, 0.028}) {
    double sum = 0, sq = 0;
    int n = 0;
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
      const auto bars = session_history({100, 100, daily, kNow}, seed);
      for (const auto& b : bars) {
        const double r = std::log(b.close / b.open);
        sum += r;
        sq += r * r;
        ++n;
      }
    }
    const double per_minute = std::sqrt(sq / n - (sum / n) * (sum / n));
    EXPECT_NEAR(per_minute * std::sqrt(390.0), daily, daily * 0.15) << daily;
  }
}

TEST(SessionHistory, TheSameSeedGivesTheSameDayAndBadShapesNone) {
  EXPECT_EQ(session_history({50, 51, 0.02, kNow}, 3), session_history({50, 51, 0.02, kNow}, 3));
  EXPECT_NE(session_history({50, 51, 0.02, kNow}, 3), session_history({50, 51, 0.02, kNow}, 4));
  EXPECT_TRUE(session_history({0, 51, 0.02, kNow}, 3).empty());
  EXPECT_TRUE(session_history({50, -1, 0.02, kNow}, 3).empty());
  EXPECT_TRUE(session_history({50, 51, 0.02, kNow}, 3, 0).empty());
}

}  // namespace
}  // namespace tickwire::exchange
