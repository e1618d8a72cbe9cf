// The Kafka cache tier's two sides in this process, over librdkafka's mock cluster in a process
// of its own: what the fleet tests see from outside (tests/integration/kafka_fleet_test.cpp),
// checked here call by call, and under ASan + UBSan in the debug preset. A frontend's demand
// reaches the dispatchers' group; a published quote reaches the frontend's sink, and is its
// snapshot for a later subscription; a quote below the seq the topic holds is rejected; a
// symbol's status, its bars and the symbol directory travel too; a frontend that detaches
// withdraws its demand at once.
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <vector>

#include "backend_fixture.hpp"
#include "cache/kafka/kafka_dispatch_side.hpp"
#include "cache/kafka/kafka_frontend_side.hpp"
#include "kafka_cluster.hpp"
#include "ops/metrics.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;
using cache::kafka::KafkaDispatchSide;
using cache::kafka::KafkaFrontendSide;

EncodedQuote quote(const std::string& symbol, std::uint64_t seq, double last) {
  Quote q;
  q.symbol = symbol;
  q.seq = seq;
  q.ts = 1'700'000'000'000'000 + static_cast<std::int64_t>(seq);
  q.last = last;
  return EncodedQuote::encode(q);
}

// What the frontend's sinks and the dispatcher's watchers were given, from their threads.
struct Seen {
  std::mutex mu;
  std::vector<EncodedQuote> quotes;
  std::vector<cache::SymbolStatus> statuses;
  std::set<std::string> demanded;
  std::vector<cache::Rejection> rejections;
  std::vector<std::string> members;

  template <typename F>
  auto with(F f) {
    std::lock_guard lock(mu);
    return f();
  }
  std::uint64_t last_seq(const std::string& symbol) {
    return with([&] {
      std::uint64_t seq = 0;
      for (const auto& q : quotes) {
        if (q.symbol == symbol) seq = std::max(seq, q.seq);
      }
      return seq;
    });
  }
};

TEST(KafkaCacheTier, DemandQuotesRejectionsStatusBarsAndDirectoryCrossTheBus) {
  KafkaCluster cluster("kafka-cache-tier", KafkaCluster::cache_tier_topics(), 1);
  std::string why;
  const auto url = cache::kafka::parse_kafka_url(cluster.url(), &why);
  ASSERT_TRUE(url) << why;
  ops::Registry metrics;
  KafkaDispatchSide dispatch(*url, metrics, {"dispatch-1", 3000ms});
  KafkaFrontendSide frontend(*url, metrics, {"frontend-1", 3000ms, 500ms});
  Seen seen;
  dispatch.watch_rejections([&](const cache::Rejection& r) {
    seen.with([&] { seen.rejections.push_back(r); });
  });
  dispatch.watch_demand([&](const cache::DemandChange& c) {
    seen.with([&] {
      seen.demanded.insert(c.added.begin(), c.added.end());
      for (const auto& s : c.removed) seen.demanded.erase(s);
    });
  });
  dispatch.join_dispatchers("dispatch-1", [&](const std::vector<std::string>& m) {
    seen.with([&] { seen.members = m; });
  });
  dispatch.start();
  frontend.start();
  frontend.attach_frontend(
      "frontend-1",
      {[&](const EncodedQuote& q) { seen.with([&] { seen.quotes.push_back(q); }); },
       [&](const cache::SymbolStatus& s) { seen.with([&] { seen.statuses.push_back(s); }); }});
  bool live = false;
  frontend.watch_health("frontend-1", [&](bool up) { seen.with([&] { live = up; }); });
  ASSERT_TRUE(eventually([&] { return seen.with([&] { return live; }) && dispatch.ready(); }, 15s))
      << "the sides never saw the cluster, or the group never assigned the dispatcher";
  EXPECT_EQ(seen.with([&] { return seen.members; }), std::vector<std::string>{"dispatch-1"});

  // Demand crosses to the group's member.
  frontend.add_demand("frontend-1", {"AAPL", "MSFT"});
  EXPECT_TRUE(eventually(
      [&] { return seen.with([&] { return seen.demanded == std::set<std::string>{"AAPL", "MSFT"}; }); },
      5s));

  // Quotes cross to the frontend, in order; one below what the topic holds is rejected.
  dispatch.publish(quote("AAPL", 10, 190.5));
  dispatch.publish(quote("AAPL", 11, 190.6));
  ASSERT_TRUE(eventually([&] { return seen.last_seq("AAPL") == 11; }, 5s));
  dispatch.publish(quote("AAPL", 9, 180.0));
  ASSERT_TRUE(eventually([&] { return seen.with([&] { return !seen.rejections.empty(); }); }, 5s));
  {
    const auto r = seen.with([&] { return seen.rejections.front(); });
    EXPECT_EQ(r.symbol, "AAPL");
    EXPECT_EQ(r.held_seq, 11u);
  }
  EXPECT_EQ(seen.last_seq("AAPL"), 11u);

  // A status travels beside the quotes; a later subscription gets the latest quote and status.
  dispatch.set_symbol_status({"MSFT", "upstream_symbol_limit"});
  ASSERT_TRUE(eventually([&] { return seen.with([&] { return !seen.statuses.empty(); }); }, 5s));
  EXPECT_EQ(seen.with([&] { return seen.statuses.back().reason; }), "upstream_symbol_limit");
  const auto before = seen.with([&] { return seen.quotes.size(); });
  frontend.add_demand("frontend-1", {"AAPL", "MSFT"});  // a second client of the same symbols
  EXPECT_EQ(seen.with([&] { return seen.quotes.size(); }), before + 1) << "no snapshot of AAPL";
  EXPECT_EQ(seen.with([&] { return seen.statuses.back().symbol; }), "MSFT");

  // Bars and the directory.
  dispatch.store_bars("AAPL", {Bar{1'700'000'040, 190, 191, 189.5, 190.5, 1200},
                               Bar{1'700'000'100, 190.5, 190.9, 190.1, 190.6, 800}});
  std::optional<std::vector<Bar>> bars;
  EXPECT_TRUE(eventually(
      [&] {
        frontend.read_bars("AAPL", [&](std::optional<std::vector<Bar>> b) { bars = std::move(b); });
        return bars && bars->size() == 2;
      },
      5s));
  if (bars && bars->size() == 2) {
    EXPECT_EQ((*bars)[1].volume, 800u);
  }
  dispatch.set_directory(std::make_shared<SymbolDirectory>(std::vector<SymbolInfo>{
      {"AAPL", "Apple Inc."}, {"MSFT", "Microsoft Corporation"}}));
  EXPECT_TRUE(eventually([&] { return frontend.directory() && frontend.directory()->size() == 2; }, 5s));

  // Released demand lingers (0.5 s here), then leaves the dispatcher's demand; a detach
  // withdraws the rest at once.
  frontend.release_demand("frontend-1", {"MSFT"});
  EXPECT_TRUE(eventually(
      [&] { return seen.with([&] { return seen.demanded == std::set<std::string>{"AAPL"}; }); }, 5s));
  frontend.detach_frontend("frontend-1");
  EXPECT_TRUE(eventually([&] { return seen.with([&] { return seen.demanded.empty(); }); }, 2s))
      << "a detached frontend's demand stayed until its lease ran out";

  frontend.stop();
  dispatch.stop();
}

}  // namespace
}  // namespace tickwire::test
