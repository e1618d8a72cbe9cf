// The dispatch tier against a failing upstream: the exchange runs on its own, the backend follows
// it through a proxy that can cut every connection (RST), as a network failure would.
#include <gtest/gtest.h>

#include "backend_fixture.hpp"
#include "exchange/exchange_server.hpp"
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

}  // namespace
}  // namespace tickwire::test
