// Alpaca's market-data API v2, as far as Tickwire reads and writes it (JSON, not MessagePack):
// the stream's messages (arrays of objects tagged by "T") and the two REST documents the adapter
// uses (stock snapshots, assets). Parsing never throws; what does not fit is counted by the
// caller, not guessed at.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dispatch/upstream/provider_quote_book.hpp"
#include "tickwire/minute_bars.hpp"
#include "tickwire/symbol_directory.hpp"

namespace tickwire::dispatch::alpaca {

struct Success {
  std::string msg;  // "connected", "authenticated"
};
struct Error {
  int code = 0;  // 400..500, see AlpacaAdapter for what each means to us
  std::string msg;
};
struct Subscription {  // the session's whole current subscription, after every change
  std::vector<std::string> trades, quotes;
};
struct QuoteMessage {
  std::string symbol;
  double bid = 0, ask = 0;
  std::uint32_t bid_size = 0, ask_size = 0;
  std::int64_t ts = 0;  // µs since the epoch
};
struct TradeMessage {
  std::string symbol;
  double price = 0;
  std::uint64_t size = 0;
  std::int64_t ts = 0;
};
using Message = std::variant<Success, Error, Subscription, QuoteMessage, TradeMessage>;

struct Parsed {
  std::vector<Message> messages;
  std::size_t unknown = 0;    // well-formed, of a type we do not use (bars, statuses, ...)
  std::size_t malformed = 0;  // not JSON, not an array of objects, or a field of the wrong type
};
Parsed parse_stream(std::string_view text);

std::string auth_message(std::string_view key, std::string_view secret);
// {"action":"subscribe"|"unsubscribe","trades":[...],"quotes":[...]}
std::string subscription_message(bool subscribe, const std::vector<std::string>& symbols);

// GET /v2/stocks/snapshots?symbols=...: day statistics per symbol (dailyBar, prevDailyBar,
// latestTrade). Symbols without a usable entry are left out.
std::optional<std::map<std::string, ProviderQuoteBook::Day>> parse_snapshots(
    std::string_view body, std::string* error);

// GET /v2/stocks/bars?symbols=...&timeframe=1Min: one page of one-minute bars per symbol
// ({"bars":{"AAPL":[{"t":"...Z","o":..,"h":..,"l":..,"c":..,"v":..}]},"next_page_token":...}).
// Bars that are not whole, sane minutes are left out; next_page_token is empty on the last page.
struct BarsPage {
  std::map<std::string, std::vector<Bar>> bars;
  std::string next_page_token;
};
std::optional<BarsPage> parse_bars(std::string_view body, std::string* error);

// GET /v2/assets?status=active&asset_class=us_equity: tradable symbols Tickwire accepts,
// sorted by symbol.
std::optional<std::vector<SymbolInfo>> parse_assets(std::string_view body, std::string* error);

}  // namespace tickwire::dispatch::alpaca
