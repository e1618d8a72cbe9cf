// One-minute OHLCV bars of one symbol, built from its quotes (the intraday chart's data).
//
// A bar covers [t, t + 60 s) of exchange time (the quotes' `ts`); its volume is what the day's
// cumulative volume grew by within the minute, so a bar is exact from the second quote on. The
// series keeps the last kWindow of bars (a trading day and its extended hours fit in it) and
// never more than kMaxBars, so memory per symbol is bounded whatever the feed sends.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "tickwire/quote.hpp"

namespace tickwire {

struct Bar {
  std::int64_t t = 0;  // start of the minute, seconds since the Unix epoch (a multiple of 60)
  double open = 0;
  double high = 0;
  double low = 0;
  double close = 0;
  std::uint64_t volume = 0;  // shares traded within the minute

  friend bool operator==(const Bar&, const Bar&) = default;
};

// Whether `b` is a bar: `t` a whole minute, prices positive and finite, low and high bounding
// open and close. Bounds off by float noise (a relative 1e-12: a JSON parser that reads 15
// significant digits, as Boost.JSON 1.81 does) are taken as equal and `b` is fixed to that.
bool sane_bar(Bar& b);

// The start of the minute holding `ts_us` (microseconds since the epoch), in seconds.
std::int64_t bar_minute(std::int64_t ts_us);

class MinuteBars {
 public:
  static constexpr std::int64_t kWindow = 24 * 60 * 60;  // seconds of bars kept
  static constexpr std::size_t kMaxBars = kWindow / 60;

  // Folds one quote into its minute's bar. Returns false, changing nothing, for a quote of a
  // minute older than the kept window or one with a price that is not a positive finite number.
  // A quote of an earlier minute than the newest bar (late delivery) widens that bar's high and
  // low but does not move its close.
  bool add(const Quote& q);
  // Adds bars from another source (a provider's history) where this series has none; bars of
  // minutes it already has are left alone, since quotes seen here are the fresher record.
  void merge(std::span<const Bar> bars);

  const std::deque<Bar>& bars() const noexcept { return bars_; }
  bool empty() const noexcept { return bars_.empty(); }
  // The bars starting at or after `t` (seconds).
  std::vector<Bar> since(std::int64_t t) const;
  // Forgets the bars starting before `t`. The volume baseline stays, so the next quote's bar
  // still counts only what traded since the last quote.
  void drop_before(std::int64_t t);

 private:
  void prune();

  std::deque<Bar> bars_;  // ascending t, no two with the same t
  std::uint64_t day_volume_ = 0;  // the cumulative volume of the last quote folded in
  bool has_volume_ = false;
};

// Folds `incoming` into `kept` (both ascending by t): a bar of a minute both have is replaced by
// the incoming one, the rest are kept, and the result is cut to MinuteBars' window counted back
// from its newest bar. What every store of bars does with a dispatcher's updates.
void replace_bars(std::deque<Bar>& kept, std::span<const Bar> incoming);

}  // namespace tickwire
