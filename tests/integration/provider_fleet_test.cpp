// One provider connection for the whole fleet, as separate processes over a real Redis: two
// dispatchers (tickwired --role dispatch --upstream alpaca://iex) and a frontend, against the
// fake Alpaca over TLS. Exactly one dispatcher holds the account's connection; when it is
// killed with -9 the other takes over within the lease, the fake never sees two connections
// at once, and the client keeps receiving with seq increasing.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>

#include "child_process.hpp"
#include "fake_alpaca.hpp"
#include "fake_finnhub.hpp"
#include "http_probe.hpp"
#include "quote_client.hpp"
#include "redis_server.hpp"
#include "sse_reader.hpp"
#include "temp_dir.hpp"
#include "test_certificates.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;

TEST(ProviderFleet, OneConnectionFleetWideAndAKilledHolderIsReplacedWithinTheLease) {
  const TempDir dir("provider-fleet");
  const auto certs = make_test_certificates(dir.path().string(), "alpaca");
  FakeAlpacaOptions o;
  o.cert_file = certs.cert;
  o.key_file = certs.key;
  FakeAlpaca fake(o);
  // What an operator sets; the children inherit it.
  ::setenv("SSL_CERT_FILE", certs.ca.c_str(), 1);
  ::setenv("APCA_API_KEY_ID", o.key.c_str(), 1);
  ::setenv("APCA_API_SECRET_KEY", o.secret.c_str(), 1);
  ::setenv("APCA_API_STREAM_URL", fake.stream_url().c_str(), 1);
  ::setenv("APCA_API_DATA_URL", fake.base_url().c_str(), 1);
  ::setenv("APCA_API_BASE_URL", fake.base_url().c_str(), 1);

  RedisServer redis("provider-fleet-redis");
  const std::string cache = "--cache=" + redis.url();
  const std::vector<std::string> dispatch = {"--role=dispatch", cache, "--upstream=alpaca://iex",
                                             "--upstream-retry-max=1"};
  auto args = [&](const char* id) {
    auto a = dispatch;
    a.push_back(std::string("--node-id=") + id);
    return a;
  };
  std::map<std::string, std::unique_ptr<Tickwired>> dispatchers;
  dispatchers["d1"] = std::make_unique<Tickwired>(args("d1"), "provider-fleet-d1");
  dispatchers["d2"] = std::make_unique<Tickwired>(args("d2"), "provider-fleet-d2");
  Tickwired frontend({"--role=frontend", cache, "--node-id=f1", "--demand-linger=1"},
                     "provider-fleet-frontend");

  SseReader client(frontend.port, "/v1/stream?symbols=AAPL,MSFT");
  ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("AAPL").size() >= 5; }, 15s))
      << "no quotes through the fleet (status " << client.status() << ")";

  auto holders = [&] {
    std::vector<std::string> out;
    for (const auto& [id, d] : dispatchers) {
      if (d && scrape(d->port, "tickwire_dispatch_provider_lease_held") == 1) out.push_back(id);
    }
    return out;
  };
  ASSERT_EQ(holders().size(), 1u);
  EXPECT_EQ(fake.connections_now(), 1u);
  EXPECT_EQ(fake.max_concurrent_connections(), 1u);
  EXPECT_EQ(fake.subscribed_quotes(), (std::set<std::string>{"AAPL", "MSFT"}));

  const auto holder = holders().front();
  const auto seen = client.quotes_of("AAPL").size();
  const auto killed_at = std::chrono::steady_clock::now();
  dispatchers[holder]->process->signal(SIGKILL);
  dispatchers[holder]->process->wait_exit(5s);
  dispatchers[holder].reset();

  ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("AAPL").size() >= seen + 5; }, 15s))
      << "quotes did not resume after the holder died";
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - killed_at).count();
  std::printf("failover: quotes resumed %.2f s after kill -9 (lease 3 s)\n", took);
  EXPECT_LE(took, 3.0 + 3.0);
  EXPECT_EQ(holders().size(), 1u);
  EXPECT_NE(holders().front(), holder);
  EXPECT_EQ(fake.max_concurrent_connections(), 1u);  // never two at once
  EXPECT_EQ(fake.connections_total(), 2u);
  const auto quotes = client.quotes_of("AAPL");
  for (std::size_t i = 1; i < quotes.size(); ++i) {
    ASSERT_GT(quotes[i].seq, quotes[i - 1].seq) << "seq went backwards across the failover";
  }
  EXPECT_FALSE(client.closed());
}

// A symbol over the plan's limit, told through Redis: the clients of the frontend that asked
// get a status event, and a frontend that asks later (another process) finds it stored there.
TEST(ProviderFleet, ASymbolOverThePlansLimitIsToldThroughRedisAndStoredForLaterFrontends) {
  const TempDir dir("provider-limit");
  const auto certs = make_test_certificates(dir.path().string(), "finnhub");
  FakeFinnhubOptions o;
  o.cert_file = certs.cert;
  o.key_file = certs.key;
  FakeFinnhub fake(o);
  ::setenv("SSL_CERT_FILE", certs.ca.c_str(), 1);
  ::setenv("FINNHUB_TOKEN", o.token.c_str(), 1);
  ::setenv("FINNHUB_STREAM_URL", fake.stream_url().c_str(), 1);
  ::setenv("FINNHUB_API_URL", fake.base_url().c_str(), 1);
  ::setenv("FINNHUB_SYMBOL_LIMIT", "2", 1);

  RedisServer redis("provider-limit-redis");
  const std::string cache = "--cache=" + redis.url();
  Tickwired dispatcher({"--role=dispatch", cache, "--upstream=finnhub://", "--node-id=d1"},
                       "provider-limit-d1");
  Tickwired f1({"--role=frontend", cache, "--node-id=f1"}, "provider-limit-f1");
  auto has = [](const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  };
  const std::string refused = "NVDA unavailable upstream_symbol_limit";
  auto client = make_client(Transport::sse, f1.port, {"AAPL", "MSFT", "NVDA"});
  ASSERT_TRUE(client->pump_until([&] { return has(client->symbol_statuses(), refused); }, 15s))
      << "no status for the refused symbol through Redis";
  EXPECT_EQ(fake.subscribed(), (std::set<std::string>{"AAPL", "MSFT"}));

  Tickwired f2({"--role=frontend", cache, "--node-id=f2"}, "provider-limit-f2");
  auto later = make_client(Transport::poll, f2.port, {"NVDA"});
  ASSERT_TRUE(later->pump_until([&] { return has(later->symbol_statuses(), refused); }, 10s))
      << "the status was not stored in Redis for a frontend that asks later";
  for (const char* v : {"SSL_CERT_FILE", "FINNHUB_TOKEN", "FINNHUB_STREAM_URL", "FINNHUB_API_URL",
                        "FINNHUB_SYMBOL_LIMIT"}) {
    ::unsetenv(v);
  }
}

}  // namespace
}  // namespace tickwire::test
