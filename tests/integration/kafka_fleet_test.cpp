// The scale-out deployment as separate processes over Kafka (--cache kafka://...): librdkafka's
// mock cluster (3 brokers on loopback ports, a process of its own), one exchange, two
// dispatchers sharing the demand topic as one consumer group, two frontends, and 210 SSE
// clients spread over both frontends. The same fleet and the same checks as over Redis
// (redis_fleet_test.cpp): a snapshot then live quotes, each demanded symbol subscribed upstream
// exactly once, a dispatcher killed (the group hands its partitions to the other), the brokers
// going away and coming back (stale, then live), a frontend killed; and the URLs and the
// unreachable cluster an operator can get wrong. Every process is stopped by its PID at the
// end, also when an assertion fails (ChildProcess and KafkaCluster destructors).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <mutex>
#include <thread>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "backend_fixture.hpp"
#include "child_process.hpp"
#include "fleet_checks.hpp"
#include "http_probe.hpp"
#include "kafka_cluster.hpp"
#include "quote_client.hpp"
#include "sse_swarm.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// True when one line of `text` holds every one of `parts`.
bool has_line_with(const std::string& text, const std::vector<std::string>& parts) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const auto holds = [&](const std::string& p) { return line.find(p) != std::string::npos; };
    if (std::ranges::all_of(parts, holds)) return true;
  }
  return false;
}

TEST(KafkaFleet, SnapshotLiveQuotesFailoverAndFrontendLoss) {
  KafkaCluster cluster("kafka-fleet-cluster", KafkaCluster::cache_tier_topics(), 3);
  FiveNodeFleet fleet("--cache=" + cluster.url(), "kafka-fleet-");

  // Symbols: 40 shared by the 200 clients that move to the other frontend when theirs dies,
  // 10 more held only by clients of frontend-1 that do not come back.
  const auto symbols = listed_symbols(fleet.exchange.port, 50);
  ASSERT_EQ(symbols.size(), 50u);
  SseSwarm swarm(two_frontend_swarm(symbols, fleet.frontend_1.port, fleet.frontend_2.port));
  swarm.start();

  // 1. Every client gets a snapshot, then live quotes of each of its symbols (the dispatchers'
  //    group settles more slowly than Redis answers). Each demanded symbol is subscribed
  //    upstream exactly once, by one dispatcher or the other.
  const auto snapshot_then_live = [&] {
    return all_streaming(swarm) &&
           std::ranges::all_of(swarm.clients(), [](const SseSwarm::Client& c) {
             return c.snapshots > 0 && c.quotes > 0;
           });
  };
  ASSERT_TRUE(swarm.pump_until(snapshot_then_live, 20s))
      << "not every client got its snapshot and live quotes";
  const auto demanded = demanded_by(swarm, false);
  ASSERT_EQ(demanded.size(), 50u);
  expect_exactly_once(swarm, fleet.exchange.port, demanded, 10s, "once the group settled");
  expect_shared_upstream(fleet.dispatch_1.port, fleet.dispatch_2.port, 50.0);

  // The whole fleet, by tier, from a frontend's operator endpoint (documents on
  // tickwire.nodes), with each frontend's consumer lag.
  FleetNodes nodes;
  EXPECT_TRUE(swarm.pump_until(
      [&] { return (nodes = fleet_nodes(fleet.frontend_2.port)) == five_node_fleet(); }, 10s))
      << "the fleet listing has " << nodes.size() << " nodes";
  EXPECT_EQ(nodes, five_node_fleet());
  for (const char* id : {"frontend-1", "frontend-2"}) {
    EXPECT_GE(fleet_metric(fleet.frontend_2.port, id, "tickwire_cache_kafka_consumer_lag"), 0.0)
        << id << " reports no consumer lag";
  }

  // 2. kill -9 of a dispatcher: the group's rebalance gives its partitions to the other, and
  //    every demanded symbol ticks again within the lease (the group's session) + 5 s. Which
  //    symbols it held is the group's choice, so every one of them must advance.
  expect_dispatcher_loss_ridden_out(swarm, fleet.dispatch_1, demanded, kLease + 5s);
  expect_exactly_once(swarm, fleet.exchange.port, demanded, 5s, "after the rebalance");
  double survivor = 0;
  EXPECT_TRUE(swarm.pump_until(
      [&] {
        survivor = scrape(fleet.dispatch_2.port, "tickwire_dispatch_upstream_symbols");
        return survivor == 50.0;
      },
      5s))
      << "dispatch-2 holds " << survivor << " symbols upstream";

  // 3. A dispatcher joins: the group hands it half of the partitions. The paid-feed ratio
  //    (upstream subscriptions per demanded symbol) may pass 1.00 while both hold a partition;
  //    how far and for how long is measured, and it must come back to exactly once.
  {
    // Sampled on a thread of its own from before the start: Tickwired returns once the new
    // dispatcher is ready, which over Kafka is once the group has assigned it its share.
    std::atomic<bool> sampling{true};
    std::mutex mu;
    double worst = 0;
    Clock::time_point first_above{}, last_above{};
    std::thread sampler([&] {
      while (sampling) {
        const auto subs = upstream_subscriptions(fleet.exchange.port);
        double total = 0;
        for (const auto& [symbol, n] : subs) total += static_cast<double>(n);
        const double ratio = subs.empty() ? 0 : total / static_cast<double>(subs.size());
        {
          std::lock_guard lock(mu);
          worst = std::max(worst, ratio);
          if (ratio > 1.0) {
            if (first_above == Clock::time_point{}) first_above = Clock::now();
            last_above = Clock::now();
          }
        }
        std::this_thread::sleep_for(20ms);
      }
    });
    const auto joined_at = Clock::now();
    Tickwired dispatch_3({"--role=dispatch", "--cache=" + cluster.url(),
                          "--upstream=http://127.0.0.1:" + std::to_string(fleet.exchange.port),
                          "--node-id=dispatch-3"},
                         "kafka-fleet-dispatch-3");
    const bool shared = swarm.pump_until(
        [&] {
          return exactly_once(upstream_subscriptions(fleet.exchange.port), demanded) &&
                 scrape(dispatch_3.port, "tickwire_dispatch_upstream_symbols") > 0;
        },
        15s);
    const double settled_s = seconds_since(joined_at);
    swarm.pump_for(1s);  // past the settling, to see the ratio stay at 1.00
    sampling = false;
    sampler.join();
    EXPECT_TRUE(shared) << "dispatch-3 never took a share, or upstream never came back to "
                           "exactly once";
    const double above_s = first_above == Clock::time_point{}
                               ? 0.0
                               : std::chrono::duration<double>(last_above - first_above).count();
    std::cout << "[ figures  ] dispatcher joins: shares settled " << settled_s
              << " s after its start; upstream subscriptions per symbol at most " << worst
              << ", above 1.00 for " << above_s << " s\n";
    dispatch_3.process->signal(SIGTERM);
    EXPECT_EQ(dispatch_3.process->wait_exit(5s), 0);
  }

  // 4. kill -9 of a frontend: its clients reconnect to the other and get a snapshot; the demand
  //    only it held lapses with its lease, and upstream subscriptions shrink.
  expect_frontend_loss_ridden_out(swarm, fleet.frontend_1, fleet.frontend_2.port,
                                  fleet.exchange.port);

  // seq never went backwards for any client, through all of it.
  for (const auto& c : swarm.clients()) EXPECT_EQ(c.backwards, 0);

  // The survivors stop cleanly on SIGTERM (the dispatcher leaves the group).
  fleet.expect_survivors_exit_cleanly();
}

// Every broker goes away (connections closed, new ones refused) and comes back with its data:
// clients stay connected, are told `stale`, and once the brokers are back are told `live` and
// reach the exchange's latest quotes; no seq goes backwards and no quote event repeats one.
TEST(KafkaFleet, BrokersAwayMakeStreamsStaleThenLive) {
  KafkaCluster cluster("kafka-away-cluster", KafkaCluster::cache_tier_topics(), 3);
  ThreeNodeFleet fleet("--cache=" + cluster.url(), "kafka-away-");
  SseSwarm swarm(one_frontend_swarm(fleet.frontend.port, kFiveSymbols, 20));
  swarm.start();
  ASSERT_TRUE(swarm.pump_until([&] { return all_streaming(swarm); }, 20s));

  cluster.brokers_down();
  expect_told_stale(swarm, "Kafka brokers down", 6s);
  swarm.pump_for(3s);  // the outage itself: nothing to wait for
  cluster.brokers_up();
  expect_caught_up(swarm, fleet.exchange.port, kFiveSymbols, "Kafka brokers down and back",
                   "the brokers came back", 10s);

  expect_no_losses_backwards_or_repeats(swarm);
  fleet.expect_clean_exits();
}

// What an operator gets wrong: a --cache URL tickwired cannot use is refused at once (exit code
// 2, the problem named), and a cluster nobody answers at does not make a frontend ready, is
// logged with the broker's address, and tells the frontend's clients their data is stale.
TEST(KafkaFleet, BadUrlsAndUnreachableBrokersGiveClearErrors) {
  const struct {
    std::string url;
    std::string problem;
    std::string shown;  // the URL as the error prints it (user info masked)
  } cases[] = {
      {"kafka://", "an empty broker in the list", "kafka://"},
      {"kafka://host:99999", "bad port in host:99999", "kafka://host:99999"},
      {"kafka://user@h:1", "no user, path, query or fragment", "kafka://***@h:1"},
      {"kafka://h:1/path", "no user, path, query or fragment", "kafka://h:1/path"},
  };
  int n = 0;
  for (const auto& c : cases) {
    const auto log = "./kafka-bad-url-" + std::to_string(++n) + ".log";
    ChildProcess p({{TICKWIRED_PATH, "--check", "--role=frontend", "--cache=" + c.url}, log, 0});
    const auto code = p.wait_exit(5s);
    ASSERT_TRUE(code) << "still running: " << log;
    EXPECT_EQ(*code, 2) << c.url;
    EXPECT_TRUE(has_line_with(file_text(log), {"--cache " + c.shown, c.problem}))
        << c.url << ": no line names the problem (" << c.problem << "):\n"
        << file_text(log);
  }

  // Brokers nobody answers at. Started as a ChildProcess, not a Tickwired: that one waits for
  // /readyz to say ready, which this frontend must not.
  const auto port = free_loopback_port();
  const auto nobody = free_loopback_port();
  ASSERT_NE(port, nobody);
  const std::string broker = "127.0.0.1:" + std::to_string(nobody);
  const std::string log = "./kafka-unreachable-frontend.log";
  ChildProcess frontend({{TICKWIRED_PATH, "--port=" + std::to_string(port), "--role=frontend",
                          "--cache=kafka://" + broker, "--node-id=frontend-1"},
                         log,
                         0});
  unsigned readyz = 0;
  EXPECT_TRUE(eventually(
      [&] {
        readyz = http_get(port, "/readyz", 1s).status;
        return readyz == 503 && has_line_with(file_text(log), {" error ", broker});
      },
      10s))
      << "/readyz answered " << readyz << "; no error naming " << broker << " in " << log << ":\n"
      << file_text(log);
  ASSERT_TRUE(frontend.running()) << file_text(log);
  auto client = make_client(Transport::sse, port, {"AAPL"});
  EXPECT_TRUE(client->pump_until(
      [&] { return !client->statuses().empty() && client->statuses().back() == "stale"; }, 5s))
      << "a client of the frontend was not told its data is stale";
  client.reset();
  expect_clean_exits({&frontend});
}

}  // namespace
}  // namespace tickwire::test
