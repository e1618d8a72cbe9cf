#include "exchange/session_history.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "exchange/cents.hpp"

namespace tickwire::exchange {

std::vector<Bar> session_history(const SessionShape& shape, std::uint64_t seed, int minutes) {
  std::vector<Bar> bars;
  if (minutes <= 0 || !(shape.open > 0) || !(shape.last > 0)) return bars;
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const double sigma = shape.daily_volatility / std::sqrt(390.0);  // per minute, in log price

  // A walk of `minutes` steps, bent to end where the price is now.
  std::vector<double> walk(static_cast<std::size_t>(minutes) + 1, 0.0);
  for (std::size_t k = 1; k < walk.size(); ++k) walk[k] = walk[k - 1] + sigma * normal(rng);
  const double target = std::log(shape.last / shape.open);
  const double n = static_cast<double>(minutes);
  for (std::size_t k = 0; k < walk.size(); ++k) {
    walk[k] -= static_cast<double>(k) / n * (walk.back() - target);
  }

  const std::int64_t current = shape.now_s - ((shape.now_s % 60) + 60) % 60;
  bars.reserve(static_cast<std::size_t>(minutes));
  for (int k = 0; k < minutes; ++k) {
    const double o = to_cents(shape.open * std::exp(walk[static_cast<std::size_t>(k)]));
    const double c = to_cents(shape.open * std::exp(walk[static_cast<std::size_t>(k) + 1]));
    const double wick = shape.open * sigma * 0.5;
    const double h = to_cents(std::max(o, c) + wick * unit(rng));
    const double l = to_cents(std::max(0.01, std::min(o, c) - wick * unit(rng)));
    // Busy at the open and the close, quiet at lunch.
    const double x = static_cast<double>(k) / n;
    const double busy = 1 + 3 * (x - 0.5) * (x - 0.5) * 4;
    const auto v = static_cast<std::uint64_t>(100 * std::round(busy * (20 + 80 * unit(rng))));
    bars.push_back(Bar{current - static_cast<std::int64_t>(minutes - k) * 60, o, h, l, c, v});
  }
  return bars;
}

}  // namespace tickwire::exchange
