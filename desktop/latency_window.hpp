// End-to-end latency over a sliding window of the most recent samples (now - quote ts).
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace tickwire::desktop {

class LatencyWindow {
 public:
  explicit LatencyWindow(std::size_t capacity = 1024) : capacity_(capacity) {
    samples_.reserve(capacity);
  }
  void add(double ms) {
    if (samples_.size() < capacity_) {
      samples_.push_back(ms);
    } else {
      samples_[next_] = ms;
    }
    next_ = (next_ + 1) % capacity_;
  }
  // Nearest-rank percentile (0..100) of the window; 0 when empty.
  double percentile(double p) const {
    if (samples_.empty()) return 0;
    std::vector<double> sorted = samples_;
    const auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(sorted.size() - 1) + 0.5);
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(rank), sorted.end());
    return sorted[rank];
  }
  void clear() {
    samples_.clear();
    next_ = 0;
  }

 private:
  std::size_t capacity_;
  std::vector<double> samples_;
  std::size_t next_ = 0;
};

}  // namespace tickwire::desktop
