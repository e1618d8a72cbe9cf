#include "dispatch/upstream/finnhub_messages.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tickwire::dispatch::finnhub {
namespace {

TEST(FinnhubMessages, ReadsTradesPingsAndErrors) {
  auto p = parse_stream(R"({"data":[{"c":null,"p":7296.89,"s":"AAPL","t":1575526691134,"v":0.011467},
                                    {"p":1,"s":"MSFT","t":1575526691135,"v":100}],"type":"trade"})");
  ASSERT_EQ(p.kind, Parsed::Kind::trades);
  ASSERT_EQ(p.trades.size(), 2u);
  EXPECT_EQ(p.trades[0].symbol, "AAPL");
  EXPECT_EQ(p.trades[0].price, 7296.89);
  EXPECT_EQ(p.trades[0].size, 0u);  // fractional sizes round down
  EXPECT_EQ(p.trades[0].ts, 1575526691134'000);
  EXPECT_EQ(p.trades[1].size, 100u);
  EXPECT_EQ(parse_stream(R"({"type":"ping"})").kind, Parsed::Kind::ping);
  p = parse_stream(R"({"type":"error","msg":"Subscribing to too many symbols"})");
  EXPECT_EQ(p.kind, Parsed::Kind::error);
  EXPECT_EQ(p.error, "Subscribing to too many symbols");
  EXPECT_EQ(parse_stream(R"({"type":"news","data":[]})").kind, Parsed::Kind::unknown);
}

TEST(FinnhubMessages, MalformedInputIsCountedNeverThrown) {
  for (const char* bad : {"", "[]", "{\"type\":\"trade\"}", "{\"type\":\"trade\",\"data\":{}}",
                          "{}", "{\"type\":7}"}) {
    EXPECT_EQ(parse_stream(bad).kind, Parsed::Kind::malformed) << bad;
  }
  const auto p = parse_stream(R"({"type":"trade","data":[{"s":"AAPL"},{"s":"x y","p":1,"t":1,"v":1},
                                  {"s":"A","p":1,"t":-5,"v":1},7,{"s":"A","p":2,"t":9,"v":1}]})");
  EXPECT_EQ(p.kind, Parsed::Kind::trades);
  EXPECT_EQ(p.bad_trades, 4u);
  EXPECT_EQ(p.trades.size(), 1u);
}

TEST(FinnhubMessages, WritesSubscriptions) {
  const auto o = boost::json::parse(subscription_message(true, "BRK.B")).as_object();
  EXPECT_EQ(o.at("type"), "subscribe");
  EXPECT_EQ(o.at("symbol"), "BRK.B");
}

TEST(FinnhubMessages, QuoteGivesDayStatisticsAndZerosMeanUnknown) {
  std::string why;
  const auto d = parse_quote(
      R"({"c":261.74,"d":1.2,"dp":0.46,"h":263.31,"l":260.68,"o":261.07,"pc":260.54,"t":1582641000})",
      &why);
  ASSERT_TRUE(d) << why;
  EXPECT_EQ(d->last, 261.74);
  EXPECT_EQ(d->prev_close, 260.54);
  EXPECT_EQ(d->high, 263.31);
  EXPECT_FALSE(d->volume);  // Finnhub's quote has none: left absent
  EXPECT_EQ(d->as_of, 1582641000'000000);
  EXPECT_FALSE(parse_quote(R"({"c":0,"d":null,"dp":null,"h":0,"l":0,"o":0,"pc":0,"t":0})", &why));
  EXPECT_FALSE(parse_quote("nope", &why));
}

TEST(FinnhubMessages, CandlesAreParallelArraysAndNoDataIsEmpty) {
  const auto bars = parse_candles(
      R"({"c":[229.3,229.25,1],"h":[229.5,229.4,1],"l":[229,229.2,1],"o":[229.1,229.3,1],)"
      R"("s":"ok","t":[1796394600,1796394660,1796394690],"v":[1200,300,1]})",
      nullptr);
  ASSERT_TRUE(bars);
  ASSERT_EQ(bars->size(), 2u);  // the last one is not a whole minute
  EXPECT_EQ((*bars)[0], (Bar{1'796'394'600, 229.1, 229.5, 229, 229.3, 1200}));
  const auto none = parse_candles(R"({"s":"no_data"})", nullptr);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  std::string why;
  EXPECT_FALSE(parse_candles(R"({"s":"ok","t":[1796394600],"o":[1],"h":[1],"l":[1],"c":[1],"v":[]})",
                             &why));  // columns of different lengths
  EXPECT_NE(why.find("length"), std::string::npos);
  EXPECT_FALSE(parse_candles(R"({"error":"You don't have access to this resource."})", &why));
}

TEST(FinnhubMessages, SymbolsListValidSymbolsSorted) {
  std::string why;
  const auto s = parse_symbols(R"([
    {"currency":"USD","description":"MICROSOFT CORP","displaySymbol":"MSFT","figi":"x","mic":"XNAS","symbol":"MSFT","type":"Common Stock"},
    {"description":"APPLE INC","symbol":"AAPL","type":"Common Stock"},
    {"description":"weird","symbol":"A B"}
  ])", &why);
  ASSERT_TRUE(s) << why;
  ASSERT_EQ(s->size(), 2u);
  EXPECT_EQ((*s)[0].symbol, "AAPL");
  EXPECT_EQ((*s)[1].name, "MICROSOFT CORP");
  EXPECT_FALSE(parse_symbols("{}", &why));
}

}  // namespace
}  // namespace tickwire::dispatch::finnhub
