// Checks shared by fuzz_alpaca_messages and fuzz_finnhub_messages: what the adapters do with a
// parsed message (ProviderQuoteBook, then the shared quote codec) must give quotes that every
// client can read.
#pragma once

#include <cmath>
#include <optional>
#include <string>

#include <algorithm>
#include <vector>

#include "fuzz_check.hpp"
#include "tickwire/bar_json.hpp"
#include "tickwire/minute_bars.hpp"
#include "tickwire/quote.hpp"
#include "tickwire/quote_json.hpp"
#include "tickwire/symbol.hpp"

namespace fuzz {

// A quote the dispatcher would publish: a valid symbol, and JSON the clients' decoder accepts.
inline void check_published(const std::optional<tickwire::Quote>& q) {
  if (!q) return;
  FUZZ_CHECK(tickwire::is_valid_symbol(q->symbol));
  FUZZ_CHECK(tickwire::decode_quote(tickwire::encode_quote(*q)).has_value());
}

inline bool finite(double d) { return std::isfinite(d); }

// Bars from a provider's history, as the dispatcher backfills them: whole minutes, ascending,
// sane prices; merged into a series they keep it ordered and bounded; served, they encode to
// JSON that decode_bars gives back.
inline void check_history(const std::vector<tickwire::Bar>& bars) {
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    FUZZ_CHECK(b.t > 0 && b.t % 60 == 0);
    FUZZ_CHECK(b.low > 0 && b.low <= std::min(b.open, b.close));
    FUZZ_CHECK(b.high >= std::max(b.open, b.close) && finite(b.high));
    if (i > 0) FUZZ_CHECK(bars[i - 1].t < b.t);
  }
  tickwire::MinuteBars series;
  series.merge(bars);
  FUZZ_CHECK(series.bars().size() <= std::min(bars.size(), tickwire::MinuteBars::kMaxBars));
  const auto doc = tickwire::decode_bars(tickwire::encode_bars("AAPL", 0, bars));
  FUZZ_CHECK(doc && doc->bars.size() == bars.size());
}

}  // namespace fuzz
