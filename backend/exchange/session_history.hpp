// The simulator's answer to GET /v1/bars: one-minute bars for the regular session's length
// (390 minutes) up to the current minute, made up so that they agree with the listing's state:
// a random walk with the listing's volatility, pinned to the day's open at the first minute and
// to the current price at the last (a Brownian bridge in log price), with an intraday U-shaped
// volume. A real feed has its history; the simulator invents one so that a chart opened right
// after start shows a whole session, as it would against a provider.
#pragma once

#include <cstdint>
#include <vector>

#include "tickwire/minute_bars.hpp"

namespace tickwire::exchange {

struct SessionShape {
  double open = 0;              // the price of the first minute
  double last = 0;              // the price now
  double daily_volatility = 0;  // over a 6.5 h session, as a fraction
  std::int64_t now_s = 0;       // Unix seconds
};

// Bars of the `minutes` whole minutes before the one `now_s` falls in, ascending.
std::vector<Bar> session_history(const SessionShape& shape, std::uint64_t seed,
                                 int minutes = 390);

}  // namespace tickwire::exchange
