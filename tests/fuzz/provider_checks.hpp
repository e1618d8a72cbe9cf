// Checks shared by fuzz_alpaca_messages and fuzz_finnhub_messages: what the adapters do with a
// parsed message (ProviderQuoteBook, then the shared quote codec) must give quotes that every
// client can read.
#pragma once

#include <cmath>
#include <optional>
#include <string>

#include "fuzz_check.hpp"
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

}  // namespace fuzz
