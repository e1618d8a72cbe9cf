// Finnhub's documents (dispatch/upstream/finnhub_messages.hpp) on arbitrary bytes: parse_stream
// (WebSocket messages), parse_quote, parse_candles and parse_symbols (REST bodies), and what
// FinnhubAdapter does with them: trades and quotes go through a ProviderQuoteBook and the quote
// codec, as the dispatcher publishes them; candles are checked as a backfill uses them.
//
// Invariants: every entry of a trade message is counted once (a trade or a bad one); trades
// are well-formed (valid symbol, finite price, a time in whole milliseconds); a quote has a
// positive last price; symbols are sorted; quotes the book emits encode to JSON that
// decode_quote accepts.
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "dispatch/upstream/finnhub_messages.hpp"
#include "dispatch/upstream/provider_quote_book.hpp"
#include "fuzz_check.hpp"
#include "provider_checks.hpp"
#include "tickwire/symbol.hpp"

namespace {

using namespace tickwire;
using namespace tickwire::dispatch;

void check_stream(std::string_view text) {
  const auto parsed = finnhub::parse_stream(text);
  using Kind = finnhub::Parsed::Kind;
  if (parsed.kind != Kind::trades) {
    FUZZ_CHECK(parsed.trades.empty() && parsed.bad_trades == 0);
    return;
  }
  const auto doc = boost::json::parse(text);  // it parsed once already: it cannot throw
  FUZZ_CHECK(parsed.trades.size() + parsed.bad_trades ==
             doc.get_object().at("data").get_array().size());
  ProviderQuoteBook book([] { return std::int64_t{1'700'000'000'000'000}; });
  for (const auto& t : parsed.trades) {
    FUZZ_CHECK(is_valid_symbol(t.symbol) && fuzz::finite(t.price) && t.ts >= 0 &&
               t.ts % 1000 == 0);
    fuzz::check_published(book.on_trade(t.symbol, t.price, t.size, t.ts));
  }
}

void check_quote(std::string_view text) {
  std::string why;
  const auto day = finnhub::parse_quote(text, &why);
  if (!day) return;
  FUZZ_CHECK(day->last && *day->last > 0 && fuzz::finite(*day->last));
  ProviderQuoteBook book([] { return std::int64_t{1'700'000'000'000'000}; });
  fuzz::check_published(book.on_day("AAPL", *day));
}

void check_candles(std::string_view text) {
  std::string why;
  if (const auto bars = finnhub::parse_candles(text, &why)) fuzz::check_history(*bars);
}

void check_symbols(std::string_view text) {
  std::string why;
  const auto symbols = finnhub::parse_symbols(text, &why);
  if (!symbols) return;
  for (std::size_t i = 0; i < symbols->size(); ++i) {
    FUZZ_CHECK(is_valid_symbol((*symbols)[i].symbol));
    if (i > 0) FUZZ_CHECK((*symbols)[i - 1].symbol <= (*symbols)[i].symbol);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  check_stream(text);
  check_quote(text);
  check_candles(text);
  check_symbols(text);
  return 0;
}
