// The scale-out deployment as separate processes over a real Redis: redis-server on a free
// loopback port, one exchange, two dispatchers and two frontends (tickwired --role ...), and
// 210 SSE clients spread over both frontends. Every process is stopped by its PID at the end,
// also when an assertion fails (ChildProcess and RedisServer destructors).
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <random>
#include <set>
#include <thread>

#include <boost/json.hpp>

#include "child_process.hpp"
#include "dispatch/rendezvous.hpp"
#include "http_probe.hpp"
#include "quote_client.hpp"
#include "redis_server.hpp"
#include "sse_reader.hpp"
#include "sse_swarm.hpp"
#include "tickwire/bar_json.hpp"
#include "tickwire/symbol_directory.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kLease = 3s;  // tickwired's default --lease

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// The exchange's upstream subscriptions: symbol -> connections holding it.
std::map<std::string, std::int64_t> upstream_subscriptions(unsigned short exchange_port) {
  std::map<std::string, std::int64_t> out;
  const auto reply = http_get(exchange_port, "/v1/subscriptions");
  if (reply.status != 200) return out;
  const auto doc = boost::json::parse(reply.body);
  for (const auto& [symbol, n] : doc.at("subscriptions").as_object()) {
    out[std::string(symbol)] = n.as_int64();
  }
  return out;
}

// True when every demanded symbol is subscribed upstream exactly once, and nothing else is.
bool exactly_once(const std::map<std::string, std::int64_t>& subs,
                  const std::set<std::string>& demanded) {
  if (subs.size() != demanded.size()) return false;
  for (const auto& [symbol, n] : subs) {
    if (n != 1 || !demanded.contains(symbol)) return false;
  }
  return true;
}

std::set<std::string> demanded_by(const SseSwarm& swarm, bool connected_only) {
  std::set<std::string> out;
  for (const auto& c : swarm.clients()) {
    if (connected_only && !c.connected) continue;
    out.insert(c.symbols.begin(), c.symbols.end());
  }
  return out;
}

// The exchange's latest seq of each symbol right now, from a snapshot of its own stream.
std::map<std::string, std::uint64_t> exchange_latest(unsigned short exchange_port,
                                                     const std::set<std::string>& symbols) {
  std::string list;
  for (const auto& s : symbols) list += (list.empty() ? "" : ",") + s;
  SseReader reader(exchange_port, "/v1/stream?symbols=" + list);
  reader.pump_until([&] { return !reader.events().empty(); }, 5s);
  std::map<std::string, std::uint64_t> out;
  for (const auto& q : reader.quotes()) out[q.symbol] = std::max(out[q.symbol], q.seq);
  return out;
}

TEST(RedisFleet, FailoverRedisRestartAndFrontendLoss) {
  RedisServer redis("fleet-redis");
  const std::string cache = "--cache=" + redis.url();
  Tickwired exchange({"--role=exchange", cache, "--node-id=exchange-1", "--exchange-symbols=300",
                      "--exchange-rate=3000"},
                     "fleet-exchange");
  const std::string upstream = "--upstream=http://127.0.0.1:" + std::to_string(exchange.port);
  auto d1 = std::make_unique<Tickwired>(
      std::vector<std::string>{"--role=dispatch", cache, upstream, "--node-id=dispatch-1"},
      "fleet-dispatch-1");
  Tickwired d2({"--role=dispatch", cache, upstream, "--node-id=dispatch-2"}, "fleet-dispatch-2");
  auto f1 = std::make_unique<Tickwired>(
      std::vector<std::string>{"--role=frontend", cache, "--node-id=frontend-1",
                               "--demand-linger=1"},
      "fleet-frontend-1");
  Tickwired f2({"--role=frontend", cache, "--node-id=frontend-2", "--demand-linger=1"},
               "fleet-frontend-2");

  // Symbols: 40 shared by the 200 clients that move to the other frontend when theirs dies,
  // 10 more held only by clients of frontend-1 that do not come back.
  const auto listing = http_get(exchange.port, "/v1/symbols");
  ASSERT_EQ(listing.status, 200u);
  std::string error;
  const auto directory = SymbolDirectory::from_json(listing.body, &error);
  ASSERT_TRUE(directory) << error;
  ASSERT_GE(directory->size(), 50u);
  std::vector<std::string> pool;
  for (std::size_t i = 0; i < 50; ++i) pool.push_back(directory->all()[i].symbol);

  std::mt19937 rng(42);
  std::vector<SseSwarm::Spec> specs;
  for (int i = 0; i < 200; ++i) {
    std::vector<std::string> symbols(pool.begin(), pool.begin() + 40);
    std::shuffle(symbols.begin(), symbols.end(), rng);
    symbols.resize(5);
    const auto home = i % 2 == 0 ? f1->port : f2.port;
    const auto other = i % 2 == 0 ? f2.port : f1->port;
    specs.push_back({{home, other}, symbols, true});
  }
  for (int i = 0; i < 10; ++i) specs.push_back({{f1->port}, {pool[40 + i]}, false});
  SseSwarm swarm(specs);
  swarm.start();

  // 1. Everyone streaming; each demanded symbol subscribed upstream exactly once.
  ASSERT_TRUE(swarm.pump_until(
      [&] {
        for (const auto& c : swarm.clients()) {
          if (!c.connected || c.seq.size() != c.symbols.size()) return false;
        }
        return true;
      },
      15s))
      << "not every client got its snapshot";
  const auto demanded = demanded_by(swarm, false);
  ASSERT_EQ(demanded.size(), 50u);
  std::map<std::string, std::int64_t> subs;
  EXPECT_TRUE(swarm.pump_until(
      [&] { return exactly_once(subs = upstream_subscriptions(exchange.port), demanded); }, 5s))
      << "upstream holds " << subs.size() << " symbols for " << demanded.size() << " demanded";
  const double held1 = scrape(d1->port, "tickwire_dispatch_upstream_symbols");
  const double held2 = scrape(d2.port, "tickwire_dispatch_upstream_symbols");
  EXPECT_EQ(held1 + held2, 50.0);
  EXPECT_GT(held1, 0.0);
  EXPECT_GT(held2, 0.0);

  // The whole fleet, by tier, from either frontend's operator endpoint.
  {
    const auto doc = boost::json::parse(http_get(f2.port, "/v1/admin/metrics").body);
    std::set<std::pair<std::string, std::string>> nodes;
    for (const auto& n : doc.at("nodes").as_array()) {
      nodes.emplace(std::string(n.at("role").as_string()), std::string(n.at("id").as_string()));
    }
    const std::set<std::pair<std::string, std::string>> expected{
        {"exchange", "exchange-1"},   {"dispatch", "dispatch-1"}, {"dispatch", "dispatch-2"},
        {"frontend", "frontend-1"}, {"frontend", "frontend-2"}};
    EXPECT_EQ(nodes, expected);
  }

  // 2. kill -9 of a dispatcher: its symbols resume on the other within the lease plus 2 s.
  std::vector<std::string> orphans;
  for (const auto& s : demanded) {
    if (dispatch::rendezvous_owner(s, {"dispatch-1", "dispatch-2"}) == "dispatch-1") {
      orphans.push_back(s);
    }
  }
  ASSERT_FALSE(orphans.empty());
  const auto killed_at = Clock::now();
  d1->process->signal(SIGKILL);
  d1->process->wait_exit(2s);
  const bool resumed = swarm.pump_until(
      [&] {
        for (const auto& c : swarm.clients()) {
          for (const auto& s : c.symbols) {
            if (std::find(orphans.begin(), orphans.end(), s) == orphans.end()) continue;
            const auto it = c.advanced.find(s);
            if (it == c.advanced.end() || it->second < killed_at) return false;
          }
        }
        return true;
      },
      kLease + 2s);
  const double resume_s = seconds_since(killed_at);
  EXPECT_TRUE(resumed) << orphans.size() << " orphaned symbols not resumed after " << resume_s
                       << " s";
  std::cout << "[ figures  ] dispatcher kill -9: " << orphans.size()
            << " symbols resumed on the other dispatcher after " << resume_s << " s\n";
  EXPECT_TRUE(swarm.pump_until(
      [&] { return exactly_once(subs = upstream_subscriptions(exchange.port), demanded); }, 2s));
  EXPECT_EQ(scrape(d2.port, "tickwire_dispatch_upstream_symbols"), 50.0);

  // 3. Redis crashes and comes back empty: clients stay connected, see `stale` then `live`,
  //    and converge to the exchange's latest quotes within 5 s of Redis returning.
  redis.stop(SIGKILL);
  EXPECT_TRUE(swarm.pump_until(
      [&] {
        for (const auto& c : swarm.clients()) {
          if (c.statuses.empty() || c.statuses.back() != "stale") return false;
        }
        return true;
      },
      3s))
      << "not every client was told the data is stale";
  // A client joining meanwhile, by any transport, is told too (right after its snapshot).
  std::vector<std::unique_ptr<QuoteClient>> joiners;
  for (auto t : {Transport::sse, Transport::websocket, Transport::poll}) {
    joiners.push_back(make_client(t, f2.port, {pool[0]}));
    auto& j = *joiners.back();
    EXPECT_TRUE(j.pump_until(
        [&] { return j.statuses().size() == 1 && j.statuses()[0] == "stale"; }, 3s))
        << to_string(t);
    swarm.pump_for(100ms);
  }
  swarm.pump_for(1000ms);
  redis.start();
  const auto returned_at = Clock::now();
  const auto latest = exchange_latest(exchange.port, demanded);
  ASSERT_EQ(latest.size(), demanded.size());
  const bool converged = swarm.pump_until(
      [&] {
        for (const auto& c : swarm.clients()) {
          if (!c.connected || c.statuses.back() != "live") return false;
          for (const auto& s : c.symbols) {
            if (c.seq.at(s) < latest.at(s)) return false;
          }
        }
        return true;
      },
      5s);
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
  EXPECT_TRUE(swarm.pump_until(
      [&] { return exactly_once(subs = upstream_subscriptions(exchange.port), demanded); }, 3s));

  // 4. kill -9 of a frontend: its clients reconnect to the other and get a snapshot; the
  //    demand only it held expires with its lease, and upstream subscriptions shrink.
  std::vector<int> snapshots_before;
  for (const auto& c : swarm.clients()) snapshots_before.push_back(c.snapshots);
  const auto frontend_killed_at = Clock::now();
  f1->process->signal(SIGKILL);
  f1->process->wait_exit(2s);
  EXPECT_TRUE(swarm.pump_until(
      [&] {
        for (std::size_t i = 0; i < 200; ++i) {
          const auto& c = swarm.clients()[i];
          if (!c.connected || c.port != f2.port) return false;
          if (i % 2 == 0 && (c.snapshots <= snapshots_before[i] ||
                             c.last_snapshot_size != c.symbols.size())) {
            return false;
          }
        }
        return true;
      },
      5s))
      << "clients of the killed frontend did not all get a snapshot from the other";
  const auto still_demanded = demanded_by(swarm, true);
  ASSERT_EQ(still_demanded.size(), 40u);
  const bool shrank = swarm.pump_until(
      [&] { return exactly_once(subs = upstream_subscriptions(exchange.port), still_demanded); },
      kLease + 3s);
  EXPECT_TRUE(shrank) << "upstream still holds " << subs.size() << " symbols";
  std::cout << "[ figures  ] frontend kill -9: upstream down to " << subs.size()
            << " symbols after " << seconds_since(frontend_killed_at) << " s\n";

  // seq never went backwards for any client, through all of it.
  for (const auto& c : swarm.clients()) EXPECT_EQ(c.backwards, 0);

  // The survivors stop cleanly on SIGTERM, giving back their leases.
  for (auto* p : {f2.process.get(), d2.process.get(), exchange.process.get()}) {
    p->signal(SIGTERM);
    EXPECT_EQ(p->wait_exit(5s), 0);
  }
}

// Redis faults the first test does not cover: a Redis that stops answering but keeps its sockets
// open (SIGSTOP for 10 s), and one killed and restarted with its data (an append-only file).
// Clients are told `stale`, stay connected, and converge to the exchange's latest quotes within
// 5 s of Redis answering again; no seq goes backwards and no quote event repeats one.
TEST(RedisFleet, ARedisThatHangsOrRestartsWithItsDataIsRiddenOut) {
  RedisServer redis("hang-redis", RedisServer::Durability::append_only);
  const std::string cache = "--cache=" + redis.url();
  Tickwired exchange({"--role=exchange", cache, "--node-id=exchange-1", "--exchange-symbols=300",
                      "--exchange-rate=3000"},
                     "hang-exchange");
  Tickwired dispatcher({"--role=dispatch", cache, "--node-id=dispatch-1",
                        "--upstream=http://127.0.0.1:" + std::to_string(exchange.port)},
                       "hang-dispatch");
  Tickwired frontend({"--role=frontend", cache, "--node-id=frontend-1"}, "hang-frontend");
  const std::set<std::string> demanded{"AAPL", "MSFT", "NVDA", "AMZN", "GOOGL"};
  std::vector<SseSwarm::Spec> specs;
  for (int i = 0; i < 20; ++i) {
    specs.push_back({{frontend.port}, {demanded.begin(), demanded.end()}, true});
  }
  SseSwarm swarm(specs);
  swarm.start();
  auto all = [&](const std::function<bool(const SseSwarm::Client&)>& ok) {
    for (const auto& c : swarm.clients()) {
      if (!ok(c)) return false;
    }
    return true;
  };
  ASSERT_TRUE(swarm.pump_until(
      [&] { return all([&](const auto& c) { return c.connected && c.seq.size() == 5; }); }, 10s));

  auto converge_after = [&](const char* fault) {
    const auto back_at = Clock::now();
    const auto latest = exchange_latest(exchange.port, demanded);
    ASSERT_EQ(latest.size(), demanded.size());
    const bool converged = swarm.pump_until(
        [&] {
          return all([&](const auto& c) {
            if (!c.connected || c.statuses.empty() || c.statuses.back() != "live") return false;
            for (const auto& s : c.symbols) {
              if (c.seq.at(s) < latest.at(s)) return false;
            }
            return true;
          });
        },
        5s);
    EXPECT_TRUE(converged) << fault << ": clients did not converge within 5 s";
    std::cout << "[ figures  ] " << fault << ": every client live and at or past the "
              << "exchange's latest " << seconds_since(back_at) << " s after Redis answered\n";
  };
  auto told_stale = [&](const char* fault, std::chrono::milliseconds within) {
    const auto at = Clock::now();
    EXPECT_TRUE(swarm.pump_until(
        [&] {
          return all([](const auto& c) { return !c.statuses.empty() && c.statuses.back() == "stale"; });
        },
        within))
        << fault << ": not every client was told the data is stale";
    std::cout << "[ figures  ] " << fault << ": clients told `stale` after " << seconds_since(at)
              << " s\n";
  };

  // 1. Redis hangs: the sockets stay open, nothing answers. The links notice by their
  //    heartbeat (3 s), and reconnect once it answers again.
  redis.pause();
  const auto paused_at = Clock::now();
  told_stale("Redis SIGSTOP", 6s);
  swarm.pump_for(std::chrono::duration_cast<std::chrono::milliseconds>(
      10s - (Clock::now() - paused_at)));
  redis.resume();
  converge_after("Redis SIGSTOP 10 s");

  // 2. Redis is killed and restarted with its data.
  redis.stop(SIGKILL);
  told_stale("Redis kill -9 (with its data)", 3s);
  swarm.pump_for(1000ms);
  redis.start();
  EXPECT_NE(redis_command(redis.port(), "EXISTS tw:quote:{AAPL}"), ":0")
      << "the append-only file did not bring the data back";
  converge_after("Redis kill -9 and restart with its data");

  for (const auto& c : swarm.clients()) {
    EXPECT_EQ(c.losses, 0) << "a client was dropped";
    EXPECT_EQ(c.backwards, 0);
    EXPECT_EQ(c.repeats, 0) << "a quote was delivered twice";
  }
  for (auto* p : {frontend.process.get(), dispatcher.process.get(), exchange.process.get()}) {
    p->signal(SIGTERM);
    EXPECT_EQ(p->wait_exit(5s), 0);
  }
}

// The value of `series` in the metrics document of node `id`, from a frontend's fleet listing.
double fleet_metric(unsigned short frontend_port, const std::string& id,
                    const std::string& series) {
  const auto reply = http_get(frontend_port, "/v1/admin/metrics");
  if (reply.status != 200) return -1;
  const auto doc = boost::json::parse(reply.body);
  for (const auto& n : doc.at("nodes").as_array()) {
    if (n.at("id").as_string() != id) continue;
    const auto* v = n.at("metrics").as_object().if_contains(series);
    return v ? v->to_number<double>() : -1;
  }
  return -1;
}

unsigned short free_loopback_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
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
