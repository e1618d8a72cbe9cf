#include "exchange/market.hpp"

#include <algorithm>
#include <cmath>

#include "exchange/cents.hpp"

namespace tickwire::exchange {

namespace {
// A listing that has not ticked for longer moves as if it had been this long at most (a
// simulator started or paused long ago does not jump).
constexpr double kMaxStepSeconds = 60;
// Nor less: ticks stamped alike (a burst in one millisecond) still move a little.
constexpr double kMinStepSeconds = 0.001;
}  // namespace

Market::Market(std::vector<Listing> listings, std::uint64_t seed, std::int64_t open_ts_us,
               std::uint64_t first_seq)
    : listings_(std::move(listings)), rng_(seed) {
  quotes_.reserve(listings_.size());
  cumulative_weight_.reserve(listings_.size());
  price_.reserve(listings_.size());
  volatility_.reserve(listings_.size());
  double acc = 0;
  for (std::size_t rank = 0; rank < listings_.size(); ++rank) {
    const auto& l = listings_[rank];
    Quote q;
    q.symbol = l.symbol;
    q.ts = open_ts_us;
    q.prev_close = l.reference_price;
    // The day opened a little away from yesterday's close.
    q.open = to_cents(l.reference_price * (1 + 0.01 * normal_(rng_)));
    q.last = q.high = q.low = q.open;
    q.change = std::round((q.last - q.prev_close) * 100) / 100;
    q.change_pct = std::round(10000 * (q.last - q.prev_close) / q.prev_close) / 100;
    q.volume = 100 * static_cast<std::uint64_t>(1 + unit_(rng_) * 1000);
    q.seq = first_seq ? first_seq : static_cast<std::uint64_t>(open_ts_us);
    const double spread = std::max(0.01, to_cents(q.last * 0.0003));
    q.bid = to_cents(q.last - spread / 2);
    q.ask = to_cents(q.bid + spread);
    q.bid_size = q.ask_size = 100;
    price_.push_back(q.last);
    volatility_.push_back(kMinDailyVolatility +
                          (kMaxDailyVolatility - kMinDailyVolatility) * unit_(rng_));
    quotes_.push_back(std::move(q));
    acc += 1.0 / (static_cast<double>(rank) + 10.0);  // Zipf-like, flattened at the top
    cumulative_weight_.push_back(acc);
  }
}

void Market::tick(std::size_t n, std::int64_t ts_us,
                  const std::function<void(const Quote&)>& emit) {
  if (quotes_.empty()) return;
  const double total = cumulative_weight_.back();
  for (std::size_t i = 0; i < n; ++i) {
    const double r = unit_(rng_) * total;
    const auto idx = static_cast<std::size_t>(
        std::upper_bound(cumulative_weight_.begin(), cumulative_weight_.end(), r) -
        cumulative_weight_.begin());
    const auto at = std::min(idx, quotes_.size() - 1);
    step(at, ts_us);
    emit(quotes_[at]);
  }
}

void Market::step(std::size_t i, std::int64_t ts_us) {
  Quote& q = quotes_[i];
  const double dt = std::clamp(static_cast<double>(ts_us - q.ts) / 1e6, kMinStepSeconds,
                               kMaxStepSeconds);
  const double sigma = volatility_[i] * std::sqrt(dt / kSessionSeconds);
  // Geometric Brownian motion without drift: the -sigma^2/2 keeps the expected price unchanged.
  price_[i] *= std::exp(sigma * normal_(rng_) - sigma * sigma / 2);
  ++q.seq;
  q.ts = ts_us;
  q.last = to_cents(price_[i]);
  q.high = std::max(q.high, q.last);
  q.low = std::min(q.low, q.last);
  // Spread about 3 basis points, never under a cent; sizes in round lots.
  const double spread = std::max(0.01, to_cents(q.last * 0.0003 * (0.5 + unit_(rng_))));
  q.bid = to_cents(q.last - spread / 2);
  q.ask = to_cents(q.bid + spread);
  q.bid_size = 100 * static_cast<std::uint32_t>(1 + unit_(rng_) * 30);
  q.ask_size = 100 * static_cast<std::uint32_t>(1 + unit_(rng_) * 30);
  q.volume += 100 * static_cast<std::uint64_t>(1 + unit_(rng_) * 20);
  q.change = std::round((q.last - q.prev_close) * 100) / 100;
  q.change_pct = std::round(10000 * (q.last - q.prev_close) / q.prev_close) / 100;
}

}  // namespace tickwire::exchange
