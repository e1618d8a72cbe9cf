// tickwired as a separate process: what an operator sees. Every process is ended by its PID.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <thread>

#include "child_process.hpp"
#include "http_probe.hpp"
#include "sse_reader.hpp"
#include "tickwire/quote_json.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;

TEST(Tickwired, SigtermEndsStreamsCleanlyAndExitsWithinFiveSeconds) {
  Tickwired server({"--threads", "2"}, "sigterm");
  SseReader client(server.port, "/v1/stream?symbols=AAPL,MSFT");
  ASSERT_TRUE(client.pump_until([&] { return client.quotes().size() >= 4; }, 10s));

  const auto start = std::chrono::steady_clock::now();
  server.process->signal(SIGTERM);
  ASSERT_TRUE(client.pump_until([&] { return client.closed(); }, 5s));
  EXPECT_TRUE(client.clean_eof()) << "the stream was reset instead of ended";
  const auto code = server.process->wait_exit(5s);
  ASSERT_TRUE(code) << "still running 5 s after SIGTERM";
  EXPECT_EQ(*code, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(Tickwired, ReaderThatStopsReadingIsBoundedAndThenDisconnected) {
  Tickwired server({"--threads", "2", "--exchange-rate", "20000", "--write-timeout", "8"}, "slow");
  // The 300 most active symbols: a heavy stream (about half of all ticks).
  std::string symbols;
  const auto listing = boost::json::parse(http_get(server.port, "/v1/symbols?limit=300").body);
  for (const auto& s : listing.at("symbols").as_array()) {
    symbols += (symbols.empty() ? "" : ",") + std::string(s.at("symbol").as_string());
  }
  SseReader fast(server.port, "/v1/stream?symbols=" + symbols);
  // The stalled reader: tiny receive buffer, and it is never pumped.
  SseReader stalled(server.port, "/v1/stream?symbols=" + symbols, {}, 4096);

  fast.pump_for(1500ms);  // let the stalled connection's socket buffers fill up
  const long rss_start = server.process->rss_kib();
  // For 4 s the fast reader must keep receiving in every half second.
  for (int window = 0; window < 8; ++window) {
    const auto before = fast.quotes().size();
    fast.pump_for(500ms);
    ASSERT_GT(fast.quotes().size(), before) << "fast reader starved in window " << window;
  }
  const long rss_end = server.process->rss_kib();
  std::printf("server RSS while a reader was stalled: %ld KiB -> %ld KiB (+%ld KiB), fast reader got %zu quotes\n",
              rss_start, rss_end, rss_end - rss_start, fast.quotes().size());
  // Unbounded queueing would hold ~10K quotes/s for the stalled reader (tens of MB by now);
  // conflation keeps at most one pending quote per symbol.
  EXPECT_LT(rss_end - rss_start, 10 * 1024) << "RSS grew from " << rss_start << " to " << rss_end
                                            << " KiB while a reader was stalled";
  EXPECT_GT(scrape(server.port, "tickwire_frontend_quotes_conflated_total{transport=\"sse\"}"), 0);

  // After the write timeout the stalled reader is dropped and counted; the fast one stays.
  bool dropped = false;
  for (int i = 0; i < 40 && !dropped; ++i) {
    fast.pump_for(250ms);
    dropped = scrape(server.port, "tickwire_frontend_disconnects_total{transport=\"sse\",reason=\"write_timeout\"}") >= 1;
  }
  EXPECT_TRUE(dropped);
  EXPECT_FALSE(fast.closed());
  EXPECT_EQ(scrape(server.port, "tickwire_frontend_connections{transport=\"sse\"}"), 1);
  const auto aapl = fast.quotes_of("AAPL");
  ASSERT_FALSE(aapl.empty());
  for (std::size_t i = 1; i < aapl.size(); ++i) ASSERT_GT(aapl[i].seq, aapl[i - 1].seq);
}

TEST(Tickwired, AReaderThatPausesResumesWithAnIntactStream) {
  // A heavy stream into a 4 KiB receive buffer that is not read for 2 s: writes stop fitting,
  // the rest of each goes out later through the reactor, and newer quotes replace queued ones.
  // When the reader comes back every event must still be whole and in order.
  Tickwired server({"--threads", "2", "--exchange-rate", "20000"}, "pause");
  std::string symbols;
  const auto listing = boost::json::parse(http_get(server.port, "/v1/symbols?limit=300").body);
  for (const auto& s : listing.at("symbols").as_array()) {
    symbols += (symbols.empty() ? "" : ",") + std::string(s.at("symbol").as_string());
  }
  SseReader reader(server.port, "/v1/stream?symbols=" + symbols, {}, 4096);
  ASSERT_TRUE(reader.pump_until([&] { return reader.quotes().size() > 300; }, 10s));
  // Not reading until the server has had to hold quotes back (its write could not finish), up
  // to 20 s (the write timeout is 30 s).
  bool held_back = false;
  for (int i = 0; i < 200 && !held_back; ++i) {
    std::this_thread::sleep_for(100ms);
    held_back = scrape(server.port, "tickwire_frontend_quotes_conflated_total{transport=\"sse\"}") > 0;
  }
  ASSERT_TRUE(held_back) << "the stream never backed up";
  const auto before = reader.events().size();
  reader.pump_for(2s);
  ASSERT_GT(reader.events().size(), before + 100) << "the stream did not resume";

  std::map<std::string, std::uint64_t> last;
  for (const auto& e : reader.events()) {
    if (e.type != "quote") continue;
    const auto q = decode_quote(e.data);
    ASSERT_TRUE(q) << "a damaged event: " << e.data;
    auto& seq = last[q->symbol];
    ASSERT_GT(q->seq, seq) << q->symbol << " went backwards";
    seq = q->seq;
  }
  EXPECT_FALSE(reader.closed());
}

TEST(Tickwired, ConnectionsPastTheFileLimitAreRefusedGracefully) {
  // A 96-descriptor process: the flood below exhausts it.
  Tickwired server({"--threads", "2"}, "fdlimit", 96);
  std::vector<std::unique_ptr<boost::asio::ip::tcp::socket>> flood;
  boost::asio::io_context ioc;
  for (int i = 0; i < 150; ++i) {
    auto s = std::make_unique<boost::asio::ip::tcp::socket>(ioc);
    boost::system::error_code ec;
    s->connect({boost::asio::ip::make_address("127.0.0.1"), server.port}, ec);
    if (!ec) flood.push_back(std::move(s));  // the kernel backlog accepts them for us
  }
  std::this_thread::sleep_for(500ms);
  EXPECT_TRUE(server.process->running());
  flood.clear();  // give the descriptors back

  double refused = std::nan("");
  for (int i = 0; i < 50 && !(refused > 0); ++i) {
    std::this_thread::sleep_for(100ms);
    refused = scrape(server.port, "tickwire_frontend_accept_errors_total{reason=\"fd_limit\"}");
  }
  EXPECT_GT(refused, 0) << "EMFILE was not counted";
  EXPECT_EQ(http_get(server.port, "/healthz").status, 200u);
  SseReader client(server.port, "/v1/stream?symbols=AAPL");
  EXPECT_TRUE(client.pump_until([&] { return !client.quotes_of("AAPL").empty(); }, 10s));
  EXPECT_TRUE(server.process->running());
}

TEST(Tickwired, MetricsCarryTheDocumentedNames) {
  Tickwired server({}, "metrics");
  SseReader client(server.port, "/v1/stream?symbols=AAPL");
  ASSERT_TRUE(client.pump_until([&] { return client.quotes().size() >= 2; }, 10s));
  const auto r = http_get(server.port, "/metrics");
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.headers.at("content-type").rfind("text/plain; version=0.0.4", 0), 0u);
  for (const char* name :
       {"tickwire_frontend_connections{transport=\"sse\"}",
        "tickwire_frontend_connections{transport=\"websocket\"}",
        "tickwire_frontend_quotes_sent_total{transport=\"sse\"}",
        "tickwire_frontend_quotes_sent_total{transport=\"websocket\"}",
        "tickwire_frontend_quotes_conflated_total{transport=\"sse\"}",
        "tickwire_frontend_quotes_missed_total{transport=\"sse\"}",
        "tickwire_frontend_shard_conflated_deliveries_total",
        "tickwire_frontend_skipped_deliveries_total",
        "tickwire_frontend_disconnects_total{transport=\"sse\",reason=\"write_timeout\"}",
        "tickwire_cache_demanded_symbols", "tickwire_dispatch_upstream_symbols",
        "tickwire_dispatch_upstream_reconnects_total", "tickwire_dispatch_seq_gaps_total",
        "tickwire_exchange_subscriptions", "tickwire_exchange_subscribed_symbols",
        "tickwire_quote_latency_seconds_count"}) {
    EXPECT_FALSE(std::isnan(metric_value(r.body, name))) << name;
  }
  EXPECT_NE(r.body.find("# TYPE tickwire_frontend_rejected_requests_total counter"),
            std::string::npos);
  EXPECT_GT(metric_value(r.body, "tickwire_quote_latency_seconds_count"), 0);
}

TEST(Tickwired, HelpDocumentsEveryOptionAndBadOptionsFail) {
  const std::string log = "./help.log";
  ChildProcess help({{TICKWIRED_PATH, "--help"}, log, 0});
  ASSERT_EQ(help.wait_exit(5s), 0);
  std::ifstream in(log);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  for (const char* opt : {"--bind", "--port", "--threads", "--max-symbols", "--heartbeat",
                          "--write-timeout", "--demand-linger", "--upstream", "--exchange-rate",
                          "--log-level", "--role", "--cache", "--node-id", "--lease",
                          "--reuse-port", "--config"}) {
    EXPECT_NE(text.find(opt), std::string::npos) << opt;
  }
  ChildProcess bad({{TICKWIRED_PATH, "--upstream", "ftp://x"}, "./bad-option.log", 0});
  const auto code = bad.wait_exit(5s);
  ASSERT_TRUE(code);
  EXPECT_NE(*code, 0);
}

}  // namespace
}  // namespace tickwire::test
