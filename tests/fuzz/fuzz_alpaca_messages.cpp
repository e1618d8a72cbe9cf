// Alpaca's market-data v2 documents (dispatch/upstream/alpaca_messages.hpp) on arbitrary bytes:
// parse_stream (WebSocket messages), parse_snapshots, parse_bars and parse_assets (REST bodies),
// and what
// AlpacaAdapter does with them: each quote, trade and snapshot goes through a ProviderQuoteBook
// and the quote codec, as the dispatcher publishes it.
//
// Invariants: every element of a stream array is counted exactly once (a message, unknown or
// malformed); what comes out is well-formed (valid symbols, finite prices); assets are sorted;
// quotes the book emits encode to JSON that decode_quote accepts.
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "dispatch/upstream/alpaca_messages.hpp"
#include "dispatch/upstream/provider_quote_book.hpp"
#include "fuzz_check.hpp"
#include "provider_checks.hpp"
#include "tickwire/symbol.hpp"

namespace {

using namespace tickwire;
using namespace tickwire::dispatch;

void check_stream(std::string_view text) {
  const auto parsed = alpaca::parse_stream(text);
  boost::system::error_code ec;
  const auto doc = boost::json::parse(text, ec);
  if (ec || !doc.is_array()) {
    FUZZ_CHECK(parsed.messages.empty() && parsed.unknown == 0 && parsed.malformed == 1);
    return;
  }
  FUZZ_CHECK(parsed.messages.size() + parsed.unknown + parsed.malformed ==
             doc.get_array().size());

  ProviderQuoteBook book([] { return std::int64_t{1'700'000'000'000'000}; });
  for (const auto& m : parsed.messages) {
    if (const auto* q = std::get_if<alpaca::QuoteMessage>(&m)) {
      FUZZ_CHECK(is_valid_symbol(q->symbol) && fuzz::finite(q->bid) && fuzz::finite(q->ask));
      fuzz::check_published(
          book.on_quote(q->symbol, q->bid, q->ask, q->bid_size, q->ask_size, q->ts));
    } else if (const auto* t = std::get_if<alpaca::TradeMessage>(&m)) {
      FUZZ_CHECK(is_valid_symbol(t->symbol) && fuzz::finite(t->price));
      fuzz::check_published(book.on_trade(t->symbol, t->price, t->size, t->ts));
    }
  }
}

void check_snapshots(std::string_view text) {
  std::string why;
  const auto days = alpaca::parse_snapshots(text, &why);
  if (!days) return;
  ProviderQuoteBook book([] { return std::int64_t{1'700'000'000'000'000}; });
  for (const auto& [symbol, day] : *days) {
    FUZZ_CHECK(is_valid_symbol(symbol));
    for (const auto& v : {day.open, day.high, day.low, day.prev_close, day.last}) {
      FUZZ_CHECK(!v || fuzz::finite(*v));
    }
    fuzz::check_published(book.on_day(symbol, day));
  }
}

void check_bars(std::string_view text) {
  std::string why;
  const auto page = alpaca::parse_bars(text, &why);
  if (!page) return;
  for (const auto& [symbol, bars] : page->bars) {
    FUZZ_CHECK(is_valid_symbol(symbol));
    fuzz::check_history(bars);
  }
}

void check_assets(std::string_view text) {
  std::string why;
  const auto assets = alpaca::parse_assets(text, &why);
  if (!assets) return;
  for (std::size_t i = 0; i < assets->size(); ++i) {
    FUZZ_CHECK(is_valid_symbol((*assets)[i].symbol));
    if (i > 0) FUZZ_CHECK((*assets)[i - 1].symbol <= (*assets)[i].symbol);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  check_stream(text);
  check_snapshots(text);
  check_bars(text);
  check_assets(text);
  return 0;
}
