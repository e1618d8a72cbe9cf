// Reconnect delays: exponential (250 ms doubling to 8 s), each drawn from half to all of the
// current step, so many clients do not reconnect in lockstep.
#pragma once

#include <algorithm>
#include <random>

namespace tickwire::desktop {

class Backoff {
 public:
  int next_ms() {
    step_ = std::clamp(step_ * 2, kInitialMs, kMaxMs);
    std::uniform_int_distribution<int> jitter(step_ / 2, step_);
    return jitter(rng_);
  }
  void reset() { step_ = 0; }

 private:
  static constexpr int kInitialMs = 250;
  static constexpr int kMaxMs = 8000;
  int step_ = 0;
  std::minstd_rand rng_{std::random_device{}()};
};

}  // namespace tickwire::desktop
