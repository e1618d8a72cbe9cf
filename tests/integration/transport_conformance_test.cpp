// One semantics, three transports: the same scenarios against a real tickwired on loopback,
// over SSE, WebSocket and HTTP polling.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>
#include <thread>

#include "child_process.hpp"
#include "http_probe.hpp"
#include "quote_client.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;

class Conformance : public ::testing::TestWithParam<Transport> {
 protected:
  Conformance()
      : server_({"--max-symbols", "20", "--threads", "2"},
                "conformance-" + to_string(GetParam())) {}

  std::unique_ptr<QuoteClient> client(const std::vector<std::string>& symbols,
                                      const std::string& resume = {}) {
    return make_client(GetParam(), server_.port, symbols, resume);
  }
  static std::size_t count(const std::vector<Quote>& quotes, const std::string& symbol) {
    return static_cast<std::size_t>(std::count_if(
        quotes.begin(), quotes.end(), [&](const Quote& q) { return q.symbol == symbol; }));
  }
  // The least active listed symbol: it almost never ticks during a test.
  std::string quiet_symbol() {
    const auto r = http_get(server_.port, "/v1/symbols");
    const auto v = boost::json::parse(r.body);
    return std::string(v.at("symbols").as_array().back().at("symbol").as_string());
  }

  Tickwired server_;
};

TEST_P(Conformance, SnapshotOnSubscribe) {
  auto c = client({"AAPL", "MSFT"});
  ASSERT_TRUE(c->pump_until([&] { return c->snapshot_size() >= 0; }, 5s));
  ASSERT_EQ(c->snapshot_size(), 2);
  std::set<std::string> first{c->quotes()[0].symbol, c->quotes()[1].symbol};
  EXPECT_EQ(first, (std::set<std::string>{"AAPL", "MSFT"}));
}

TEST_P(Conformance, UpdatesHaveStrictlyIncreasingSeqPerSymbol) {
  auto c = client({"AAPL", "MSFT", "NVDA"});
  ASSERT_TRUE(c->pump_until([&] { return count(c->quotes(), "AAPL") >= 10; }, 10s));
  std::map<std::string, std::uint64_t> last;
  for (const auto& q : c->quotes()) {
    EXPECT_GT(q.seq, last[q.symbol]) << q.symbol;
    last[q.symbol] = q.seq;
    EXPECT_GT(q.ts, 0);
  }
  EXPECT_GE(last.size(), 2u);
}

TEST_P(Conformance, ChangingTheSubscriptionChangesWhatArrives) {
  auto c = client({"AAPL"});
  ASSERT_TRUE(c->pump_until([&] { return count(c->quotes(), "AAPL") >= 3; }, 10s));
  EXPECT_EQ(count(c->quotes(), "MSFT"), 0u);
  c->change({"MSFT"});
  ASSERT_TRUE(c->pump_until([&] { return count(c->since_change(), "MSFT") >= 3; }, 10s));
  EXPECT_EQ(count(c->since_change(), "AAPL"), 0u) << "unsubscribed symbol still arriving";
}

TEST_P(Conformance, BadSymbolIsRefusedWithItsCode) {
  auto c = client({"AAPL"});
  ASSERT_TRUE(c->pump_until([&] { return !c->quotes().empty(); }, 10s));
  c->subscribe_more({"aapl"});
  ASSERT_TRUE(c->pump_until([&] { return !c->errors().empty(); }, 5s));
  EXPECT_EQ(c->errors().front(), "bad_symbol");
}

// One unknown symbol never stops the others: they are served, and it is named (the SSE
// snapshot's and the poll answer's `unknown`, a WebSocket `error` unknown_symbol).
TEST_P(Conformance, AnUnlistedSymbolIsNamedAndTheOthersAreServed) {
  auto c = client({"AAPL", "ZZZZZZ", "MSFT"});
  ASSERT_TRUE(c->pump_until([&] { return count(c->quotes(), "AAPL") >= 3; }, 10s))
      << "the listed symbols stopped with the unlisted one";
  ASSERT_TRUE(c->pump_until([&] { return !c->unknown_symbols().empty(); }, 5s));
  EXPECT_EQ(c->unknown_symbols(), std::vector<std::string>{"ZZZZZZ"});
  EXPECT_EQ(count(c->quotes(), "ZZZZZZ"), 0u);
  EXPECT_GE(count(c->quotes(), "MSFT"), 1u);
  // A malformed symbol is still refused as a whole.
  c->subscribe_more({"AA$PL"});
  ASSERT_TRUE(c->pump_until([&] { return !c->errors().empty() && c->errors().back() != "unknown_symbol"; }, 5s));
  EXPECT_EQ(c->errors().back(), "bad_symbol");
}

TEST_P(Conformance, OverTheSymbolLimitIsRefusedWithItsCode) {
  const auto listing = boost::json::parse(http_get(server_.port, "/v1/symbols?limit=25").body);
  std::vector<std::string> many;
  for (const auto& s : listing.at("symbols").as_array()) {
    if (s.at("symbol").as_string() != "AAPL") many.emplace_back(s.at("symbol").as_string());
  }
  auto c = client({"AAPL"});
  ASSERT_TRUE(c->pump_until([&] { return !c->quotes().empty(); }, 10s));
  c->subscribe_more(many);  // 1 + 24 > --max-symbols 20
  ASSERT_TRUE(c->pump_until([&] { return !c->errors().empty(); }, 5s));
  EXPECT_EQ(c->errors().front(), "too_many_symbols");
}

TEST_P(Conformance, ResumeAfterADropSendsOnlyWhatChangedThenTheLiveStream) {
  const auto quiet = quiet_symbol();
  std::map<std::string, std::uint64_t> seen;
  std::string token;
  {
    auto first = client({"AAPL", "MSFT", quiet});
    ASSERT_TRUE(first->pump_until([&] { return count(first->quotes(), "AAPL") >= 3; }, 10s));
    for (const auto& q : first->quotes()) seen[q.symbol] = std::max(seen[q.symbol], q.seq);
    token = first->resume_token();
    ASSERT_FALSE(token.empty());
  }  // dropped
  std::this_thread::sleep_for(300ms);  // the market moves on meanwhile
  auto again = client({"AAPL", "MSFT", quiet}, token);
  ASSERT_TRUE(again->pump_until([&] { return again->snapshot_size() >= 0; }, 5s));
  const auto resumed = again->snapshot_size();
  ASSERT_TRUE(again->pump_until(
      [&] { return again->quotes().size() >= static_cast<std::size_t>(resumed) + 5; }, 10s));
  // Only symbols that changed since the token: nothing is replayed that the client had.
  for (int i = 0; i < resumed; ++i) {
    const auto& q = again->quotes()[static_cast<std::size_t>(i)];
    EXPECT_GT(q.seq, seen[q.symbol]) << q.symbol << " re-sent unchanged";
  }
  EXPECT_LT(resumed, 3) << "a full snapshot instead of a resume";
  // Then the live stream, never going backwards.
  for (const auto& q : again->quotes()) {
    EXPECT_GT(q.seq, seen[q.symbol]) << q.symbol;
    seen[q.symbol] = q.seq;
  }
}

INSTANTIATE_TEST_SUITE_P(Transports, Conformance,
                         ::testing::Values(Transport::sse, Transport::websocket, Transport::poll),
                         [](const auto& p) { return to_string(p.param); });

}  // namespace
}  // namespace tickwire::test
