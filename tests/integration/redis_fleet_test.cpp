// The scale-out deployment as separate processes over a real Redis: redis-server on a free
// loopback port, one exchange, two dispatchers and two frontends (tickwired --role ...), and
// 210 SSE clients spread over both frontends. Every process is stopped by its PID at the end,
// also when an assertion fails (ChildProcess and RedisServer destructors).
#include <gtest/gtest.h>

#include <csignal>
#include <set>
#include <thread>

#include <boost/json.hpp>

#include "child_process.hpp"
#include "dispatch/rendezvous.hpp"
#include "fleet_checks.hpp"
#include "http_probe.hpp"
#include "quote_client.hpp"
#include "redis_server.hpp"
#include "sse_reader.hpp"
#include "sse_swarm.hpp"
#include "tickwire/bar_json.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(RedisFleet, FailoverRedisRestartAndFrontendLoss) {
  RedisServer redis("fleet-redis");
  FiveNodeFleet fleet("--cache=" + redis.url(), "fleet-");
  const auto exchange_port = fleet.exchange.port;
  const auto f2_port = fleet.frontend_2.port;

  // Symbols: 40 shared by the 200 clients that move to the other frontend when theirs dies,
  // 10 more held only by clients of frontend-1 that do not come back.
  const auto pool = listed_symbols(exchange_port, 50);
  ASSERT_EQ(pool.size(), 50u);
  SseSwarm swarm(two_frontend_swarm(pool, fleet.frontend_1.port, f2_port));
  swarm.start();

  // 1. Everyone streaming; each demanded symbol subscribed upstream exactly once.
  ASSERT_TRUE(swarm.pump_until([&] { return all_streaming(swarm); }, 15s))
      << "not every client got its snapshot";
  const auto demanded = demanded_by(swarm, false);
  ASSERT_EQ(demanded.size(), 50u);
  expect_exactly_once(swarm, exchange_port, demanded, 5s, "at steady state");
  expect_shared_upstream(fleet.dispatch_1.port, fleet.dispatch_2.port, 50.0);

  // The whole fleet, by tier, from either frontend's operator endpoint.
  EXPECT_EQ(fleet_nodes(f2_port), five_node_fleet());

  // 2. kill -9 of a dispatcher: its symbols resume on the other within the lease plus 2 s.
  std::set<std::string> orphans;
  for (const auto& s : demanded) {
    if (dispatch::rendezvous_owner(s, {"dispatch-1", "dispatch-2"}) == "dispatch-1") {
      orphans.insert(s);
    }
  }
  ASSERT_FALSE(orphans.empty());
  expect_dispatcher_loss_ridden_out(swarm, fleet.dispatch_1, orphans, kLease + 2s);
  expect_exactly_once(swarm, exchange_port, demanded, 2s, "after the dispatcher's loss");
  EXPECT_EQ(scrape(fleet.dispatch_2.port, "tickwire_dispatch_upstream_symbols"), 50.0);

  // 3. Redis crashes and comes back empty: clients stay connected, see `stale` then `live`,
  //    and converge to the exchange's latest quotes within 5 s of Redis returning.
  redis.stop(SIGKILL);
  EXPECT_TRUE(swarm.pump_until([&] { return all_told(swarm, "stale"); }, 3s))
      << "not every client was told the data is stale";
  // A client joining meanwhile, by any transport, is told too (right after its snapshot).
  std::vector<std::unique_ptr<QuoteClient>> joiners;
  for (auto t : {Transport::sse, Transport::websocket, Transport::poll}) {
    joiners.push_back(make_client(t, f2_port, {pool[0]}));
    auto& j = *joiners.back();
    EXPECT_TRUE(j.pump_until(
        [&] { return j.statuses().size() == 1 && j.statuses()[0] == "stale"; }, 3s))
        << to_string(t);
    swarm.pump_for(100ms);
  }
  swarm.pump_for(1000ms);
  redis.start();
  const auto returned_at = Clock::now();
  const auto latest = exchange_latest(exchange_port, demanded);
  ASSERT_EQ(latest.size(), demanded.size());
  const bool converged = swarm.pump_until([&] { return all_caught_up(swarm, latest); }, 5s);
  const double converge_s = seconds_since(returned_at);
  EXPECT_TRUE(converged) << "clients did not converge within 5 s of Redis returning";
  std::cout << "[ figures  ] Redis restart: every client at or past the exchange's latest "
            << converge_s << " s after Redis returned\n";
  for (const auto& c : swarm.clients()) EXPECT_EQ(c.losses, 0) << "a client was dropped";
  for (auto& j : joiners) {
    EXPECT_TRUE(j->pump_until(
        [&] { return j->statuses().size() == 2 && j->statuses()[1] == "live"; }, 3s));
  }
  joiners.clear();
  expect_exactly_once(swarm, exchange_port, demanded, 3s, "after Redis returned");

  // 4. kill -9 of a frontend: its clients reconnect to the other and get a snapshot; the
  //    demand only it held expires with its lease, and upstream subscriptions shrink.
  expect_frontend_loss_ridden_out(swarm, fleet.frontend_1, f2_port, exchange_port);

  // seq never went backwards for any client, through all of it.
  for (const auto& c : swarm.clients()) EXPECT_EQ(c.backwards, 0);

  // The survivors stop cleanly on SIGTERM, giving back their leases.
  fleet.expect_survivors_exit_cleanly();
}

// Redis faults the first test does not cover: a Redis that stops answering but keeps its sockets
// open (SIGSTOP for 10 s), and one killed and restarted with its data (an append-only file).
// Clients are told `stale`, stay connected, and converge to the exchange's latest quotes within
// 5 s of Redis answering again; no seq goes backwards and no quote event repeats one.
TEST(RedisFleet, ARedisThatHangsOrRestartsWithItsDataIsRiddenOut) {
  RedisServer redis("hang-redis", RedisServer::Durability::append_only);
  ThreeNodeFleet fleet("--cache=" + redis.url(), "hang-");
  const auto& exchange = fleet.exchange;
  const auto& demanded = kFiveSymbols;
  SseSwarm swarm(one_frontend_swarm(fleet.frontend.port, demanded, 20));
  swarm.start();
  ASSERT_TRUE(swarm.pump_until([&] { return all_streaming(swarm); }, 10s));

  // 1. Redis hangs: the sockets stay open, nothing answers. The links notice by their
  //    heartbeat (3 s), and reconnect once it answers again.
  redis.pause();
  const auto paused_at = Clock::now();
  expect_told_stale(swarm, "Redis SIGSTOP", 6s);
  swarm.pump_for(std::chrono::duration_cast<std::chrono::milliseconds>(
      10s - (Clock::now() - paused_at)));
  redis.resume();
  expect_caught_up(swarm, exchange.port, demanded, "Redis SIGSTOP 10 s", "Redis answered", 5s);

  // 2. Redis is killed and restarted with its data.
  redis.stop(SIGKILL);
  expect_told_stale(swarm, "Redis kill -9 (with its data)", 3s);
  swarm.pump_for(1000ms);
  redis.start();
  EXPECT_NE(redis_command(redis.port(), "EXISTS tw:quote:{AAPL}"), ":0")
      << "the append-only file did not bring the data back";
  expect_caught_up(swarm, exchange.port, demanded, "Redis kill -9 and restart with its data",
                   "Redis answered", 5s);

  expect_no_losses_backwards_or_repeats(swarm);
  fleet.expect_clean_exits();
}

// A series' value in a /metrics page (Prometheus text); -1 when it is not there.
double prometheus_value(const std::string& page, const std::string& series) {
  const auto at = page.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::strtod(page.c_str() + at + series.size() + 2, nullptr);
}

TEST(RedisFleet, FrontendsShareOnePortAndShrugOffBadMessages) {
  // Two frontend processes on one port (SO_REUSEPORT): the kernel spreads the connections, so a
  // machine holds more than one process's file limit.
  RedisServer redis("shared-port-redis");
  const std::string cache = "--cache=" + redis.url();
  Tickwired exchange({"--role=exchange", cache, "--exchange-symbols=300"}, "shared-port-exchange");
  Tickwired dispatcher({"--role=dispatch", cache, "--node-id=dispatch-1",
                        "--upstream=http://127.0.0.1:" + std::to_string(exchange.port)},
                       "shared-port-dispatch");
  const auto port = free_loopback_port();
  // Each with an admin port of its own: its own /metrics, whichever process the shared port
  // would reach.
  const auto admin_a = free_loopback_port(), admin_b = free_loopback_port();
  Tickwired fa({"--role=frontend", cache, "--node-id=frontend-a", "--reuse-port",
                "--admin-port=" + std::to_string(admin_a)},
               "shared-port-frontend-a", 0, port);
  Tickwired fb({"--role=frontend", cache, "--node-id=frontend-b", "--reuse-port",
                "--admin-port=" + std::to_string(admin_b)},
               "shared-port-frontend-b", 0, port);
  ASSERT_EQ(fa.port, port);
  ASSERT_EQ(fb.port, port);

  std::vector<SseSwarm::Spec> specs;
  for (int i = 0; i < 60; ++i) specs.push_back({{port}, {"AAPL", "MSFT"}, true});
  SseSwarm swarm(specs);
  swarm.start();
  ASSERT_TRUE(swarm.pump_until(
      [&] {
        for (const auto& c : swarm.clients()) {
          if (!c.connected || c.seq.size() != 2) return false;
        }
        return true;
      },
      10s));

  // Each node's count, as the fleet listing reports it (reports are a second apart).
  const std::string sse = "tickwire_frontend_connections{transport=\"sse\"}";
  double a = 0, b = 0;
  EXPECT_TRUE(swarm.pump_until(
      [&] {
        a = fleet_metric(port, "frontend-a", sse);
        b = fleet_metric(port, "frontend-b", sse);
        return a + b == 60;
      },
      5s))
      << a << " + " << b;
  EXPECT_GT(a, 0);
  EXPECT_GT(b, 0);
  // The same counts on each process's own admin port, which serves nothing else.
  EXPECT_EQ(prometheus_value(http_get(admin_a, "/metrics").body, sse), a);
  EXPECT_EQ(prometheus_value(http_get(admin_b, "/metrics").body, sse), b);
  EXPECT_EQ(http_get(admin_a, "/healthz").status, 200);
  EXPECT_EQ(http_get(admin_b, "/v1/admin/metrics").status, 200);
  EXPECT_EQ(http_get(admin_a, "/v1/stream?symbols=AAPL").status, 404);

  // One-minute bars: the dispatcher stores them in Redis, and either frontend serves them.
  int served = 0;
  EXPECT_TRUE(swarm.pump_until(
      [&] {
        const auto reply = http_get(port, "/v1/bars?symbol=AAPL");
        const auto doc = reply.status == 200 ? decode_bars(reply.body) : std::nullopt;
        served = doc && !doc->bars.empty() ? served + 1 : 0;
        return served == 6;  // six answers in a row, over new connections to either process
      },
      15s));  // the dispatcher stores bars every 5 s
  EXPECT_NE(redis_command(redis.port(), "HLEN tw:bars:{AAPL}"), ":0");
  const auto quiet = decode_bars(http_get(port, "/v1/bars?symbol=NFLX").body);
  ASSERT_TRUE(quiet);
  EXPECT_TRUE(quiet->bars.empty());

  // Garbage on a quote channel (a foreign publisher, a bug): counted, dropped, nobody hurt.
  EXPECT_EQ(redis_command(redis.port(), "PUBLISH tw:quotes:{AAPL} not-a-quote"), ":2");
  std::vector<std::uint64_t> before;
  for (const auto& c : swarm.clients()) before.push_back(c.quotes);
  EXPECT_TRUE(swarm.pump_until(
      [&] {
        return fleet_metric(port, "frontend-a", "tickwire_cache_bad_messages_total") == 1 &&
               fleet_metric(port, "frontend-b", "tickwire_cache_bad_messages_total") == 1;
      },
      5s));
  EXPECT_TRUE(swarm.pump_until(
      [&] {
        for (std::size_t i = 0; i < before.size(); ++i) {
          if (swarm.clients()[i].quotes <= before[i]) return false;
        }
        return true;
      },
      5s))
      << "clients stopped receiving after a bad message";
  for (const auto& c : swarm.clients()) EXPECT_EQ(c.losses, 0);

  // Redis dies as the frontends are told to stop, with clients connected: the link's loss
  // reaches frontends that are shutting down, which must still exit cleanly (a frontend once
  // crashed posting the stale status to a shard pool that was gone).
  redis.stop(SIGKILL);
  fa.process->signal(SIGTERM);
  fb.process->signal(SIGTERM);
  EXPECT_EQ(fa.process->wait_exit(6s), 0);
  EXPECT_EQ(fb.process->wait_exit(6s), 0);
}

// Reading every node's document costs Redis what the fleet squared costs: each frontend reads
// the fleet only while an operator endpoint watches it (59 idle frontends kept redis-server at
// 17% of a core and sent 80 MB/s before). The frontend's counter of reads shows it.
TEST(RedisFleet, AFrontendReadsTheFleetOnlyWhileAnOperatorWatches) {
  RedisServer redis("fleet-reads-redis");
  const std::string cache = "--cache=" + redis.url();
  Tickwired exchange({"--role=exchange", cache, "--node-id=exchange-1", "--exchange-symbols=50"},
                     "fleet-reads-exchange");
  // A frontend is ready once a dispatcher has loaded the symbol directory.
  Tickwired dispatcher({"--role=dispatch", cache, "--node-id=dispatch-1",
                        "--upstream=http://127.0.0.1:" + std::to_string(exchange.port)},
                       "fleet-reads-dispatch");
  const auto admin = free_loopback_port();
  Tickwired frontend({"--role=frontend", cache, "--node-id=frontend-1",
                      "--admin-port=" + std::to_string(admin)},
                     "fleet-reads-frontend");
  const std::string reads = "tickwire_cache_fleet_reads_total";
  auto count = [&] { return prometheus_value(http_get(admin, "/metrics").body, reads); };

  // Nobody has asked: the frontend reports itself but reads nothing.
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(count(), 0.0);

  // A one-off look reads the fleet then, and lists the exchange.
  const auto doc = boost::json::parse(http_get(frontend.port, "/v1/admin/metrics").body);
  std::set<std::string> ids;
  for (const auto& n : doc.at("nodes").as_array()) ids.insert(std::string(n.at("id").as_string()));
  EXPECT_TRUE(ids.contains("exchange-1")) << boost::json::serialize(doc);
  const double after_look = count();
  EXPECT_GE(after_look, 1.0);

  // Watching the stream keeps it read at every report (a tenth of the 3 s lease).
  {
    SseReader stream(frontend.port, "/v1/admin/metrics/stream");
    stream.pump_for(3s);
    EXPECT_GE(stream.events().size(), 2u);
  }
  const double after_watch = count();
  EXPECT_GE(after_watch - after_look, 5.0);

  // Once nobody has asked for the watch window (5 s here), the reads stop again.
  std::this_thread::sleep_for(6s);
  const double settled = count();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(count(), settled);
}

}  // namespace
}  // namespace tickwire::test
