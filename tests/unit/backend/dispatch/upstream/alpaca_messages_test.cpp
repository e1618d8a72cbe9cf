#include "dispatch/upstream/alpaca_messages.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tickwire::dispatch::alpaca {
namespace {

TEST(AlpacaMessages, ReadsEveryMessageTypeTheAdapterUses) {
  const auto p = parse_stream(R"([
    {"T":"success","msg":"authenticated"},
    {"T":"subscription","trades":["AAPL"],"quotes":["AAPL","AMD"],"bars":[]},
    {"T":"q","S":"AMD","bx":"U","bp":87.66,"bs":1,"ax":"Q","ap":87.68,"as":4,
     "t":"2021-02-22T15:51:45.335689322Z","c":["R"],"z":"C"},
    {"T":"t","S":"AAPL","i":52983525029461,"x":"K","p":126.55,"s":1,
     "t":"2021-02-22T15:51:44.208Z","c":["@","I"],"z":"C"},
    {"T":"error","code":405,"msg":"symbol limit exceeded"},
    {"T":"b","S":"AAPL","o":1,"h":1,"l":1,"c":1,"v":1,"t":"2021-02-22T15:51:00Z"}
  ])");
  EXPECT_EQ(p.malformed, 0u);
  EXPECT_EQ(p.unknown, 1u);  // the bar
  ASSERT_EQ(p.messages.size(), 5u);
  EXPECT_EQ(std::get<Success>(p.messages[0]).msg, "authenticated");
  const auto& sub = std::get<Subscription>(p.messages[1]);
  EXPECT_EQ(sub.quotes, (std::vector<std::string>{"AAPL", "AMD"}));
  const auto& q = std::get<QuoteMessage>(p.messages[2]);
  EXPECT_EQ(q.symbol, "AMD");
  EXPECT_EQ(q.bid, 87.66);
  EXPECT_EQ(q.ask_size, 4u);
  EXPECT_EQ(q.ts, 1614009105'335689);
  const auto& t = std::get<TradeMessage>(p.messages[3]);
  EXPECT_EQ(t.price, 126.55);
  EXPECT_EQ(t.size, 1u);
  EXPECT_EQ(std::get<Error>(p.messages[4]).code, 405);
}

TEST(AlpacaMessages, MalformedInputIsCountedNeverThrown) {
  EXPECT_EQ(parse_stream("").malformed, 1u);
  EXPECT_EQ(parse_stream("{\"T\":\"q\"}").malformed, 1u);  // not an array
  EXPECT_EQ(parse_stream("[1, \"x\", null]").malformed, 3u);
  const auto p = parse_stream(R"([
    {"T":"q","S":"AMD","bp":"87","bs":1,"ap":1,"as":1,"t":"2021-02-22T15:51:45Z"},
    {"T":"q","S":"amd!","bp":1,"bs":1,"ap":1,"as":1,"t":"2021-02-22T15:51:45Z"},
    {"T":"t","S":"AAPL","p":1,"s":-3,"t":"2021-02-22T15:51:45Z"},
    {"T":"t","S":"AAPL","p":1,"s":3,"t":"yesterday"},
    {"T":"error","msg":"no code"},
    {"no":"type"},
    {"T":"t","S":"AAPL","p":2,"s":3,"t":"2021-02-22T15:51:45Z"}
  ])");
  EXPECT_EQ(p.malformed, 6u);
  EXPECT_EQ(p.messages.size(), 1u);  // the good one still counts
}

// Found by fuzz_alpaca_messages (UBSan): numbers too large for the field they go into were
// cast anyway, which is undefined behaviour; they are malformed messages.
TEST(AlpacaMessages, NumbersOutOfTheFieldsRangeAreMalformed) {
  const auto p = parse_stream(R"([
    {"T":"error","code":18446744073709551616405,"msg":"x"},
    {"T":"error","code":-3e9,"msg":"x"},
    {"T":"t","S":"AAPL","p":1,"s":18446744073709551615,"t":"2021-02-22T15:51:45Z"},
    {"T":"q","S":"AMD","bp":1,"bs":4294967296,"ap":1,"as":1,"t":"2021-02-22T15:51:45Z"},
    {"T":"t","S":"AAPL","p":1,"s":18446744073709549568,"t":"2021-02-22T15:51:45Z"}
  ])");
  EXPECT_EQ(p.malformed, 4u);
  ASSERT_EQ(p.messages.size(), 1u);
  EXPECT_EQ(std::get<TradeMessage>(p.messages[0]).size, 18446744073709549568u);  // 2^64 - 2048
}

TEST(AlpacaMessages, WritesAuthAndSubscriptionsAsTheDocsShow) {
  const auto auth = boost::json::parse(auth_message("K\"1", "S")).as_object();
  EXPECT_EQ(auth.at("action"), "auth");
  EXPECT_EQ(auth.at("key"), "K\"1");  // escaped, not concatenated
  EXPECT_EQ(auth.at("secret"), "S");
  const auto sub = boost::json::parse(subscription_message(false, {"AAPL", "MSFT"})).as_object();
  EXPECT_EQ(sub.at("action"), "unsubscribe");
  EXPECT_EQ(sub.at("quotes").as_array().size(), 2u);
  EXPECT_EQ(sub.at("trades").as_array()[1], "MSFT");
}

TEST(AlpacaMessages, SnapshotsGiveTheDayStatistics) {
  std::string why;
  const auto s = parse_snapshots(R"({
    "AAPL": {"latestTrade":{"t":"2021-02-22T15:51:44Z","p":126.55,"s":1},
             "latestQuote":{"bp":126.5,"ap":126.6},
             "dailyBar":{"t":"2021-02-22T05:00:00Z","o":128.01,"h":129.72,"l":125.6,"c":126.55,"v":64000000},
             "prevDailyBar":{"o":130,"h":131,"l":129,"c":129.87,"v":1}},
    "bad symbol": {},
    "MSFT": {"prevDailyBar":{"c":240.97}}
  })", &why);
  ASSERT_TRUE(s) << why;
  ASSERT_EQ(s->size(), 2u);
  const auto& a = s->at("AAPL");
  EXPECT_EQ(a.open, 128.01);
  EXPECT_EQ(a.low, 125.6);
  EXPECT_EQ(a.volume, 64000000u);
  EXPECT_EQ(a.prev_close, 129.87);
  EXPECT_EQ(a.last, 126.55);
  EXPECT_EQ(a.as_of, 1614009104'000000);
  const auto& m = s->at("MSFT");
  EXPECT_FALSE(m.open);
  EXPECT_FALSE(m.last);
  EXPECT_EQ(m.prev_close, 240.97);
  EXPECT_FALSE(parse_snapshots("[]", &why));
  EXPECT_FALSE(why.empty());
}

TEST(AlpacaMessages, BarsPagesGiveWholeMinutesPerSymbolAndTheNextToken) {
  const auto page = parse_bars(
      R"({"bars":{"AAPL":[{"t":"2026-12-04T14:30:00Z","o":229.1,"h":229.5,"l":229,"c":229.3,)"
      R"("v":1200,"n":40,"vw":229.2},{"t":"2026-12-04T14:31:00Z","o":229.3,"h":229.4,"l":229.2,)"
      R"("c":229.25,"v":300},{"t":"2026-12-04T14:31:30Z","o":1,"h":1,"l":1,"c":1,"v":1},)"
      R"({"t":"2026-12-04T14:32:00Z","o":5,"h":4,"l":3,"c":4,"v":1}],"bad sym":[]},)"
      R"("next_page_token":"QUFQTHxNfDIwMjY="})",
      nullptr);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->next_page_token, "QUFQTHxNfDIwMjY=");
  ASSERT_EQ(page->bars.size(), 1u);
  const auto& aapl = page->bars.at("AAPL");
  ASSERT_EQ(aapl.size(), 2u);  // not a whole minute, and open above high: left out
  EXPECT_EQ(aapl[0], (Bar{1'796'394'600, 229.1, 229.5, 229, 229.3, 1200}));
  EXPECT_EQ(aapl[1].close, 229.25);
  const auto last = parse_bars(R"({"bars":null,"next_page_token":null})", nullptr);
  ASSERT_TRUE(last);
  EXPECT_TRUE(last->bars.empty());
  EXPECT_TRUE(last->next_page_token.empty());
  std::string why;
  EXPECT_FALSE(parse_bars(R"({"message":"forbidden"})", &why));
  EXPECT_FALSE(why.empty());
  EXPECT_FALSE(parse_bars("[", &why));
}

TEST(AlpacaMessages, AssetsListTradableActiveSymbolsSorted) {
  std::string why;
  const auto a = parse_assets(R"([
    {"symbol":"MSFT","name":"Microsoft Corporation Common Stock","status":"active","tradable":true},
    {"symbol":"AAPL","name":"Apple Inc. Common Stock","status":"active","tradable":true},
    {"symbol":"OLD","name":"Delisted","status":"inactive","tradable":false},
    {"symbol":"NOPE","name":"Not tradable","status":"active","tradable":false},
    {"symbol":"bad sym","name":"x"},
    7
  ])", &why);
  ASSERT_TRUE(a) << why;
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].symbol, "AAPL");
  EXPECT_EQ((*a)[1].name, "Microsoft Corporation Common Stock");
  EXPECT_FALSE(parse_assets("{}", &why));
}

}  // namespace
}  // namespace tickwire::dispatch::alpaca
