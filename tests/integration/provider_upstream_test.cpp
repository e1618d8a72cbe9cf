// The dispatcher following Alpaca and Finnhub, as fakes written from their public docs that
// speak the real protocols over TLS on loopback (tests/support/fake_alpaca.*, fake_finnhub.*),
// with certificates made at test time and trusted through SSL_CERT_FILE, exactly as an
// operator with a private CA would. The whole backend runs in this process (AllInOne); clients
// talk to it over SSE.
#include <gtest/gtest.h>

#include <cstdlib>

#include "backend_fixture.hpp"
#include "fake_alpaca.hpp"
#include "fake_finnhub.hpp"
#include "quote_client.hpp"
#include "sse_reader.hpp"
#include "tickwire/bar_json.hpp"
#include "temp_dir.hpp"
#include "test_certificates.hpp"
#include "tls_client.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;

// Certificates for the fake, and the CA trusted through OpenSSL's own variable. Their files
// stay until the process ends (a fake or tickwired may read them until then).
TestCertificates provider_certificates(const std::string& name) {
  static const TempDir dir("provider-certificates");
  auto certs = make_test_certificates(dir / name, name);
  ::setenv("SSL_CERT_FILE", certs.ca.c_str(), 1);
  return certs;
}

FakeAlpacaOptions alpaca_options(const TestCertificates& certs) {
  FakeAlpacaOptions o;
  o.cert_file = certs.cert;
  o.key_file = certs.key;
  return o;
}

FakeFinnhubOptions finnhub_options(const TestCertificates& certs) {
  FakeFinnhubOptions o;
  o.cert_file = certs.cert;
  o.key_file = certs.key;
  return o;
}

app::AllInOne::Configuration alpaca_config(const FakeAlpaca& fake, std::string key = "test-key-id") {
  auto c = test_config();
  dispatch::AlpacaSettings a;
  a.feed = "iex";
  a.key_id = std::move(key);
  a.secret_key = "test-secret-key";
  a.stream_url = fake.stream_url();
  a.data_url = a.trading_url = fake.base_url();
  c.provider.alpaca = a;
  c.provider.retry_max = 400ms;
  return c;
}

app::AllInOne::Configuration finnhub_config(const FakeFinnhub& fake, std::size_t limit = 50) {
  auto c = test_config();
  dispatch::FinnhubSettings f;
  f.token = "test-token";
  f.stream_url = fake.stream_url();
  f.api_url = fake.base_url();
  f.symbol_limit = limit;
  c.provider.finnhub = f;
  c.provider.retry_max = 400ms;
  return c;
}

void expect_increasing(const std::vector<Quote>& quotes) {
  for (std::size_t i = 1; i < quotes.size(); ++i) {
    ASSERT_GT(quotes[i].seq, quotes[i - 1].seq) << quotes[i].symbol << " went backwards";
  }
}

TEST(AlpacaUpstream, QuotesFlowOverOneConnectionWithDayStatisticsAndTickwiresSeq) {
  const auto certs = provider_certificates("alpaca-flow");
  FakeAlpaca fake(alpaca_options(certs));
  Backend backend(alpaca_config(fake));
  ASSERT_EQ(http_get(backend.port(), "/readyz").status, 200u);  // the assets list arrived

  SseReader client(backend.port(), "/v1/stream?symbols=AAPL,MSFT");
  ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("MSFT").size() >= 10; }, 10s));
  EXPECT_EQ(fake.subscribed_quotes(), (std::set<std::string>{"AAPL", "MSFT"}));
  EXPECT_EQ(fake.max_concurrent_connections(), 1u);
  EXPECT_GE(fake.rest_requests("/v2/stocks/snapshots"), 1u);
  EXPECT_NE(fake.last_rest_query("/v2/stocks/snapshots").find("feed=iex"), std::string::npos);

  const auto quotes = client.quotes_of("MSFT");
  expect_increasing(quotes);
  const auto& q = quotes.back();
  EXPECT_GT(q.last, 0);
  EXPECT_GT(q.ask, q.bid);                  // from "q" messages
  EXPECT_TRUE(q.has(Quote::kPrevClose));     // from the snapshot
  EXPECT_GE(q.volume, 1'000'000u);           // the day's volume, then every later trade
  EXPECT_NEAR(q.change, q.last - q.prev_close, 1e-9);
  // Tickwire's own seq: the provider has none, so every update of a symbol is counted from 1.
  // A gap a client sees is then an update it did not get, and the server counted it (it may
  // have counted more since: it kept sending after the client stopped reading).
  EXPECT_LT(quotes.front().seq, 1000u);
  std::uint64_t gaps = 0;
  for (const char* s : {"AAPL", "MSFT"}) {
    const auto seen = client.quotes_of(s);
    for (std::size_t i = 1; i < seen.size(); ++i) gaps += seen[i].seq - seen[i - 1].seq - 1;
  }
  EXPECT_LE(static_cast<double>(gaps),
            backend.metric("tickwire_frontend_quotes_missed_total{transport=\"sse\"}") +
                backend.metric("tickwire_frontend_quotes_conflated_total{transport=\"sse\"}"));
  EXPECT_GE(backend.metric("tickwire_dispatch_provider_lease_held"), 1);
}

TEST(AlpacaUpstream, SubscriptionsFollowDemandAndTheConnectionIsGivenBackWhenIdle) {
  const auto certs = provider_certificates("alpaca-demand");
  FakeAlpaca fake(alpaca_options(certs));
  Backend backend(alpaca_config(fake));
  {
    SseReader a(backend.port(), "/v1/stream?symbols=AAPL");
    ASSERT_TRUE(a.pump_until([&] { return !a.quotes_of("AAPL").empty(); }, 10s));
    SseReader b(backend.port(), "/v1/stream?symbols=NVDA");
    ASSERT_TRUE(b.pump_until([&] { return !b.quotes_of("NVDA").empty(); }, 10s));
    EXPECT_EQ(fake.subscribed_quotes(), (std::set<std::string>{"AAPL", "NVDA"}));
    b.close();
    // After the linger (1 s in tests) NVDA is unsubscribed, AAPL stays.
    ASSERT_TRUE(eventually([&] { return fake.subscribed_quotes() == std::set<std::string>{"AAPL"}; }, 5s));
  }
  // Nobody wants anything: the account's one connection is closed.
  ASSERT_TRUE(eventually([&] { return fake.connections_now() == 0; }, 5s));
  EXPECT_EQ(fake.connections_total(), 1u);
}

TEST(AlpacaUpstream, AFailedAuthIsRetriedWithBackoffNotATightLoopAndRecovers) {
  const auto certs = provider_certificates("alpaca-auth");
  FakeAlpaca fake(alpaca_options(certs));
  Backend backend(alpaca_config(fake, "wrong-key"));
  SseReader client(backend.port(), "/v1/stream?symbols=AAPL");
  client.pump_for(2s);
  // retry_max 400 ms: at most about one attempt per 400 ms, and at least one.
  EXPECT_GE(fake.auth_failures(), 1u);
  EXPECT_LE(fake.auth_failures(), 7u);
  EXPECT_GE(backend.metric("tickwire_dispatch_provider_auth_failures_total"), 1);
  EXPECT_TRUE(client.quotes_of("AAPL").empty());
  for (const auto& m : fake.received()) {
    if (m.find("\"auth\"") != std::string::npos) {
      EXPECT_NE(m.find("wrong-key"), std::string::npos);
    }
  }
  fake.set_credentials("wrong-key", "test-secret-key");  // the operator fixed the account
  ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("AAPL").size() >= 3; }, 10s));
}

TEST(AlpacaUpstream, SymbolsOverThePlansLimitAreUnavailableAndTheRestFlow) {
  const auto certs = provider_certificates("alpaca-405");
  auto o = alpaca_options(certs);
  o.symbol_limit = 2;
  FakeAlpaca fake(o);
  Backend backend(alpaca_config(fake));
  SseReader client(backend.port(), "/v1/stream?symbols=AAPL,MSFT,NVDA");
  ASSERT_TRUE(eventually([&] { return fake.subscribed_quotes().size() == 2; }, 5s));
  ASSERT_TRUE(eventually(
      [&] { return backend.metric("tickwire_dispatch_unavailable_symbols_total") >= 1; }, 5s));
  EXPECT_GE(fake.symbol_limit_errors(), 1u);
  const auto carried = fake.subscribed_quotes();
  for (const auto& s : carried) {
    ASSERT_TRUE(client.pump_until([&] { return client.quotes_of(s).size() >= 2; }, 10s)) << s;
  }
  EXPECT_EQ(fake.connections_total(), 1u);  // a 405 is not a reason to reconnect
}

TEST(AlpacaUpstream, ASecondConnectionIsRefusedWith406AndRetriedAfterTheOtherLeaves) {
  const auto certs = provider_certificates("alpaca-406");
  FakeAlpaca fake(alpaca_options(certs));
  // Someone else holds the account's one connection.
  auto squatter = std::make_unique<WssClient>(fake.port(), certs.ca, "/v2/iex");
  squatter->send(R"({"action":"auth","key":"test-key-id","secret":"test-secret-key"})");
  ASSERT_TRUE(eventually([&] { return fake.max_concurrent_connections() == 1; }, 5s));

  Backend backend(alpaca_config(fake));
  SseReader client(backend.port(), "/v1/stream?symbols=AAPL");
  ASSERT_TRUE(eventually([&] { return fake.rejected_connection_limit() >= 1; }, 5s));
  EXPECT_GE(backend.metric("tickwire_dispatch_provider_errors_total{provider=\"alpaca\",code=\"406\"}"), 1);
  EXPECT_TRUE(client.quotes_of("AAPL").empty());
  squatter.reset();
  ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("AAPL").size() >= 3; }, 10s));
  EXPECT_EQ(fake.max_concurrent_connections(), 1u);
}

TEST(AlpacaUpstream, MalformedMessagesAndADropMidMessageAreSurvived) {
  const auto certs = provider_certificates("alpaca-faults");
  FakeAlpaca fake(alpaca_options(certs));
  Backend backend(alpaca_config(fake));
  SseReader client(backend.port(), "/v1/stream?symbols=AAPL,TSLA");
  ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("AAPL").size() >= 3; }, 10s));

  fake.send_raw_to_all("this is not JSON");
  fake.send_raw_to_all(R"([{"T":"q","S":"AAPL","bp":"1"},{"T":"news","headline":"x"}])");
  ASSERT_TRUE(eventually([&] { return backend.metric("tickwire_dispatch_bad_events_total") >= 2; }, 5s));
  EXPECT_GE(backend.metric("tickwire_dispatch_provider_messages_total{kind=\"unknown\"}"), 1);

  fake.drop_mid_message();
  ASSERT_TRUE(eventually([&] { return fake.connections_total() >= 2; }, 5s));
  // Re-authenticated and re-subscribed the current demand.
  ASSERT_TRUE(eventually([&] { return fake.subscribed_quotes() == std::set<std::string>{"AAPL", "TSLA"}; }, 5s));
  const auto seen = client.quotes_of("AAPL").size();
  ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("AAPL").size() >= seen + 5; }, 10s));
  expect_increasing(client.quotes_of("AAPL"));
  EXPECT_FALSE(client.closed());
  EXPECT_GE(backend.metric("tickwire_dispatch_upstream_reconnects_total"), 1);
}

TEST(AlpacaUpstream, KeysNeverReachLogsMetricsOrTheWire) {
  const auto certs = provider_certificates("alpaca-secrets");
  FakeAlpaca fake(alpaca_options(certs));
  Backend backend(alpaca_config(fake));
  SseReader client(backend.port(), "/v1/stream?symbols=AAPL");
  ASSERT_TRUE(client.pump_until([&] { return !client.quotes_of("AAPL").empty(); }, 10s));
  const auto metrics = http_get(backend.port(), "/metrics").body;
  EXPECT_EQ(metrics.find("test-secret-key"), std::string::npos);
  EXPECT_EQ(metrics.find("test-key-id"), std::string::npos);
}

TEST(AlpacaUpstream, AProviderWhoseCertificateIsNotTrustedIsNeverUsed) {
  const auto certs = provider_certificates("alpaca-untrusted");
  FakeAlpaca fake(alpaca_options(certs));
  // The client trusts another CA (made by a second call): the fake's chain does not verify.
  const auto other = provider_certificates("alpaca-other-ca");
  Backend backend(alpaca_config(fake));
  SseReader client(backend.port(), "/v1/stream?symbols=AAPL");
  client.pump_for(1500ms);
  EXPECT_TRUE(client.quotes_of("AAPL").empty());
  EXPECT_EQ(fake.connections_total(), 0u);  // no TLS session ever completed
  EXPECT_EQ(fake.rest_requests("/v2/assets"), 0u);
  EXPECT_GE(backend.metric("tickwire_dispatch_upstream_reconnects_total"), 1);
  EXPECT_GE(backend.metric("tickwire_dispatch_provider_rest_failures_total{request=\"directory\"}"), 1);
}

TEST(FinnhubUpstream, TradesFlowWithDayStatisticsAndNoInventedBidOrAsk) {
  const auto certs = provider_certificates("finnhub-flow");
  FakeFinnhub fake(finnhub_options(certs));
  Backend backend(finnhub_config(fake));
  ASSERT_EQ(http_get(backend.port(), "/readyz").status, 200u);
  SseReader client(backend.port(), "/v1/stream?symbols=AAPL,MSFT");
  ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("AAPL").size() >= 5; }, 10s));
  EXPECT_EQ(fake.subscribed(), (std::set<std::string>{"AAPL", "MSFT"}));
  EXPECT_EQ(fake.max_concurrent_connections(), 1u);
  ASSERT_TRUE(eventually([&] { return fake.rest_requests("/api/v1/quote") >= 1; }, 5s));
  ASSERT_TRUE(client.pump_until(
      [&] { return !client.quotes_of("AAPL").empty() && client.quotes_of("AAPL").back().has(Quote::kPrevClose); },
      10s));
  const auto q = client.quotes_of("AAPL").back();
  EXPECT_FALSE(q.has(Quote::kBid));   // Finnhub's stream has trades only
  EXPECT_FALSE(q.has(Quote::kVolume));
  EXPECT_TRUE(q.has(Quote::kChange));
  expect_increasing(client.quotes_of("AAPL"));
}

std::size_t bars_served(unsigned short port, const std::string& symbol) {
  const auto doc = decode_bars(http_get(port, "/v1/bars?symbol=" + symbol).body);
  return doc ? doc->bars.size() : 0;
}

TEST(AlpacaUpstream, TheDaySoFarIsBackfilledFromThePagedBarsApi) {
  const auto certs = provider_certificates("alpaca-bars");
  FakeAlpaca fake(alpaca_options(certs));
  Backend backend(alpaca_config(fake));
  SseReader client(backend.port(), "/v1/stream?symbols=AAPL,MSFT");
  ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("MSFT").size() >= 3; }, 10s));
  // The fake keeps 30 minutes per symbol, 25 bars a page: three pages for the two symbols.
  EXPECT_TRUE(client.pump_until(
      [&] { return bars_served(backend.port(), "AAPL") >= 30 && bars_served(backend.port(), "MSFT") >= 30; },
      5s));
  EXPECT_EQ(fake.rest_requests("/v2/stocks/bars"), 3u);
  const auto last = fake.last_rest_query("/v2/stocks/bars");
  EXPECT_NE(last.find("timeframe=1Min"), std::string::npos) << last;
  EXPECT_NE(last.find("page_token=p%3D50%2F%2B"), std::string::npos) << last;  // encoded
  EXPECT_EQ(backend.metric("tickwire_dispatch_provider_rest_failures_total{request=\"bars\"}"), 0);
  EXPECT_GE(backend.metric("tickwire_dispatch_backfilled_bars_total"), 60);
}

TEST(FinnhubUpstream, CandlesBackfillTheDayAndAPlanWithoutThemIsNotAskedAgain) {
  const auto certs = provider_certificates("finnhub-candles");
  {
    FakeFinnhub fake(finnhub_options(certs));
    Backend backend(finnhub_config(fake));
    SseReader client(backend.port(), "/v1/stream?symbols=AAPL");
    ASSERT_TRUE(client.pump_until([&] { return !client.quotes_of("AAPL").empty(); }, 10s));
    // Paced behind the day statistics (1.1 s apart): the candles come second.
    EXPECT_TRUE(client.pump_until([&] { return bars_served(backend.port(), "AAPL") >= 30; }, 8s));
    EXPECT_NE(fake.last_rest_query("/api/v1/stock/candle").find("resolution=1"), std::string::npos);
  }
  auto options = finnhub_options(certs);
  options.candles = false;  // the free plan: 403
  FakeFinnhub fake(options);
  Backend backend(finnhub_config(fake));
  SseReader client(backend.port(), "/v1/stream?symbols=AAPL,MSFT,NVDA");
  ASSERT_TRUE(client.pump_until([&] { return fake.rest_requests("/api/v1/stock/candle") >= 1; }, 10s));
  client.pump_until([] { return false; }, 3s);  // time for two more, were they asked
  EXPECT_EQ(fake.rest_requests("/api/v1/stock/candle"), 1u);
  EXPECT_EQ(backend.metric("tickwire_dispatch_provider_rest_failures_total{request=\"bars\"}"), 0);
}

TEST(FinnhubUpstream, ABadTokenIsRefusedAndRetriedWithBackoff) {
  const auto certs = provider_certificates("finnhub-auth");
  auto o = finnhub_options(certs);
  o.token = "another-token";
  FakeFinnhub fake(o);
  Backend backend(finnhub_config(fake));
  SseReader client(backend.port(), "/v1/stream?symbols=AAPL");
  client.pump_for(2s);
  EXPECT_GE(fake.auth_failures(), 1u);
  EXPECT_LE(fake.auth_failures(), 7u);
  EXPECT_GE(backend.metric("tickwire_dispatch_provider_auth_failures_total"), 1);
  fake.set_token("test-token");
  ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("AAPL").size() >= 3; }, 10s));
}

TEST(FinnhubUpstream, SymbolsOverTheLimitAreUnavailableUntilRoomIsMade) {
  const auto certs = provider_certificates("finnhub-limit");
  FakeFinnhub fake(finnhub_options(certs));
  Backend backend(finnhub_config(fake, 2));
  SseReader a(backend.port(), "/v1/stream?symbols=AAPL,MSFT");
  ASSERT_TRUE(a.pump_until([&] { return a.quotes_of("MSFT").size() >= 2; }, 10s));
  SseReader b(backend.port(), "/v1/stream?symbols=NVDA");
  ASSERT_TRUE(eventually(
      [&] { return backend.metric("tickwire_dispatch_unavailable_symbols_total") >= 1; }, 5s));
  EXPECT_EQ(fake.subscribed().size(), 2u);
  a.close();  // AAPL and MSFT leave after the linger: NVDA gets their room
  ASSERT_TRUE(b.pump_until([&] { return b.quotes_of("NVDA").size() >= 2; }, 10s));
  EXPECT_EQ(fake.subscribed(), std::set<std::string>{"NVDA"});
}

// A symbol over the plan's limit is not left hanging: the client is told it is unavailable (on
// every transport), the others flow, a client that asks later hears of it with its snapshot,
// and once room is made the symbol flows and the client is told it is available again.
class FinnhubLimit : public ::testing::TestWithParam<Transport> {};

TEST_P(FinnhubLimit, ASymbolOverTheLimitIsToldToClientsAsUnavailableUntilRoomIsMade) {
  const auto certs = provider_certificates("finnhub-status-" + to_string(GetParam()));
  FakeFinnhub fake(finnhub_options(certs));
  auto config = finnhub_config(fake, 2);
  config.frontend.poll_hold = 1s;  // a poll's symbols are let go as soon as a stream's
  Backend backend(config);
  auto has = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  auto quotes_of = [](const QuoteClient& c, const std::string& symbol) {
    return std::count_if(c.quotes().begin(), c.quotes().end(),
                         [&](const Quote& q) { return q.symbol == symbol; });
  };
  // The adapter carries AAPL and MSFT (subscribed in that order) and refuses NVDA.
  const std::string refused = "NVDA unavailable upstream_symbol_limit";
  auto client = make_client(GetParam(), backend.port(), {"AAPL", "MSFT", "NVDA"});
  ASSERT_TRUE(client->pump_until([&] { return has(client->symbol_statuses(), refused); }, 10s))
      << "no status for the refused symbol";
  ASSERT_TRUE(client->pump_until([&] { return quotes_of(*client, "MSFT") >= 2; }, 10s));
  EXPECT_EQ(quotes_of(*client, "NVDA"), 0);
  EXPECT_EQ(fake.subscribed(), (std::set<std::string>{"AAPL", "MSFT"}));
  EXPECT_EQ(backend.metric("tickwire_frontend_unavailable_symbols"), 1);

  auto later = make_client(GetParam(), backend.port(), {"NVDA"});
  ASSERT_TRUE(later->pump_until([&] { return has(later->symbol_statuses(), refused); }, 10s))
      << "a client asking later was not told";
  EXPECT_EQ(later->snapshot_size(), 0);

  // Room is made: AAPL and MSFT are no longer wanted (the linger is 1 s in this config).
  client->change({"NVDA"});
  ASSERT_TRUE(client->pump_until([&] { return quotes_of(*client, "NVDA") >= 2; }, 15s))
      << "the refused symbol never flowed after room was made";
  EXPECT_EQ(fake.subscribed(), std::set<std::string>{"NVDA"});
  // The client that stayed is told so, besides getting the quotes.
  ASSERT_TRUE(later->pump_until([&] { return quotes_of(*later, "NVDA") >= 1; }, 10s));
  ASSERT_TRUE(later->pump_until([&] { return has(later->symbol_statuses(), "NVDA available"); },
                                5s));
  EXPECT_EQ(backend.metric("tickwire_frontend_unavailable_symbols"), 0);
}

INSTANTIATE_TEST_SUITE_P(Transports, FinnhubLimit,
                         ::testing::Values(Transport::sse, Transport::websocket, Transport::poll),
                         [](const auto& p) { return to_string(p.param); });

}  // namespace
}  // namespace tickwire::test
