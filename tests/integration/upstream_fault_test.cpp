// The dispatch tier against a failing upstream: the exchange runs on its own, the backend follows
// it through a proxy that can cut every connection (RST), as a network failure would.
#include <gtest/gtest.h>

#include <iostream>
#include <memory>

#include "backend_fixture.hpp"
#include "exchange/exchange_server.hpp"
#include "scripted_feed.hpp"
#include "sse_reader.hpp"
#include "tcp_proxy.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;

TEST(UpstreamFault, DroppedUpstreamIsResumedAndSeqNeverGoesBackwards) {
  ops::Registry exchange_metrics;
  exchange::ExchangeServer::Configuration ec;
  ec.tick_rate = 3000;
  exchange::ExchangeServer exchange(exchange_metrics, ec);
  exchange.start();
  TcpProxy proxy(exchange.local_endpoint().port());

  auto config = test_config();
  config.upstream = net::UpstreamUrl{"127.0.0.1", std::to_string(proxy.port()), ""};
  Backend backend(config);
  ASSERT_FALSE(backend.node().exchange_endpoint());  // no simulator of its own

  SseReader client(backend.port(), "/v1/stream?symbols=AAPL,MSFT,NVDA");
  ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("AAPL").size() >= 3; }, 10s));

  for (int cut = 0; cut < 3; ++cut) {
    proxy.cut();
    const auto seen = client.quotes_of("AAPL").size();
    ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("AAPL").size() >= seen + 5; }, 10s))
        << "no quotes after cut " << cut;
  }
  EXPECT_FALSE(client.closed());  // the client's own connection was never touched
  EXPECT_GE(backend.metric("tickwire_dispatch_upstream_reconnects_total"), 3);
  // Reconnects resumed from Last-Event-ID instead of starting over.
  EXPECT_GE(metric_value(exchange_metrics.render_prometheus(), "tickwire_exchange_stream_resumes_total"), 3);
  for (const char* s : {"AAPL", "MSFT", "NVDA"}) {
    const auto quotes = client.quotes_of(s);
    ASSERT_FALSE(quotes.empty()) << s;
    for (std::size_t i = 1; i < quotes.size(); ++i) {
      ASSERT_GT(quotes[i].seq, quotes[i - 1].seq) << s << " went backwards";
    }
  }
  exchange.shutdown(500ms);
}

TEST(UpstreamFault, UpstreamDownAtStartIsRetriedUntilItAppears) {
  // Point at a port nobody listens on yet; the backend must start, keep retrying, and serve
  // quotes once the feed appears there.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor probe(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = probe.local_endpoint().port();
  probe.close();

  auto config = test_config();
  config.upstream = net::UpstreamUrl{"127.0.0.1", std::to_string(port), ""};
  app::AllInOne node(config);
  node.start();
  EXPECT_EQ(http_get(node.frontend_endpoint().port(), "/readyz").status, 503u);
  std::this_thread::sleep_for(600ms);

  ops::Registry exchange_metrics;
  exchange::ExchangeServer::Configuration ec;
  ec.bind.port(port);
  exchange::ExchangeServer exchange(exchange_metrics, ec);
  exchange.start();
  const auto fe = node.frontend_endpoint().port();
  ASSERT_TRUE(eventually([&] { return http_get(fe, "/readyz").status == 200; }, 10s));
  SseReader client(fe, "/v1/stream?symbols=AAPL");
  EXPECT_TRUE(client.pump_until([&] { return client.quotes_of("AAPL").size() >= 2; }, 10s));
  node.shutdown(1s);
  exchange.shutdown(500ms);
}

TEST(UpstreamFault, AFeedRestartingAtSeqOneUnderANewEpochIsFollowed) {
  // Feeds number their quotes again from 1 after a restart (or at a new trading day), under a
  // new epoch. The dispatcher must follow the new life, and clients must still see seq only
  // increase: Tickwire's own sequence, continued.
  ops::Registry first_metrics;
  exchange::ExchangeServer::Configuration ec;
  ec.tick_rate = 3000;
  ec.seq_from_one = true;
  auto first = std::make_unique<exchange::ExchangeServer>(first_metrics, ec);
  first->start();
  const auto port = first->local_endpoint().port();

  auto config = test_config();
  config.upstream = net::UpstreamUrl{"127.0.0.1", std::to_string(port), ""};
  Backend backend(config);
  const std::vector<std::string> symbols{"AAPL", "MSFT", "NVDA"};
  SseReader client(backend.port(), "/v1/stream?symbols=AAPL,MSFT,NVDA");
  ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("AAPL").size() >= 20; }, 10s));
  const auto seq_before = client.quotes_of("AAPL").back().seq;
  ASSERT_GT(seq_before, 10u);  // numbered from 1: the restart below falls far below it

  first->shutdown(200ms);
  first.reset();
  ops::Registry second_metrics;
  ec.bind.port(port);
  ec.seed += 1;
  exchange::ExchangeServer second(second_metrics, ec);
  second.start();
  const auto restarted = std::chrono::steady_clock::now();
  const auto restarted_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
  auto after_restart = [&](const std::string& s) {
    std::size_t n = 0;
    for (const auto& q : client.quotes_of(s)) n += q.ts >= restarted_us;
    return n;
  };
  ASSERT_TRUE(client.pump_until(
      [&] {
        for (const auto& s : symbols) {
          if (after_restart(s) < 3) return false;
        }
        return true;
      },
      10s))
      << "the restarted feed was not followed";
  const auto followed_in = std::chrono::steady_clock::now() - restarted;
  EXPECT_LT(followed_in, 3s);
  std::cout << "followed the restarted feed in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(followed_in).count()
            << " ms\n";

  EXPECT_FALSE(client.closed());
  for (const auto& s : symbols) {
    const auto quotes = client.quotes_of(s);
    for (std::size_t i = 1; i < quotes.size(); ++i) {
      ASSERT_GT(quotes[i].seq, quotes[i - 1].seq) << s << " went backwards at quote " << i;
    }
  }
  EXPECT_GT(client.quotes_of("AAPL").back().seq, seq_before);
  EXPECT_GE(backend.metric("tickwire_dispatch_upstream_epoch_changes_total"), 1);
  EXPECT_GE(backend.metric("tickwire_dispatch_upstream_restarts_total"), 3);
  second.shutdown(500ms);
}

// A slow, jittery network on both sides (tc netem is not available on every kernel, e.g. this
// CI machine's: "Specified qdisc kind is unknown"; the proxy adds the latency in userspace, in
// order, without loss). Clients still converge, later, and nothing goes backwards or repeats.
TEST(UpstreamFault, LatencyOnBothLinksDelaysButNeverReordersOrRepeats) {
  const std::vector<std::string> symbols{"AAPL", "MSFT", "NVDA"};
  ScriptedFeed feed(symbols);
  TcpProxy upstream_link(feed.port(), 60ms);
  auto config = test_config();
  config.upstream = net::UpstreamUrl{"127.0.0.1", std::to_string(upstream_link.port()), ""};
  Backend backend(config);
  TcpProxy client_link(backend.port(), 40ms);
  SseReader client(client_link.port(), "/v1/stream?symbols=AAPL,MSFT,NVDA");
  ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("AAPL").size() >= 20; }, 10s));
  feed.pause_market(true);
  const auto paused = std::chrono::steady_clock::now();
  ASSERT_TRUE(client.pump_until(
      [&] {
        for (const auto& s : symbols) {
          const auto seen = client.quotes_of(s);
          if (seen.empty() || seen.back().seq != feed.latest(s).seq) return false;
        }
        return true;
      },
      3s))
      << "clients did not reach the latest quotes over the slow links";
  std::cout << "converged "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - paused)
                   .count()
            << " ms after the market paused (links: 60-90 ms and 40-60 ms per read)\n";
  for (const auto& s : symbols) {
    const auto seen = client.quotes_of(s);
    for (std::size_t i = 1; i < seen.size(); ++i) {
      ASSERT_GT(seen[i].seq, seen[i - 1].seq) << s << " went backwards or repeated at " << i;
    }
  }
  EXPECT_EQ(backend.metric("tickwire_dispatch_upstream_reconnects_total"), 0);
}

// An upstream that breaks its stream in the ways real ones do. Every case: the dispatcher drops
// the connection, counts it, reconnects and resumes; clients converge to the feed's latest
// quotes, and no seq goes backwards or repeats (each quote is delivered once).
class BrokenUpstream : public ::testing::TestWithParam<ScriptedFeed::Fault> {};

TEST_P(BrokenUpstream, ClientsConvergeToTheLatestQuotesWithSeqNeverBackwardsOrRepeated) {
  const std::vector<std::string> symbols{"AAPL", "MSFT", "NVDA"};
  ScriptedFeed feed(symbols);
  auto config = test_config();
  config.upstream = net::UpstreamUrl{"127.0.0.1", std::to_string(feed.port()), ""};
  Backend backend(config);
  SseReader client(backend.port(), "/v1/stream?symbols=AAPL,MSFT,NVDA");
  ASSERT_TRUE(client.pump_until([&] { return client.quotes_of("AAPL").size() >= 5; }, 10s));
  const auto connections = feed.stream_connections();

  feed.inject(GetParam(), 5);
  ASSERT_TRUE(client.pump_until([&] { return feed.faults_done() == 1; }, 10s));
  const auto faulted = std::chrono::steady_clock::now();
  ASSERT_TRUE(client.pump_until([&] { return feed.stream_connections() > connections; }, 10s))
      << "the dispatcher did not reconnect";
  std::cout << "reconnected "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - faulted)
                   .count()
            << " ms after the fault\n";
  client.pump_for(300ms);  // quotes flow again over the new connection
  feed.pause_market(true);
  const auto paused = std::chrono::steady_clock::now();
  auto converged = [&] {
    for (const auto& s : symbols) {
      const auto seen = client.quotes_of(s);
      const auto want = feed.latest(s);
      if (seen.empty() || seen.back().seq != want.seq || seen.back().last != want.last) {
        return false;
      }
    }
    return true;
  };
  ASSERT_TRUE(client.pump_until(converged, 3s)) << "clients did not reach the latest quotes";
  std::cout << "converged "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - paused)
                   .count()
            << " ms after the market paused\n";

  EXPECT_FALSE(client.closed());  // the client's own stream was never interrupted
  for (const auto& s : symbols) {
    const auto seen = client.quotes_of(s);
    for (std::size_t i = 1; i < seen.size(); ++i) {
      ASSERT_GT(seen[i].seq, seen[i - 1].seq) << s << " went backwards or repeated at " << i;
    }
  }
  EXPECT_GE(backend.metric("tickwire_dispatch_upstream_reconnects_total"), 1);
  if (GetParam() == ScriptedFeed::Fault::garbage) {
    EXPECT_GE(backend.metric("tickwire_dispatch_bad_events_total"), 1);
  }
  EXPECT_EQ(backend.metric("tickwire_dispatch_upstream_epoch_changes_total"), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Faults, BrokenUpstream,
    ::testing::Values(ScriptedFeed::Fault::cut_mid_event, ScriptedFeed::Fault::garbage,
                      ScriptedFeed::Fault::truncated_chunk, ScriptedFeed::Fault::endless_line),
    [](const auto& param_info) {
      switch (param_info.param) {
        case ScriptedFeed::Fault::cut_mid_event: return std::string("CutMidEvent");
        case ScriptedFeed::Fault::garbage: return std::string("Garbage");
        case ScriptedFeed::Fault::truncated_chunk: return std::string("TruncatedChunk");
        case ScriptedFeed::Fault::endless_line: return std::string("EndlessLine");
        case ScriptedFeed::Fault::none: break;
      }
      return std::string("None");
    });

}  // namespace
}  // namespace tickwire::test
