// Wall-clock time in the unit quotes carry (`ts`): microseconds since the Unix epoch. Used to
// stamp quotes at the exchange and to measure end-to-end latency wherever they are received.
#pragma once

#include <chrono>
#include <cstdint>

namespace tickwire {

inline std::int64_t unix_micros_now() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace tickwire
