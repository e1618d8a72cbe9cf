// GET /v1/stream end to end: snapshot then live quotes, one upstream subscription per symbol,
// upstream subscriptions following demand (with linger).
#include <gtest/gtest.h>

#include "backend_fixture.hpp"
#include "sse_reader.hpp"
#include "tickwire/quote_json.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;

bool seq_strictly_increasing(const std::vector<Quote>& quotes) {
  for (std::size_t i = 1; i < quotes.size(); ++i) {
    if (quotes[i].seq <= quotes[i - 1].seq) return false;
  }
  return true;
}

TEST(Stream, SnapshotThenQuotesWithIncreasingSeq) {
  Backend backend;
  SseReader client(backend.port(), "/v1/stream?symbols=AAPL,MSFT");
  ASSERT_TRUE(client.pump_until(
      [&] { return client.quotes_of("AAPL").size() >= 3 && client.quotes_of("MSFT").size() >= 3; },
      10s));
  EXPECT_EQ(client.status(), 200u);
  EXPECT_NE(client.head().find("Content-Type: text/event-stream"), std::string::npos);
  ASSERT_FALSE(client.events().empty());
  const auto& first = client.events().front();
  EXPECT_EQ(first.type, "snapshot");
  const auto snap = decode_snapshot(first.data);
  ASSERT_TRUE(snap);
  // The snapshot waited for the symbols this request made demanded: both are in it.
  ASSERT_EQ(snap->size(), 2u);
  EXPECT_EQ((*snap)[0].symbol, "AAPL");
  EXPECT_EQ((*snap)[1].symbol, "MSFT");
  for (std::size_t i = 1; i < client.events().size(); ++i) {
    EXPECT_EQ(client.events()[i].type, "quote");
    EXPECT_FALSE(client.events()[i].id.empty());
  }
  EXPECT_TRUE(seq_strictly_increasing(client.quotes_of("AAPL")));
  EXPECT_TRUE(seq_strictly_increasing(client.quotes_of("MSFT")));
  EXPECT_EQ(client.quotes_of("NVDA").size(), 0u);
  EXPECT_GT(backend.metric("tickwire_frontend_quotes_sent_total{transport=\"sse\"}"), 0);
  EXPECT_EQ(backend.metric("tickwire_frontend_connections{transport=\"sse\"}"), 1);
}

TEST(Stream, TwoClientsOnOneSymbolMakeOneUpstreamSubscription) {
  Backend backend;
  SseReader a(backend.port(), "/v1/stream?symbols=AAPL,MSFT");
  SseReader b(backend.port(), "/v1/stream?symbols=AAPL,NVDA");
  ASSERT_TRUE(a.pump_until([&] { return a.quotes_of("AAPL").size() >= 2; }, 10s));
  ASSERT_TRUE(b.pump_until([&] { return b.quotes_of("AAPL").size() >= 2; }, 10s));
  const auto subs = backend.upstream_subscriptions();
  EXPECT_EQ(subs, (std::map<std::string, std::int64_t>{{"AAPL", 1}, {"MSFT", 1}, {"NVDA", 1}}));
  EXPECT_EQ(backend.metric("tickwire_exchange_subscriptions"), 3);
  EXPECT_EQ(backend.metric("tickwire_exchange_subscribed_symbols"), 3);
  EXPECT_EQ(backend.metric("tickwire_dispatch_upstream_symbols"), 3);
  EXPECT_EQ(backend.metric("tickwire_cache_demanded_symbols"), 3);
  EXPECT_EQ(backend.metric("tickwire_frontend_subscriptions"), 4);
}

TEST(Stream, UpstreamSubscriptionEndsWithinLingerAfterLastClientLeaves) {
  Backend backend;  // linger 1 s
  {
    SseReader a(backend.port(), "/v1/stream?symbols=TSLA");
    SseReader b(backend.port(), "/v1/stream?symbols=TSLA");
    ASSERT_TRUE(a.pump_until([&] { return !a.quotes_of("TSLA").empty(); }, 10s));
    ASSERT_TRUE(b.pump_until([&] { return !b.quotes_of("TSLA").empty(); }, 10s));
    ASSERT_EQ(backend.upstream_subscriptions()["TSLA"], 1);
  }
  const auto left = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually([&] { return backend.upstream_subscriptions().empty(); }, 3s));
  const auto took = std::chrono::steady_clock::now() - left;
  EXPECT_GE(took, 900ms) << "released before the linger period";
  EXPECT_LE(took, 3s);  // linger + 2 s
  EXPECT_EQ(backend.metric("tickwire_dispatch_upstream_symbols"), 0);
  EXPECT_EQ(backend.metric("tickwire_cache_demanded_symbols"), 0);
}

TEST(Stream, DemandChangeDoesNotInterruptOtherSymbols) {
  Backend backend;
  SseReader keep(backend.port(), "/v1/stream?symbols=AAPL");
  ASSERT_TRUE(keep.pump_until([&] { return keep.quotes_of("AAPL").size() >= 2; }, 10s));
  {
    // MSFT joins (a new upstream group) and leaves (its group shrinks or closes).
    SseReader passing(backend.port(), "/v1/stream?symbols=MSFT,AAPL");
    ASSERT_TRUE(passing.pump_until([&] { return passing.quotes_of("MSFT").size() >= 2; }, 10s));
  }
  ASSERT_TRUE(eventually([&] { return !backend.upstream_subscriptions().contains("MSFT"); }, 4s));
  const auto before = keep.quotes_of("AAPL").size();
  ASSERT_TRUE(keep.pump_until([&] { return keep.quotes_of("AAPL").size() >= before + 5; }, 10s));
  EXPECT_TRUE(seq_strictly_increasing(keep.quotes_of("AAPL")));
  EXPECT_EQ(backend.upstream_subscriptions()["AAPL"], 1);
}

TEST(Stream, ResumeSendsOnlyWhatChanged) {
  auto config = test_config();
  config.exchange.tick_rate = 0;  // a still market: nothing changes after the first snapshot
  Backend backend(config);
  std::string last_id;
  {
    SseReader first(backend.port(), "/v1/stream?symbols=AAPL,MSFT");
    ASSERT_TRUE(first.pump_until([&] { return first.quotes().size() == 2; }, 10s));
    last_id = first.last_event_id();
  }
  SseReader again(backend.port(), "/v1/stream?symbols=AAPL,MSFT",
                  "Last-Event-ID: " + last_id + "\r\n");
  ASSERT_TRUE(again.pump_until([&] { return !again.events().empty(); }, 5s));
  EXPECT_EQ(again.events().front().type, "snapshot");
  EXPECT_EQ(decode_snapshot(again.events().front().data)->size(), 0u);
  EXPECT_EQ(backend.metric("tickwire_frontend_stream_resumes_total"), 1);
  // The query parameter works for clients that cannot set headers.
  SseReader by_query(backend.port(), "/v1/stream?symbols=AAPL,MSFT&lastEventId=" + last_id);
  ASSERT_TRUE(by_query.pump_until([&] { return !by_query.events().empty(); }, 5s));
  EXPECT_EQ(decode_snapshot(by_query.events().front().data)->size(), 0u);
  // An id from another server life gets a full snapshot, never an error.
  SseReader foreign(backend.port(), "/v1/stream?symbols=AAPL,MSFT", "Last-Event-ID: 1.999\r\n");
  ASSERT_TRUE(foreign.pump_until([&] { return !foreign.events().empty(); }, 5s));
  EXPECT_EQ(decode_snapshot(foreign.events().front().data)->size(), 2u);
}

TEST(Quotes, JsonSnapshotListsPendingSymbolsThenQuotes) {
  Backend backend;
  auto r = http_get(backend.port(), "/v1/quotes?symbols=META");
  ASSERT_EQ(r.status, 200u) << r.body;
  ASSERT_TRUE(eventually(
      [&] {
        r = http_get(backend.port(), "/v1/quotes?symbols=META");
        return r.body.find("\"pending\":[]") != std::string::npos;
      },
      5s));
  const auto v = boost::json::parse(r.body).as_object();
  ASSERT_EQ(v.at("quotes").as_array().size(), 1u);
  EXPECT_EQ(v.at("quotes").as_array()[0].at("symbol").as_string(), "META");
}

TEST(Symbols, ListsTheWholeUniverseAndSearches) {
  Backend backend;
  auto r = http_get(backend.port(), "/v1/symbols");
  ASSERT_EQ(r.status, 200u);
  auto v = boost::json::parse(r.body).as_object();
  EXPECT_GE(v.at("symbols").as_array().size(), 5000u);
  EXPECT_EQ(v.at("symbols").as_array()[0].at("symbol").as_string(), "AAPL");
  EXPECT_EQ(v.at("symbols").as_array()[0].at("name").as_string(), "Apple Inc.");
  r = http_get(backend.port(), "/v1/symbols?q=micro&limit=5");
  v = boost::json::parse(r.body).as_object();
  bool found = false;
  for (const auto& s : v.at("symbols").as_array()) found |= s.at("symbol").as_string() == "MSFT";
  EXPECT_TRUE(found) << r.body;
  EXPECT_EQ(http_get(backend.port(), "/v1/symbols?limit=zero").status, 400u);
}

}  // namespace
}  // namespace tickwire::test
