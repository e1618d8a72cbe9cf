#include "symbol_picker.hpp"

#include <algorithm>
#include <unordered_set>

namespace tickwire::bench {

SymbolPicker::SymbolPicker(std::vector<std::string> universe, Distribution dist,
                           std::uint64_t seed)
    : universe_(std::move(universe)), dist_(dist), seed_(seed) {
  double sum = 0;
  for (std::size_t i = 0; i < universe_.size(); ++i) {
    sum += 1.0 / static_cast<double>(i + 1);
    cumulative_.push_back(sum);
  }
}

std::vector<std::string> SymbolPicker::pick(std::size_t index, std::size_t count) const {
  count = std::min(count, universe_.size());
  std::mt19937_64 rng(seed_ * 1'000'003 + index);
  std::unordered_set<std::size_t> chosen;
  std::vector<std::string> out;
  while (out.size() < count) {
    std::size_t i;
    if (dist_ == Distribution::uniform) {
      i = std::uniform_int_distribution<std::size_t>(0, universe_.size() - 1)(rng);
    } else {
      const double r = std::uniform_real_distribution<double>(0, cumulative_.back())(rng);
      i = static_cast<std::size_t>(
          std::lower_bound(cumulative_.begin(), cumulative_.end(), r) - cumulative_.begin());
      i = std::min(i, universe_.size() - 1);
    }
    if (chosen.insert(i).second) out.push_back(universe_[i]);
  }
  return out;
}

}  // namespace tickwire::bench
