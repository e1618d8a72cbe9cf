#include "tickwire/minute_bars.hpp"

#include <algorithm>
#include <cmath>

namespace tickwire {

namespace {

bool before(const Bar& b, std::int64_t t) { return b.t < t; }

void cut_to_window(std::deque<Bar>& bars) {
  if (bars.empty()) return;
  const std::int64_t oldest = bars.back().t - MinuteBars::kWindow + 60;
  while (!bars.empty() && bars.front().t < oldest) bars.pop_front();
  while (bars.size() > MinuteBars::kMaxBars) bars.pop_front();
}

}  // namespace

bool sane_bar(Bar& b) {
  for (const double p : {b.open, b.high, b.low, b.close}) {
    if (!std::isfinite(p) || !(p > 0)) return false;
  }
  if (b.t % 60 != 0) return false;
  const double lo = std::min(b.open, b.close), hi = std::max(b.open, b.close);
  constexpr double kNoise = 1e-12;
  if (b.low > lo * (1 + kNoise) || b.high < hi * (1 - kNoise)) return false;
  b.low = std::min(b.low, lo);
  b.high = std::max(b.high, hi);
  return true;
}

std::int64_t bar_minute(std::int64_t ts_us) {
  const std::int64_t s = ts_us / 1'000'000 - (ts_us % 1'000'000 < 0 ? 1 : 0);
  return s - ((s % 60) + 60) % 60;
}

bool MinuteBars::add(const Quote& q) {
  if (!std::isfinite(q.last) || q.last <= 0) return false;
  const std::int64_t t = bar_minute(q.ts);
  if (!bars_.empty() && t <= bars_.back().t - kWindow) return false;

  // The volume this quote adds: the growth of the day's volume since the last quote. A fall
  // means a new trading day (or a restarted feed): the new figure is the baseline.
  std::uint64_t traded = 0;
  if (q.has(Quote::kVolume)) {
    if (has_volume_ && q.volume >= day_volume_) traded = q.volume - day_volume_;
    day_volume_ = q.volume;
    has_volume_ = true;
  }

  if (bars_.empty() || t > bars_.back().t) {
    bars_.push_back(Bar{t, q.last, q.last, q.last, q.last, traded});
    prune();
    return true;
  }
  const auto it = std::lower_bound(bars_.begin(), bars_.end(), t, before);
  if (it == bars_.end() || it->t != t) {
    bars_.insert(it, Bar{t, q.last, q.last, q.last, q.last, traded});  // a minute that had none
    prune();
    return true;
  }
  it->high = std::max(it->high, q.last);
  it->low = std::min(it->low, q.last);
  if (&*it == &bars_.back()) it->close = q.last;
  it->volume += traded;
  return true;
}

void MinuteBars::merge(std::span<const Bar> bars) {
  for (Bar b : bars) {
    if (!sane_bar(b)) continue;
    const auto it = std::lower_bound(bars_.begin(), bars_.end(), b.t, before);
    if (it != bars_.end() && it->t == b.t) continue;
    bars_.insert(it, b);
  }
  prune();
}

std::vector<Bar> MinuteBars::since(std::int64_t t) const {
  const auto it = std::lower_bound(bars_.begin(), bars_.end(), t, before);
  return {it, bars_.end()};
}

void MinuteBars::drop_before(std::int64_t t) {
  while (!bars_.empty() && bars_.front().t < t) bars_.pop_front();
}

void MinuteBars::prune() { cut_to_window(bars_); }

void replace_bars(std::deque<Bar>& kept, std::span<const Bar> incoming) {
  for (const auto& b : incoming) {
    const auto it = std::lower_bound(kept.begin(), kept.end(), b.t, before);
    if (it != kept.end() && it->t == b.t) {
      *it = b;
    } else {
      kept.insert(it, b);
    }
  }
  cut_to_window(kept);
}

}  // namespace tickwire
