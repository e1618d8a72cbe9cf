// Finnhub's real-time trades WebSocket and the two REST documents the adapter uses (quote,
// stock symbols), as far as Tickwire reads and writes them. Parsing never throws; what does not
// fit is counted by the caller, not guessed at.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dispatch/upstream/provider_quote_book.hpp"
#include "tickwire/minute_bars.hpp"
#include "tickwire/symbol_directory.hpp"

namespace tickwire::dispatch::finnhub {

struct Trade {
  std::string symbol;
  double price = 0;
  std::uint64_t size = 0;
  std::int64_t ts = 0;  // µs since the epoch
};

struct Parsed {
  enum class Kind { trades, ping, error, unknown, malformed } kind = Kind::malformed;
  std::vector<Trade> trades;
  std::size_t bad_trades = 0;  // entries of a trade message that could not be read
  std::string error;           // Kind::error: the provider's message
};
Parsed parse_stream(std::string_view text);

std::string subscription_message(bool subscribe, std::string_view symbol);

// GET /quote?symbol=S: {"c","d","dp","h","l","o","pc","t"}. Finnhub answers an unknown symbol
// with zeros: nullopt then, as for a malformed body.
std::optional<ProviderQuoteBook::Day> parse_quote(std::string_view body, std::string* error);

// GET /stock/symbol?exchange=US: the symbols Tickwire accepts, sorted by symbol.
// GET {api}/stock/candle?symbol=S&resolution=1&from=..&to=..: one-minute candles as parallel
// arrays ({"s":"ok","t":[...],"o":[...],"h":[...],"l":[...],"c":[...],"v":[...]}); "no_data"
// is an empty list. Arrays of different lengths are an error; candles that are not whole,
// sane minutes are left out.
std::optional<std::vector<Bar>> parse_candles(std::string_view body, std::string* error);

std::optional<std::vector<SymbolInfo>> parse_symbols(std::string_view body, std::string* error);

}  // namespace tickwire::dispatch::finnhub
