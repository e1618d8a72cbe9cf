// Prices as the simulator quotes them: whole cents, never below one cent.
#pragma once

#include <algorithm>
#include <cmath>

namespace tickwire::exchange {

inline double to_cents(double p) { return std::max(0.01, std::round(p * 100) / 100); }

}  // namespace tickwire::exchange
