// The fake providers themselves (tests/support/fake_alpaca.*, fake_finnhub.*), driven the way the
// adapters drive the real services: Beast WSS and HTTPS clients over loopback that verify the
// fakes' certificate against a CA made at test time. The adapters' tests lean on these
// behaviours, so a fake that drifts from the documented protocol fails here first, with a
// message about the fake rather than about the dispatcher.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "fake_alpaca.hpp"
#include "fake_finnhub.hpp"
#include "temp_dir.hpp"
#include "test_certificates.hpp"
#include "tls_client.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

// One CA for the whole process: every fake here serves a certificate it signed.
const TestCertificates& certs() {
  static const TempDir dir("fake-providers");
  static const TestCertificates c = make_test_certificates(dir.path().string(), "fake-providers");
  return c;
}

std::set<std::string> strings(const json::value& v) {
  std::set<std::string> out;
  for (const auto& x : v.as_array()) out.emplace(x.as_string());
  return out;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---------------------------------------------------------------------------------------------
// Alpaca

FakeAlpacaOptions alpaca_options() {
  FakeAlpacaOptions o;
  o.cert_file = certs().cert;
  o.key_file = certs().key;
  return o;
}

const std::string kAuth = R"({"action":"auth","key":"test-key-id","secret":"test-secret-key"})";
const std::string kKeyHeaders =
    "APCA-API-KEY-ID: test-key-id\r\nAPCA-API-SECRET-KEY: test-secret-key\r\n";

// A client of the Alpaca stream: every message is an array of objects, read here one object at
// a time.
class AlpacaClient {
 public:
  explicit AlpacaClient(const FakeAlpaca& fake, const std::string& feed = "iex")
      : ws_(fake.port(), certs().ca, "/v2/" + feed) {}

  void send(const std::string& text) { ws_.send(text); }
  WssClient& ws() { return ws_; }

  // The next object of type `T`, those before it skipped; empty if none came in time.
  json::object next(const std::string& type, std::chrono::milliseconds timeout = 3s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      while (!pending_.empty()) {
        auto o = std::move(pending_.front());
        pending_.pop_front();
        if (const auto* t = o.if_contains("T"); t && t->is_string() && t->get_string() == type) {
          return o;
        }
      }
      if (!read_until(deadline)) return {};
    }
  }
  // Every message (array) that arrives within `window`.
  std::vector<json::array> collect(std::chrono::milliseconds window) {
    std::vector<json::array> out;
    const auto deadline = std::chrono::steady_clock::now() + window;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto text = ws_.next_text(left(deadline));
      if (!text) break;
      out.push_back(json::parse(*text).as_array());
    }
    return out;
  }
  // Whether the server closed the connection within `timeout` (messages until then dropped).
  bool closes_within(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ws_.closed() && std::chrono::steady_clock::now() < deadline) {
      ws_.next_text(left(deadline));
    }
    return ws_.closed();
  }

 private:
  static std::chrono::milliseconds left(std::chrono::steady_clock::time_point deadline) {
    return std::max(1ms, std::chrono::duration_cast<std::chrono::milliseconds>(
                             deadline - std::chrono::steady_clock::now()));
  }
  bool read_until(std::chrono::steady_clock::time_point deadline) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    const auto text = ws_.next_text(left(deadline));
    if (!text) return false;
    auto batch = json::parse(*text);
    for (auto& v : batch.as_array()) pending_.push_back(std::move(v.as_object()));
    return true;
  }

  WssClient ws_;
  std::deque<json::object> pending_;
};

// Connected and authenticated with the default keys.
void authenticate(AlpacaClient& c) {
  ASSERT_EQ(c.next("success").at("msg"), "connected");
  c.send(kAuth);
  ASSERT_EQ(c.next("success").at("msg"), "authenticated");
}

TEST(FakeAlpaca, GreetsThenAuthenticatesOrRefusesWith402AndCloses) {
  FakeAlpaca fake(alpaca_options());
  AlpacaClient wrong(fake);
  ASSERT_EQ(wrong.next("success").at("msg"), "connected");
  wrong.send(R"({"action":"auth","key":"test-key-id","secret":"nope"})");
  const auto e = wrong.next("error");
  EXPECT_EQ(e.at("code"), 402);
  EXPECT_EQ(e.at("msg"), "auth failed");
  EXPECT_TRUE(wrong.closes_within(3s));
  EXPECT_EQ(fake.auth_failures(), 1u);

  AlpacaClient right(fake);
  authenticate(right);
  EXPECT_EQ(fake.connections_total(), 2u);
  ASSERT_TRUE(fake.wait_for([&] { return fake.connections_now() == 1; }, 3s));
  EXPECT_EQ(fake.received().back(), kAuth);  // every client message is kept, in order
}

TEST(FakeAlpaca, RefusesSubscribeBeforeAuthAndBadMessagesWithoutClosing) {
  FakeAlpaca fake(alpaca_options());
  AlpacaClient c(fake);
  ASSERT_EQ(c.next("success").at("msg"), "connected");
  c.send(R"({"action":"subscribe","quotes":["AAPL"]})");
  EXPECT_EQ(c.next("error").at("code"), 401);
  c.send("{ this is not JSON");
  EXPECT_EQ(c.next("error").at("code"), 400);
  c.send(R"({"action":"dance"})");
  EXPECT_EQ(c.next("error").at("code"), 400);
  c.send(R"(["action","auth"])");
  EXPECT_EQ(c.next("error").at("code"), 400);
  c.send(kAuth);  // the connection survived all of that
  ASSERT_EQ(c.next("success").at("msg"), "authenticated");
  c.send(kAuth);
  EXPECT_EQ(c.next("error").at("code"), 403);
  c.send(R"({"action":"subscribe","quotes":"AAPL"})");  // not a list
  EXPECT_EQ(c.next("error").at("code"), 400);
  EXPECT_TRUE(fake.subscribed_quotes().empty());
}

TEST(FakeAlpaca, SubscriptionRepliesListTheWholeSubscription) {
  FakeAlpaca fake(alpaca_options());
  AlpacaClient c(fake);
  authenticate(c);
  c.send(R"({"action":"subscribe","quotes":["AAPL"],"trades":["MSFT"],"bars":["SPY"]})");
  auto s = c.next("subscription");
  EXPECT_EQ(strings(s.at("quotes")), (std::set<std::string>{"AAPL"}));
  EXPECT_EQ(strings(s.at("trades")), (std::set<std::string>{"MSFT"}));
  EXPECT_EQ(strings(s.at("bars")), (std::set<std::string>{"SPY"}));

  c.send(R"({"action":"subscribe","quotes":["NVDA"]})");
  s = c.next("subscription");
  EXPECT_EQ(strings(s.at("quotes")), (std::set<std::string>{"AAPL", "NVDA"}));
  EXPECT_EQ(strings(s.at("trades")), (std::set<std::string>{"MSFT"}));
  EXPECT_EQ(strings(s.at("bars")), (std::set<std::string>{"SPY"}));

  c.send(R"({"action":"unsubscribe","quotes":["AAPL"],"trades":["MSFT"]})");
  s = c.next("subscription");
  EXPECT_EQ(strings(s.at("quotes")), (std::set<std::string>{"NVDA"}));
  EXPECT_TRUE(s.at("trades").as_array().empty());
  EXPECT_EQ(fake.subscribed_quotes(), (std::set<std::string>{"NVDA"}));
  EXPECT_TRUE(fake.subscribed_trades().empty());
}

TEST(FakeAlpaca, QuotesAndTradesFlowForSubscribedSymbolsOnlyInBatches) {
  FakeAlpaca fake(alpaca_options());
  AlpacaClient c(fake);
  authenticate(c);
  c.send(R"({"action":"subscribe","quotes":["AAPL","MSFT"],"trades":["TSLA"]})");
  ASSERT_FALSE(c.next("subscription").empty());

  const std::regex rfc3339_ns(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z)");
  std::map<std::string, int> quotes, trades;
  std::size_t largest_batch = 0;
  double first_aapl = 0, last_aapl = 0;
  std::int64_t last_trade_id = 0;
  for (const auto& batch : c.collect(500ms)) {
    largest_batch = std::max(largest_batch, batch.size());
    for (const auto& v : batch) {
      const auto& m = v.as_object();
      const std::string symbol(m.at("S").as_string());
      ASSERT_TRUE(std::regex_match(std::string(m.at("t").as_string()), rfc3339_ns)) << m;
      if (m.at("T") == "q") {
        ++quotes[symbol];
        EXPECT_LT(m.at("bp").to_number<double>(), m.at("ap").to_number<double>()) << m;
        for (const char* f : {"bx", "bs", "ax", "as", "c", "z"}) EXPECT_TRUE(m.contains(f)) << f;
        if (symbol == "AAPL") {
          last_aapl = m.at("bp").to_number<double>();
          if (first_aapl == 0) first_aapl = last_aapl;
        }
      } else if (m.at("T") == "t") {
        ++trades[symbol];
        EXPECT_GT(m.at("p").to_number<double>(), 0) << m;
        for (const char* f : {"x", "s", "c", "z"}) EXPECT_TRUE(m.contains(f)) << f;
        EXPECT_GT(m.at("i").to_number<std::int64_t>(), last_trade_id);  // ids increase
        last_trade_id = m.at("i").to_number<std::int64_t>();
      }
    }
  }
  EXPECT_GE(quotes["AAPL"], 5);
  EXPECT_GE(quotes["MSFT"], 5);
  EXPECT_GE(trades["TSLA"], 5);
  EXPECT_EQ(quotes.size(), 2u) << "quotes only for the subscribed symbols";
  EXPECT_EQ(trades.size(), 1u) << "trades only for the subscribed symbols";
  EXPECT_GE(largest_batch, 3u) << "one tick's messages go in one array";
  EXPECT_NEAR(last_aapl, first_aapl, first_aapl * 0.05) << "a small random walk";
}

TEST(FakeAlpaca, TheTestFeedCarriesOnlyFakepacaAndUnknownFeedsAreRefused) {
  FakeAlpaca fake(alpaca_options());
  EXPECT_EQ(wss_upgrade_status(fake.port(), certs().ca, "/v2/nasdaq"), 404u);
  EXPECT_EQ(wss_upgrade_status(fake.port(), certs().ca, "/v2/test"), 101u);
  AlpacaClient c(fake, "test");
  authenticate(c);
  c.send(R"({"action":"subscribe","quotes":["FAKEPACA","AAPL"]})");
  ASSERT_FALSE(c.next("subscription").empty());
  std::set<std::string> seen;
  for (const auto& batch : c.collect(200ms)) {
    for (const auto& v : batch) seen.emplace(v.at("S").as_string());
  }
  EXPECT_EQ(seen, (std::set<std::string>{"FAKEPACA"}));
}

TEST(FakeAlpaca, ASubscribeOverTheSymbolLimitIs405AndChangesNothing) {
  auto o = alpaca_options();
  o.symbol_limit = 3;
  FakeAlpaca fake(o);
  AlpacaClient c(fake);
  authenticate(c);
  c.send(R"({"action":"subscribe","quotes":["AAPL","MSFT"]})");
  ASSERT_FALSE(c.next("subscription").empty());
  c.send(R"({"action":"subscribe","trades":["NVDA","TSLA"]})");  // 4 distinct symbols
  const auto e = c.next("error");
  EXPECT_EQ(e.at("code"), 405);
  EXPECT_EQ(e.at("msg"), "symbol limit exceeded");
  EXPECT_EQ(fake.subscribed_quotes(), (std::set<std::string>{"AAPL", "MSFT"}));
  EXPECT_TRUE(fake.subscribed_trades().empty());
  EXPECT_EQ(fake.symbol_limit_errors(), 1u);
  // Distinct symbols count, not channels; bars do not count at all.
  c.send(R"({"action":"subscribe","trades":["AAPL","NVDA"],"bars":["A","B","C","D"]})");
  const auto s = c.next("subscription");
  EXPECT_EQ(strings(s.at("trades")), (std::set<std::string>{"AAPL", "NVDA"}));
  EXPECT_EQ(s.at("bars").as_array().size(), 4u);
}

TEST(FakeAlpaca, AnAuthenticationOverTheConnectionLimitIs406AndClosed) {
  FakeAlpaca fake(alpaca_options());
  auto first = std::make_unique<AlpacaClient>(fake);
  authenticate(*first);
  AlpacaClient second(fake);
  ASSERT_EQ(second.next("success").at("msg"), "connected");
  second.send(kAuth);
  const auto e = second.next("error");
  EXPECT_EQ(e.at("code"), 406);
  EXPECT_EQ(e.at("msg"), "connection limit exceeded");
  EXPECT_TRUE(second.closes_within(3s));
  EXPECT_EQ(fake.rejected_connection_limit(), 1u);
  EXPECT_EQ(fake.max_concurrent_connections(), 1u);
  EXPECT_EQ(fake.connections_total(), 2u);

  first.reset();  // the account's connection is free again
  ASSERT_TRUE(fake.wait_for([&] { return fake.connections_now() == 0; }, 3s));
  AlpacaClient third(fake);
  authenticate(third);
}

TEST(FakeAlpaca, AnUnauthenticatedConnectionTimesOutWith404WhenAsked) {
  auto o = alpaca_options();
  o.auth_timeout = 200ms;
  FakeAlpaca fake(o);
  AlpacaClient c(fake);
  const auto e = c.next("error");
  EXPECT_EQ(e.at("code"), 404);
  EXPECT_EQ(e.at("msg"), "auth timeout");
  EXPECT_TRUE(c.closes_within(3s));
}

TEST(FakeAlpaca, RestNeedsTheKeyHeadersAndAnswersSnapshotsAndAssets) {
  FakeAlpaca fake(alpaca_options());
  const auto port = fake.port();
  const std::string snapshots = "/v2/stocks/snapshots?symbols=AAPL,NOPE,MSFT&feed=iex";
  const auto ok = https_get(port, certs().ca, snapshots, kKeyHeaders);
  ASSERT_TRUE(ok.ok) << ok.error;
  ASSERT_EQ(ok.status, 200u) << ok.body;
  const auto snap = json::parse(ok.body).as_object();
  EXPECT_EQ(snap.size(), 2u) << "unknown symbols are left out";
  for (const char* s : {"AAPL", "MSFT"}) {
    ASSERT_TRUE(snap.contains(s)) << s;
    const auto& one = snap.at(s).as_object();
    for (const char* bar : {"minuteBar", "dailyBar", "prevDailyBar"}) {
      for (const char* f : {"t", "o", "h", "l", "c", "v", "n", "vw"}) {
        EXPECT_TRUE(one.at(bar).as_object().contains(f)) << s << " " << bar << " " << f;
      }
    }
    const auto& day = one.at("dailyBar");
    EXPECT_LE(day.at("l").to_number<double>(), day.at("c").to_number<double>());
    EXPECT_LE(day.at("c").to_number<double>(), day.at("h").to_number<double>());
    EXPECT_GT(one.at("latestTrade").at("p").to_number<double>(), 0);
    EXPECT_LT(one.at("latestQuote").at("bp").to_number<double>(),
              one.at("latestQuote").at("ap").to_number<double>());
  }
  // The data API refuses with 403, the trading API with 401 (Alpaca's split).
  const auto none = https_get(port, certs().ca, snapshots);
  EXPECT_EQ(none.status, 403u);
  EXPECT_TRUE(json::parse(none.body).as_object().contains("message"));
  EXPECT_EQ(https_get(port, certs().ca, snapshots,
                      "APCA-API-KEY-ID: test-key-id\r\nAPCA-API-SECRET-KEY: wrong\r\n").status,
            403u);
  EXPECT_EQ(fake.rest_requests("/v2/stocks/snapshots"), 3u);
  EXPECT_EQ(fake.last_rest_query("/v2/stocks/snapshots"), "symbols=AAPL,NOPE,MSFT&feed=iex");

  const std::string assets = "/v2/assets?status=active&asset_class=us_equity";
  const auto a = https_get(port, certs().ca, assets, kKeyHeaders);
  ASSERT_EQ(a.status, 200u) << a.body;
  std::map<std::string, json::object> by_symbol;
  const auto listed = json::parse(a.body);
  for (const auto& v : listed.as_array()) {
    const auto& asset = v.as_object();
    EXPECT_EQ(asset.at("status"), "active");
    EXPECT_EQ(asset.at("class"), "us_equity");
    for (const char* f : {"id", "exchange", "name", "tradable"}) {
      EXPECT_TRUE(asset.contains(f)) << f;
    }
    by_symbol[std::string(asset.at("symbol").as_string())] = asset;
  }
  EXPECT_GE(by_symbol.size(), 40u);
  EXPECT_EQ(by_symbol.at("AAPL").at("name"), "Apple Inc.");
  EXPECT_FALSE(by_symbol.contains("FAKEPACA")) << "the test stream's symbol is no asset";
  const auto refused = https_get(port, certs().ca, assets);
  EXPECT_EQ(refused.status, 401u);
  EXPECT_TRUE(json::parse(refused.body).as_object().contains("code"));
}

TEST(FakeAlpaca, NewCredentialsApplyToLaterAuthsAndRestCalls) {
  FakeAlpaca fake(alpaca_options());
  fake.set_credentials("key-2", "secret-2");
  AlpacaClient old_keys(fake);
  ASSERT_EQ(old_keys.next("success").at("msg"), "connected");
  old_keys.send(kAuth);
  EXPECT_EQ(old_keys.next("error").at("code"), 402);
  AlpacaClient new_keys(fake);
  ASSERT_EQ(new_keys.next("success").at("msg"), "connected");
  new_keys.send(R"({"action":"auth","key":"key-2","secret":"secret-2"})");
  EXPECT_EQ(new_keys.next("success").at("msg"), "authenticated");
  const std::string target = "/v2/stocks/snapshots?symbols=AAPL";
  EXPECT_EQ(https_get(fake.port(), certs().ca, target, kKeyHeaders).status, 403u);
  EXPECT_EQ(https_get(fake.port(), certs().ca, target,
                      "APCA-API-KEY-ID: key-2\r\nAPCA-API-SECRET-KEY: secret-2\r\n").status,
            200u);
}

TEST(FakeAlpaca, FaultsReachEveryLiveConnection) {
  FakeAlpaca fake(alpaca_options());
  AlpacaClient c(fake);
  authenticate(c);
  fake.send_raw_to_all("this is not JSON");
  EXPECT_EQ(c.ws().next_text(), "this is not JSON");
  fake.drop_mid_message();
  EXPECT_TRUE(c.closes_within(3s));
  ASSERT_TRUE(fake.wait_for([&] { return fake.connections_now() == 0; }, 3s));

  AlpacaClient again(fake);
  authenticate(again);
  fake.drop_all();
  EXPECT_TRUE(again.closes_within(3s));
  ASSERT_TRUE(fake.wait_for([&] { return fake.connections_now() == 0; }, 3s));
}

TEST(FakeAlpaca, TwoFakesInOneProcessKeepTheirOwnState) {
  FakeAlpaca one(alpaca_options());
  FakeAlpaca two(alpaca_options());
  ASSERT_NE(one.port(), two.port());
  EXPECT_EQ(one.base_url(), "https://127.0.0.1:" + std::to_string(one.port()));
  EXPECT_EQ(one.stream_url(), "wss://127.0.0.1:" + std::to_string(one.port()));
  AlpacaClient c(one);
  authenticate(c);
  c.send(R"({"action":"subscribe","quotes":["AAPL"]})");
  ASSERT_FALSE(c.next("subscription").empty());
  EXPECT_EQ(one.subscribed_quotes(), (std::set<std::string>{"AAPL"}));
  EXPECT_TRUE(two.subscribed_quotes().empty());
  EXPECT_EQ(two.connections_total(), 0u);
}

// ---------------------------------------------------------------------------------------------
// Finnhub

FakeFinnhubOptions finnhub_options() {
  FakeFinnhubOptions o;
  o.cert_file = certs().cert;
  o.key_file = certs().key;
  return o;
}

// The next message of the Finnhub stream, parsed; an empty object if none came in time.
json::object next_message(WssClient& ws, std::chrono::milliseconds timeout = 3s) {
  const auto text = ws.next_text(timeout);
  return text ? json::parse(*text).as_object() : json::object{};
}

TEST(FakeFinnhub, ABadTokenIsRefusedAtTheUpgradeWith401) {
  FakeFinnhub fake(finnhub_options());
  EXPECT_EQ(wss_upgrade_status(fake.port(), certs().ca, "/?token=wrong"), 401u);
  EXPECT_EQ(wss_upgrade_status(fake.port(), certs().ca, "/"), 401u);
  EXPECT_EQ(fake.auth_failures(), 2u);
  EXPECT_EQ(wss_upgrade_status(fake.port(), certs().ca, "/?token=test-token"), 101u);
  fake.set_token("token-2");
  EXPECT_EQ(wss_upgrade_status(fake.port(), certs().ca, "/?token=test-token"), 401u);
  EXPECT_EQ(wss_upgrade_status(fake.port(), certs().ca, "/?token=token-2"), 101u);
  EXPECT_EQ(fake.base_url(), "https://127.0.0.1:" + std::to_string(fake.port()) + "/api/v1");
}

TEST(FakeFinnhub, TradesFlowForSubscribedSymbolsAndPingsKeepComing) {
  auto o = finnhub_options();
  o.ping_interval = 150ms;
  FakeFinnhub fake(o);
  WssClient ws(fake.port(), certs().ca, "/?token=test-token");
  ws.send(R"({"type":"subscribe","symbol":"AAPL"})");
  ws.send(R"({"type":"subscribe","symbol":"MSFT"})");
  ASSERT_TRUE(fake.wait_for([&] { return fake.subscribed().size() == 2; }, 3s));

  std::map<std::string, int> trades;
  int pings = 0;
  int batched = 0;
  const auto deadline = std::chrono::steady_clock::now() + 600ms;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto m = next_message(ws, 100ms);
    if (m.empty()) continue;
    if (m.at("type") == "ping") ++pings;
    if (m.at("type") != "trade") continue;
    batched += m.at("data").as_array().size() > 1 ? 1 : 0;
    for (const auto& v : m.at("data").as_array()) {
      const auto& t = v.as_object();
      ++trades[std::string(t.at("s").as_string())];
      EXPECT_GT(t.at("p").to_number<double>(), 0);
      EXPECT_NEAR(static_cast<double>(t.at("t").to_number<std::int64_t>()),
                  static_cast<double>(now_ms()), 5000.0) << "epoch milliseconds";
      EXPECT_TRUE(t.contains("v") && t.contains("c"));
    }
  }
  EXPECT_GE(trades["AAPL"], 5);
  EXPECT_GE(trades["MSFT"], 5);
  EXPECT_EQ(trades.size(), 2u);
  EXPECT_GE(batched, 1) << "several trades in one message";
  EXPECT_GE(pings, 2);

  ws.send(R"({"type":"unsubscribe","symbol":"MSFT"})");
  const std::set<std::string> aapl{"AAPL"};
  ASSERT_TRUE(fake.wait_for([&] { return fake.subscribed() == aapl; }, 3s));
  const auto drained = std::chrono::steady_clock::now() + 100ms;  // what was already in flight
  while (std::chrono::steady_clock::now() < drained) ws.next_text(20ms);
  std::set<std::string> later;
  for (int i = 0; i < 10; ++i) {
    const auto m = next_message(ws, 100ms);
    if (m.empty() || m.at("type") != "trade") continue;
    for (const auto& v : m.at("data").as_array()) later.emplace(v.at("s").as_string());
  }
  EXPECT_EQ(later, (std::set<std::string>{"AAPL"}));
  EXPECT_EQ(fake.received().front(), R"({"type":"subscribe","symbol":"AAPL"})");
}

TEST(FakeFinnhub, ASubscriptionOverTheLimitIsAnErrorMessageAndNotApplied) {
  auto o = finnhub_options();
  o.symbol_limit = 2;
  FakeFinnhub fake(o);
  WssClient ws(fake.port(), certs().ca, "/?token=test-token");
  ws.send(R"({"type":"subscribe","symbol":"AAPL"})");
  ws.send(R"({"type":"subscribe","symbol":"MSFT"})");
  ws.send(R"({"type":"subscribe","symbol":"AAPL"})");  // already there: no error
  ws.send(R"({"type":"subscribe","symbol":"NVDA"})");
  const auto e = ws.next("error");
  EXPECT_EQ(e.at("msg"), "Subscribing to too many symbols");
  EXPECT_EQ(fake.subscribed(), (std::set<std::string>{"AAPL", "MSFT"}));
  EXPECT_EQ(fake.limit_errors(), 1u);
}

TEST(FakeFinnhub, ASecondConnectionGetsAnErrorAndIsClosed) {
  FakeFinnhub fake(finnhub_options());
  WssClient first(fake.port(), certs().ca, "/?token=test-token");
  ASSERT_TRUE(fake.wait_for([&] { return fake.connections_now() == 1; }, 3s));
  WssClient second(fake.port(), certs().ca, "/?token=test-token");
  EXPECT_FALSE(second.next("error").empty());
  while (!second.closed() && second.next_text(3s)) {}
  EXPECT_TRUE(second.closed());
  EXPECT_EQ(fake.rejected_connection_limit(), 1u);
  EXPECT_EQ(fake.max_concurrent_connections(), 1u);
  EXPECT_EQ(fake.connections_now(), 1u);
}

TEST(FakeFinnhub, MalformedMessagesGetAnErrorAndTheConnectionGoesOn) {
  FakeFinnhub fake(finnhub_options());
  WssClient ws(fake.port(), certs().ca, "/?token=test-token");
  ws.send("{ not JSON");
  EXPECT_EQ(ws.next("error").at("msg"), "Invalid message");
  ws.send(R"({"type":"subscribe"})");
  EXPECT_EQ(ws.next("error").at("msg"), "Invalid message");
  ws.send(R"({"type":"subscribe","symbol":"AAPL"})");
  EXPECT_FALSE(ws.next("trade").empty());
}

TEST(FakeFinnhub, RestTakesTheTokenAsQueryOrHeaderAndAnswersQuoteAndSymbols) {
  FakeFinnhub fake(finnhub_options());
  const auto port = fake.port();
  const auto q = https_get(port, certs().ca, "/api/v1/quote?symbol=AAPL&token=test-token");
  ASSERT_TRUE(q.ok) << q.error;
  ASSERT_EQ(q.status, 200u) << q.body;
  const auto quote = json::parse(q.body).as_object();
  for (const char* f : {"c", "d", "dp", "h", "l", "o", "pc", "t"}) {
    EXPECT_TRUE(quote.contains(f)) << f;
  }
  const double c = quote.at("c").to_number<double>(), pc = quote.at("pc").to_number<double>();
  EXPECT_GT(c, 0);
  EXPECT_LE(quote.at("l").to_number<double>(), c);
  EXPECT_LE(c, quote.at("h").to_number<double>());
  EXPECT_NEAR(quote.at("d").to_number<double>(), c - pc, 1e-6);
  EXPECT_NEAR(quote.at("t").to_number<double>(), static_cast<double>(now_ms() / 1000), 5.0);

  EXPECT_EQ(https_get(port, certs().ca, "/api/v1/quote?symbol=AAPL",
                      "X-Finnhub-Token: test-token\r\n")
                .status,
            200u);
  EXPECT_EQ(https_get(port, certs().ca, "/api/v1/quote?symbol=AAPL").status, 401u);
  EXPECT_EQ(https_get(port, certs().ca, "/api/v1/quote?symbol=AAPL&token=wrong").status, 401u);
  const auto unknown = https_get(port, certs().ca, "/api/v1/quote?symbol=NOPE&token=test-token");
  EXPECT_EQ(json::parse(unknown.body).at("c").to_number<double>(), 0.0) << unknown.body;
  EXPECT_EQ(fake.rest_requests("/api/v1/quote"), 5u);

  const auto list =
      https_get(port, certs().ca, "/api/v1/stock/symbol?exchange=US&token=test-token");
  ASSERT_EQ(list.status, 200u) << list.body;
  std::set<std::string> symbols;
  const auto listed = json::parse(list.body);
  for (const auto& v : listed.as_array()) {
    const auto& s = v.as_object();
    for (const char* f : {"currency", "description", "displaySymbol", "figi", "mic", "type"}) {
      EXPECT_TRUE(s.contains(f)) << f;
    }
    symbols.emplace(s.at("symbol").as_string());
  }
  EXPECT_GE(symbols.size(), 40u);
  EXPECT_TRUE(symbols.contains("AAPL"));
  EXPECT_FALSE(symbols.contains("FAKEPACA"));
  EXPECT_EQ(fake.last_rest_query("/api/v1/stock/symbol"), "exchange=US&token=test-token");
}

TEST(FakeFinnhub, FaultsReachEveryLiveConnection) {
  auto o = finnhub_options();
  o.universe = {"AAA", "BBB"};
  FakeFinnhub fake(o);
  WssClient ws(fake.port(), certs().ca, "/?token=test-token");
  ASSERT_TRUE(fake.wait_for([&] { return fake.connections_now() == 1; }, 3s));
  fake.send_raw_to_all(R"({"type":"news"})");
  EXPECT_EQ(ws.next_text(), R"({"type":"news"})");
  ws.send(R"({"type":"subscribe","symbol":"AAA"})");
  EXPECT_EQ(ws.next("trade").at("data").as_array().at(0).at("s"), "AAA");  // a test's own universe
  fake.drop_mid_message();
  while (!ws.closed() && ws.next_text(3s)) {}
  EXPECT_TRUE(ws.closed());
  ASSERT_TRUE(fake.wait_for([&] { return fake.connections_now() == 0; }, 3s));
}

}  // namespace
}  // namespace tickwire::test
