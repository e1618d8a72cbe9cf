#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <limits>

#include "tickwire/quote_json.hpp"

namespace tickwire {
namespace {

Quote sample() {
  Quote q;
  q.symbol = "BRK.B";
  q.seq = 18446744073709551000ULL;
  q.ts = 1795853889777355;
  q.last = 463.21;
  q.bid = 463.2;
  q.ask = 463.23;
  q.bid_size = 300;
  q.ask_size = 4200;
  q.volume = 12345678;
  q.open = 460.1;
  q.high = 464;
  q.low = 459.87;
  q.prev_close = 461.5;
  q.change = 1.71;
  q.change_pct = 0.37;
  return q;
}

TEST(QuoteJson, RoundTripsEveryField) {
  const auto q = sample();
  const auto json = encode_quote(q);
  const auto back = decode_quote(json);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, q);
}

TEST(QuoteJson, UsesTheDocumentedNamesAndPlainNumbers) {
  const auto v = boost::json::parse(encode_quote(sample())).as_object();
  for (const char* key : {"symbol", "seq", "ts", "last", "bid", "ask", "bidSize", "askSize",
                          "volume", "open", "high", "low", "prevClose", "change", "changePct"}) {
    EXPECT_TRUE(v.contains(key)) << key;
  }
  EXPECT_EQ(v.size(), 15u);
  EXPECT_NE(encode_quote(sample()).find("\"last\":463.21"), std::string::npos);
  EXPECT_EQ(v.at("ts").as_int64(), 1795853889777355);
}

TEST(QuoteJson, NonFinitePricesAreNeverSentAsInvalidJson) {
  auto q = sample();
  q.change_pct = std::numeric_limits<double>::quiet_NaN();
  q.bid = std::numeric_limits<double>::infinity();
  boost::system::error_code ec;
  boost::json::parse(encode_quote(q), ec);
  EXPECT_FALSE(ec);
}

TEST(QuoteJson, RejectsMalformedOrIncompleteQuotes) {
  const char* bad[] = {
      "",
      "not json",
      "[1,2]",
      R"({"seq":1,"ts":1,"last":1})",                                // no symbol
      R"({"symbol":"aapl","seq":1,"ts":1,"last":1})",                // invalid symbol
      R"({"symbol":"AAPL","ts":1,"last":1})",                        // no seq
      R"({"symbol":"AAPL","seq":-1,"ts":1,"last":1})",               // negative seq
      R"({"symbol":"AAPL","seq":1,"ts":"1","last":1})",              // ts as string
      R"({"symbol":"AAPL","seq":1,"ts":1})",                         // no last
      R"({"symbol":"AAPL","seq":1,"ts":1,"last":1,"bidSize":-5})",   // negative size
      R"({"symbol":"AAPL","seq":1,"ts":1,"last":1,"bidSize":5000000000})",  // overflows u32
      R"({"symbol":"AAPL","seq":1,"ts":1,"last":1,"volume":1.5})",   // fractional volume
  };
  for (const char* text : bad) {
    std::string why;
    EXPECT_FALSE(decode_quote(text, &why)) << text;
    EXPECT_FALSE(why.empty()) << text;
  }
}

TEST(QuoteJson, OptionalFieldsDefaultToZeroAndAreMarkedAbsent) {
  const auto q = decode_quote(R"({"symbol":"AAPL","seq":3,"ts":10,"last":2,"volume":7})");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->seq, 3u);
  EXPECT_EQ(q->bid, 0);
  EXPECT_FALSE(q->has(Quote::kBid));
  EXPECT_FALSE(q->has(Quote::kChange));
  EXPECT_TRUE(q->has(Quote::kVolume));
  EXPECT_EQ(q->volume, 7u);
}

TEST(QuoteJson, AbsentFieldsAreLeftOutNotSentAsZero) {
  auto q = sample();
  q.absent = Quote::kBid | Quote::kAsk | Quote::kBidSize | Quote::kAskSize | Quote::kChange;
  const auto json = encode_quote(q);
  const auto v = boost::json::parse(json).as_object();
  for (const char* key : {"bid", "ask", "bidSize", "askSize", "change", "changePct"}) {
    EXPECT_FALSE(v.contains(key)) << key;
  }
  for (const char* key : {"symbol", "seq", "ts", "last", "volume", "open", "high", "low",
                          "prevClose"}) {
    EXPECT_TRUE(v.contains(key)) << key;
  }
  const auto back = decode_quote(json);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->absent, q.absent);
  EXPECT_EQ(back->last, q.last);
}

// Found by fuzz_quote_json: "changePct" without "change" was kept in a quote marked as having
// no change; the encoder leaves the pair out, so that quote did not survive a round trip.
TEST(QuoteJson, AChangePctWithoutItsChangeIsAbsentWithIt) {
  const auto q = decode_quote(R"({"symbol":"AAPL","seq":3,"ts":10,"last":2,"changePct":-0.03})");
  ASSERT_TRUE(q);
  EXPECT_FALSE(q->has(Quote::kChange));
  EXPECT_EQ(q->change_pct, 0);
  EXPECT_EQ(decode_quote(encode_quote(*q)), q);
}

TEST(QuoteJson, SnapshotRoundTrips) {
  auto a = sample();
  auto b = sample();
  b.symbol = "MSFT";
  const auto ja = encode_quote(a), jb = encode_quote(b);
  const auto snap = encode_snapshot({ja, jb});
  const auto back = decode_snapshot(snap);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[0], a);
  EXPECT_EQ((*back)[1], b);
  EXPECT_EQ(encode_snapshot({}), R"({"quotes":[]})");
  EXPECT_FALSE(decode_snapshot(R"({"quotes":[{"symbol":"x"}]})"));
  EXPECT_FALSE(decode_snapshot(R"({"other":[]})"));
}

TEST(QuoteJson, ASnapshotAnnouncesTheServersHeartbeat) {
  const auto q = encode_quote(sample());
  const auto snap = encode_snapshot({q}, {"ZZZZ"}, 15);
  EXPECT_EQ(decode_snapshot_heartbeat(snap), 15u);
  EXPECT_EQ(decode_unknown_symbols(snap), std::vector<std::string>{"ZZZZ"});
  ASSERT_TRUE(decode_snapshot(snap));
  EXPECT_EQ(decode_snapshot(snap)->size(), 1u);
  // None announced, or nothing usable: 0, and the client keeps its default.
  EXPECT_EQ(decode_snapshot_heartbeat(encode_snapshot({q})), 0u);
  EXPECT_EQ(decode_snapshot_heartbeat(R"({"quotes":[],"heartbeat":-3})"), 0u);
  EXPECT_EQ(decode_snapshot_heartbeat(R"({"quotes":[],"heartbeat":"15"})"), 0u);
  EXPECT_EQ(decode_snapshot_heartbeat(R"({"quotes":[],"heartbeat":1.5})"), 0u);
  EXPECT_EQ(decode_snapshot_heartbeat(R"({"quotes":[],"heartbeat":99999999999})"), 0u);
  EXPECT_EQ(decode_snapshot_heartbeat("not json"), 0u);
}

TEST(WsMessage, DecodesEveryServerMessage) {
  const auto q = encode_quote(sample());
  auto m = decode_ws_message(R"({"type":"quote","id":"1.2","quote":)" + q + "}");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type, "quote");
  EXPECT_EQ(m->id, "1.2");
  ASSERT_EQ(m->quotes.size(), 1u);
  EXPECT_EQ(m->quotes[0], sample());
  m = decode_ws_message(R"({"type":"snapshot","id":"1.3","symbols":["BRK.B"],"quotes":[)" + q + "]}");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->symbols, std::vector<std::string>{"BRK.B"});
  EXPECT_EQ(m->quotes.size(), 1u);
  m = decode_ws_message(R"({"type":"error","error":"bad_symbol","detail":"x"})");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->error, "bad_symbol");
  EXPECT_FALSE(decode_ws_message(R"({"type":"quote","quote":{"symbol":"bad"}})"));
  EXPECT_FALSE(decode_ws_message(R"({"type":"mystery"})"));
  EXPECT_FALSE(decode_ws_message("[]"));
  m = decode_ws_message(R"({"type":"status","state":"stale","reason":"cache tier away"})");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->state, "stale");
  EXPECT_EQ(m->detail, "cache tier away");
  EXPECT_FALSE(decode_ws_message(R"({"type":"status","state":"sleepy"})"));
}

TEST(StatusEvent, DecodesLiveAndStaleOnly) {
  EXPECT_EQ(decode_status_live(R"({"state":"live","reason":"x"})"), true);
  EXPECT_EQ(decode_status_live(R"({"state":"stale"})"), false);
  EXPECT_FALSE(decode_status_live(R"({"state":"maybe"})"));
  EXPECT_FALSE(decode_status_live("stale"));
  EXPECT_FALSE(decode_status_live("[]"));
}

TEST(PollAnswer, DecodesCursorQuotesAndPending) {
  const auto a = decode_poll_answer(R"({"cursor":"5.9","quotes":[)" + encode_quote(sample()) +
                                    R"(],"pending":["MSFT"]})");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->cursor, "5.9");
  EXPECT_EQ(a->quotes.size(), 1u);
  EXPECT_EQ(a->pending, std::vector<std::string>{"MSFT"});
  EXPECT_FALSE(a->stale);  // no status: an older server, live
  const auto b = decode_poll_answer(R"({"cursor":"5.9","quotes":[],"pending":[],"status":"stale"})");
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->stale);
  EXPECT_TRUE(b->unavailable.empty());
  const auto c = decode_poll_answer(
      R"({"cursor":"5.9","quotes":[],"pending":[],"unavailable":[)"
      R"({"state":"unavailable","reason":"upstream_symbol_limit","symbol":"NVDA"},)"
      R"({"state":"unavailable","symbol":"not a symbol"}],"status":"live"})");
  ASSERT_TRUE(c);
  ASSERT_EQ(c->unavailable.size(), 1u);  // the malformed entry is skipped
  EXPECT_EQ(c->unavailable[0].symbol, "NVDA");
  EXPECT_EQ(c->unavailable[0].reason, "upstream_symbol_limit");
}

TEST(SymbolStatus, DecodesUnavailableAndAvailableForOneSymbolOnly) {
  auto m = decode_symbol_status(
      R"({"type":"status","state":"unavailable","reason":"upstream_symbol_limit","symbol":"NVDA"})");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->symbol, "NVDA");
  EXPECT_FALSE(m->available);
  EXPECT_EQ(m->reason, "upstream_symbol_limit");
  m = decode_symbol_status(R"({"state":"available","symbol":"NVDA"})");
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->available);
  // The server-wide states are not symbol statuses, and a symbol status is not a server-wide one.
  EXPECT_FALSE(decode_symbol_status(R"({"state":"stale","reason":"x"})"));
  EXPECT_FALSE(decode_symbol_status(R"({"state":"live","symbol":"NVDA"})"));
  EXPECT_FALSE(decode_symbol_status(R"({"state":"available"})"));
  EXPECT_FALSE(decode_symbol_status(R"({"state":"available","symbol":"bad symbol"})"));
  EXPECT_FALSE(decode_symbol_status("{"));
  EXPECT_FALSE(decode_status_live(R"({"state":"unavailable","symbol":"NVDA"})"));
  EXPECT_FALSE(decode_ws_message(R"({"type":"status","state":"available","symbol":"NVDA"})"));
}

}  // namespace
}  // namespace tickwire
