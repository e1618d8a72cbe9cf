// The simulated market behind the exchange: every listing's price moves as a random walk in
// time (geometric Brownian motion with a daily volatility of 1.2-2.8 %, drawn per listing, so a
// 5-minute move is about 0.1-0.25 %, as for a large US stock on a quiet day), whatever its tick
// rate: a step's size follows the time since that listing last ticked, not the tick count. The
// walk runs on an exact price; quotes show it in cents. A spread and sizes scale with price, and
// volume grows with each trade. Which symbol ticks next is drawn by popularity (a Zipf-like weight on
// the listing's rank), so AAPL ticks far more often than a synthetic listing at rank 4,000.
// Single-threaded: owned by the exchange's thread.
//
// Sequence numbers start at the market's opening time in microseconds, not at 1, so they keep
// increasing across simulator restarts as a real feed's do (a symbol would have to tick more
// than a million times a second to run into the next start). Every tier refuses quotes whose
// seq goes backwards; a simulator that restarted at 1 would be ignored until it caught up.
// The values stay below 2^53, so JavaScript clients read them exactly.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "exchange/universe.hpp"
#include "tickwire/quote.hpp"

namespace tickwire::exchange {

class Market {
 public:
  // Each symbol's quotes are numbered from `first_seq` (0: from open_ts_us, so that a market
  // opened later numbers above this one).
  Market(std::vector<Listing> listings, std::uint64_t seed, std::int64_t open_ts_us,
         std::uint64_t first_seq = 0);

  // Advances `n` ticks stamped `ts_us`, calling `emit` with each changed quote.
  void tick(std::size_t n, std::int64_t ts_us, const std::function<void(const Quote&)>& emit);

  const std::vector<Listing>& listings() const noexcept { return listings_; }
  const std::vector<Quote>& quotes() const noexcept { return quotes_; }
  double daily_volatility(std::size_t i) const noexcept { return volatility_[i]; }

 private:
  void step(std::size_t i, std::int64_t ts_us);
  // The daily volatility drawn for a listing, as a fraction (0.012 .. 0.028).
  static constexpr double kMinDailyVolatility = 0.012, kMaxDailyVolatility = 0.028;
  static constexpr double kSessionSeconds = 6.5 * 3600;  // the volatility is per regular session

  std::vector<Listing> listings_;
  std::vector<Quote> quotes_;
  std::vector<double> cumulative_weight_;
  std::vector<double> price_;       // the exact price each quote's `last` rounds
  std::vector<double> volatility_;  // per session, as a fraction
  std::mt19937_64 rng_;
  std::normal_distribution<double> normal_{0.0, 1.0};
  std::uniform_real_distribution<double> unit_{0.0, 1.0};
};

}  // namespace tickwire::exchange
