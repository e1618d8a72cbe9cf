// GET /v1/bars over real HTTP against the whole backend in this process: bars built by the
// dispatcher from the quotes clients receive, the answer's shape, its cache, and a clear error
// for every bad request.
#include <gtest/gtest.h>

#include <cmath>

#include "backend_fixture.hpp"
#include "sse_reader.hpp"
#include "tickwire/bar_json.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;

std::optional<BarsDocument> bars_of(unsigned short port, const std::string& symbol) {
  const auto reply = http_get(port, "/v1/bars?symbol=" + symbol + "&interval=1m");
  if (reply.status != 200) return std::nullopt;
  return decode_bars(reply.body);
}

TEST(Bars, AFollowedSymbolHasMinuteBarsThatAgreeWithItsQuotes) {
  Backend backend;
  SseReader client(backend.port(), "/v1/stream?symbols=AAPL");
  ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("AAPL").size() >= 20; }, 10s));

  std::optional<BarsDocument> doc;
  ASSERT_TRUE(eventually(
      [&] {
        doc = bars_of(backend.port(), "AAPL");
        return doc && !doc->bars.empty();
      },
      5s, 100ms));
  EXPECT_EQ(doc->symbol, "AAPL");
  EXPECT_EQ(doc->interval, "1m");
  // Every quote the client saw lies within its minute's bar (bars flush every 200 ms here, so
  // the quotes of the last moments may not be in yet: only those older are checked).
  client.pump_until([] { return false; }, 1500ms);
  doc = bars_of(backend.port(), "AAPL");
  ASSERT_TRUE(doc);
  const auto quotes = client.quotes_of("AAPL");
  const auto flushed_before = quotes.back().ts - 1'000'000;
  int checked = 0;
  for (const auto& q : quotes) {
    if (q.ts > flushed_before) break;
    const std::int64_t minute = q.ts / 60'000'000 * 60;
    const auto bar = std::find_if(doc->bars.begin(), doc->bars.end(),
                                  [&](const Bar& b) { return b.t == minute; });
    ASSERT_NE(bar, doc->bars.end()) << "no bar for the minute of seq " << q.seq;
    EXPECT_LE(bar->low, q.last);
    EXPECT_GE(bar->high, q.last);
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

TEST(Bars, TheDaySoFarIsBackfilledFromTheUpstreamsHistory) {
  // The simulator's /v1/bars has the session's 390 minutes; the dispatcher loads them when it
  // subscribes a symbol, so a chart opened now shows the whole day, not the last few seconds.
  Backend backend;
  SseReader client(backend.port(), "/v1/stream?symbols=NVDA");
  ASSERT_TRUE(client.pump_until([&] { return !client.quotes_of("NVDA").empty(); }, 10s));
  std::optional<BarsDocument> doc;
  ASSERT_TRUE(eventually(
      [&] {
        doc = bars_of(backend.port(), "NVDA");
        return doc && doc->bars.size() >= 390;
      },
      5s, 100ms));
  EXPECT_GE(backend.metric("tickwire_dispatch_backfilled_bars_total"), 390);
  EXPECT_EQ(backend.metric("tickwire_dispatch_backfill_failures_total"), 0);
  EXPECT_EQ(backend.metric("tickwire_dispatch_backfill_pending"), 0);
  const auto now_s = client.quotes_of("NVDA").back().ts / 1'000'000;
  EXPECT_LE(doc->bars.back().t, now_s);
  EXPECT_GE(doc->bars.front().t, now_s - 392 * 60);
  // The backfilled day ends where the live quotes go on: within a few percent of the price.
  const double last = client.quotes_of("NVDA").back().last;
  EXPECT_NEAR(doc->bars.back().close, last, last * 0.05);
}

TEST(Bars, AnswersAreCachedBriefly) {
  Backend backend;
  SseReader client(backend.port(), "/v1/stream?symbols=MSFT");
  ASSERT_TRUE(client.pump_until([&] { return !client.quotes_of("MSFT").empty(); }, 10s));
  const auto reads = backend.metric("tickwire_frontend_bars_reads_total");
  const auto first = http_get(backend.port(), "/v1/bars?symbol=MSFT");
  const auto second = http_get(backend.port(), "/v1/bars?symbol=MSFT");
  ASSERT_EQ(first.status, 200u);
  EXPECT_EQ(first.headers.at("cache-control"), "max-age=1");
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(backend.metric("tickwire_frontend_bars_reads_total"), reads + 1);
  EXPECT_GE(backend.metric("tickwire_frontend_bars_cache_hits_total"), 1);
}

TEST(Bars, ASymbolNobodyFollowsHasNoBarsYet) {
  Backend backend;
  const auto doc = bars_of(backend.port(), "NFLX");
  ASSERT_TRUE(doc);
  EXPECT_TRUE(doc->bars.empty());
}

TEST(Bars, BadRequestsGetAClearErrorAndAreCounted) {
  Backend backend;
  struct Case {
    std::string target;
    unsigned status;
    std::string reason;
  };
  for (const auto& c : std::vector<Case>{{"/v1/bars", 400, "missing_parameter"},
                                         {"/v1/bars?symbol=AA%24PL", 400, "bad_symbol"},
                                         {"/v1/bars?symbol=aapl", 400, "bad_symbol"},
                                         {"/v1/bars?symbol=AAPL&interval=5m", 400, "bad_parameter"},
                                         {"/v1/bars?symbol=ZZZZZZ", 404, "unknown_symbol"}}) {
    const auto before = backend.metric(
        "tickwire_frontend_rejected_requests_total{reason=\"" + c.reason + "\"}");
    const auto reply = http_get(backend.port(), c.target);
    EXPECT_EQ(reply.status, c.status) << c.target;
    const auto body = boost::json::parse(reply.body);
    EXPECT_EQ(body.at("error").as_string(), c.reason) << c.target;
    EXPECT_FALSE(body.at("detail").as_string().empty());
    EXPECT_EQ(backend.metric("tickwire_frontend_rejected_requests_total{reason=\"" + c.reason +
                             "\"}"),
              before + 1)
        << c.target;
  }
}

}  // namespace
}  // namespace tickwire::test
