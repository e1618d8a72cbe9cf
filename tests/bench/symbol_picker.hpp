// Which symbols each simulated client follows: S distinct symbols of a universe of U, drawn
// uniformly or by popularity (Zipf, exponent 1: a few symbols are in most watchlists), from a
// seed, so both systems and every rerun get the same subscriptions.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace tickwire::bench {

class SymbolPicker {
 public:
  enum class Distribution { uniform, zipf };
  SymbolPicker(std::vector<std::string> universe, Distribution dist, std::uint64_t seed);
  // The symbols of client `index` (the same for the same seed and index).
  std::vector<std::string> pick(std::size_t index, std::size_t count) const;
  const std::vector<std::string>& universe() const noexcept { return universe_; }

 private:
  std::vector<std::string> universe_;
  Distribution dist_;
  std::uint64_t seed_;
  std::vector<double> cumulative_;  // zipf: cumulative weights
};

}  // namespace tickwire::bench
