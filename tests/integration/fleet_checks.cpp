#include "fleet_checks.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json.hpp>
#include <csignal>
#include <iostream>
#include <random>

#include "http_probe.hpp"
#include "sse_reader.hpp"
#include "tickwire/symbol_directory.hpp"

namespace tickwire::test {

namespace {

std::string upstream_of(const Tickwired& exchange) {
  return "--upstream=http://127.0.0.1:" + std::to_string(exchange.port);
}

Tickwired exchange_on(const std::string& cache, const std::string& prefix) {
  return Tickwired({"--role=exchange", cache, "--node-id=exchange-1", "--exchange-symbols=300",
                    "--exchange-rate=3000"},
                   prefix + "exchange");
}

// Every client saw the seq of each of its symbols that is in `symbols` rise after `t`.
bool all_advanced_since(const SseSwarm& swarm, std::chrono::steady_clock::time_point t,
                        const std::set<std::string>& symbols) {
  return std::ranges::all_of(swarm.clients(), [&](const SseSwarm::Client& c) {
    return std::ranges::all_of(c.symbols, [&](const std::string& s) {
      if (!symbols.contains(s)) return true;
      const auto it = c.advanced.find(s);
      return it != c.advanced.end() && it->second >= t;
    });
  });
}

std::vector<int> snapshot_counts(const SseSwarm& swarm) {
  std::vector<int> out;
  for (const auto& c : swarm.clients()) out.push_back(c.snapshots);
  return out;
}

// The moving clients of a two_frontend_swarm are all on `port`, and those that were homed on
// the other frontend (the even ones) got a full snapshot since `snapshots_before`.
bool moved_with_snapshot(const SseSwarm& swarm, const std::vector<int>& snapshots_before,
                         unsigned short port) {
  for (std::size_t i = 0; i < kMovingClients && i < swarm.clients().size(); ++i) {
    const auto& c = swarm.clients()[i];
    if (!c.connected || c.port != port) return false;
    if (i % 2 == 0 &&
        (c.snapshots <= snapshots_before[i] || c.last_snapshot_size != c.symbols.size())) {
      return false;
    }
  }
  return true;
}

}  // namespace

FiveNodeFleet::FiveNodeFleet(const std::string& cache, const std::string& prefix)
    : exchange(exchange_on(cache, prefix)),
      dispatch_1({"--role=dispatch", cache, upstream_of(exchange), "--node-id=dispatch-1"},
                 prefix + "dispatch-1"),
      dispatch_2({"--role=dispatch", cache, upstream_of(exchange), "--node-id=dispatch-2"},
                 prefix + "dispatch-2"),
      frontend_1({"--role=frontend", cache, "--node-id=frontend-1", "--demand-linger=1"},
                 prefix + "frontend-1"),
      frontend_2({"--role=frontend", cache, "--node-id=frontend-2", "--demand-linger=1"},
                 prefix + "frontend-2") {}

ThreeNodeFleet::ThreeNodeFleet(const std::string& cache, const std::string& prefix)
    : exchange(exchange_on(cache, prefix)),
      dispatcher({"--role=dispatch", cache, "--node-id=dispatch-1", upstream_of(exchange)},
                 prefix + "dispatch"),
      frontend({"--role=frontend", cache, "--node-id=frontend-1"}, prefix + "frontend") {}

void FiveNodeFleet::expect_survivors_exit_cleanly() {
  test::expect_clean_exits(
      {frontend_2.process.get(), dispatch_2.process.get(), exchange.process.get()});
}

void ThreeNodeFleet::expect_clean_exits() {
  test::expect_clean_exits(
      {frontend.process.get(), dispatcher.process.get(), exchange.process.get()});
}

void expect_clean_exits(std::initializer_list<ChildProcess*> processes) {
  for (auto* p : processes) {
    p->signal(SIGTERM);
    EXPECT_EQ(p->wait_exit(std::chrono::seconds(5)), 0) << "pid " << p->pid();
  }
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

unsigned short free_loopback_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

std::vector<std::string> listed_symbols(unsigned short exchange_port, std::size_t n) {
  std::vector<std::string> out;
  const auto listing = http_get(exchange_port, "/v1/symbols");
  if (listing.status != 200) {
    ADD_FAILURE() << "the exchange's /v1/symbols answered " << listing.status;
    return out;
  }
  std::string error;
  const auto directory = SymbolDirectory::from_json(listing.body, &error);
  if (!directory || directory->size() < n) {
    ADD_FAILURE() << "the exchange lists fewer than " << n << " symbols " << error;
    return out;
  }
  for (std::size_t i = 0; i < n; ++i) out.push_back(directory->all()[i].symbol);
  return out;
}

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

bool exactly_once(const std::map<std::string, std::int64_t>& subs,
                  const std::set<std::string>& demanded) {
  if (subs.size() != demanded.size()) return false;
  for (const auto& [symbol, n] : subs) {
    if (n != 1 || !demanded.contains(symbol)) return false;
  }
  return true;
}

std::map<std::string, std::uint64_t> exchange_latest(unsigned short exchange_port,
                                                     const std::set<std::string>& symbols) {
  std::string list;
  for (const auto& s : symbols) list += (list.empty() ? "" : ",") + s;
  SseReader reader(exchange_port, "/v1/stream?symbols=" + list);
  reader.pump_until([&] { return !reader.events().empty(); }, std::chrono::seconds(5));
  std::map<std::string, std::uint64_t> out;
  for (const auto& q : reader.quotes()) out[q.symbol] = std::max(out[q.symbol], q.seq);
  return out;
}

std::vector<SseSwarm::Spec> two_frontend_swarm(const std::vector<std::string>& pool,
                                               unsigned short a, unsigned short b) {
  std::vector<SseSwarm::Spec> specs;
  if (pool.size() < 50) return specs;
  std::mt19937 rng(42);
  for (std::size_t i = 0; i < kMovingClients; ++i) {
    std::vector<std::string> symbols(pool.begin(), pool.begin() + 40);
    std::shuffle(symbols.begin(), symbols.end(), rng);
    symbols.resize(5);
    const auto home = i % 2 == 0 ? a : b;
    const auto other = i % 2 == 0 ? b : a;
    specs.push_back({{home, other}, symbols, true});
  }
  for (std::size_t i = 0; i < 10; ++i) specs.push_back({{a}, {pool[40 + i]}, false});
  return specs;
}

std::vector<SseSwarm::Spec> one_frontend_swarm(unsigned short port,
                                               const std::set<std::string>& symbols, int n) {
  const SseSwarm::Spec spec{{port}, {symbols.begin(), symbols.end()}, true};
  return std::vector<SseSwarm::Spec>(static_cast<std::size_t>(n), spec);
}

std::set<std::string> demanded_by(const SseSwarm& swarm, bool connected_only) {
  std::set<std::string> out;
  for (const auto& c : swarm.clients()) {
    if (connected_only && !c.connected) continue;
    out.insert(c.symbols.begin(), c.symbols.end());
  }
  return out;
}

bool all_streaming(const SseSwarm& swarm) {
  return std::ranges::all_of(swarm.clients(), [](const SseSwarm::Client& c) {
    return c.connected && c.seq.size() == c.symbols.size();
  });
}

bool all_told(const SseSwarm& swarm, const std::string& status) {
  return std::ranges::all_of(swarm.clients(), [&](const SseSwarm::Client& c) {
    return !c.statuses.empty() && c.statuses.back() == status;
  });
}

bool all_caught_up(const SseSwarm& swarm, const std::map<std::string, std::uint64_t>& latest) {
  return std::ranges::all_of(swarm.clients(), [&](const SseSwarm::Client& c) {
    if (!c.connected || c.statuses.empty() || c.statuses.back() != "live") return false;
    return std::ranges::all_of(c.symbols, [&](const std::string& s) {
      const auto seen = c.seq.find(s);
      const auto target = latest.find(s);
      return seen != c.seq.end() && target != latest.end() && seen->second >= target->second;
    });
  });
}

std::size_t expect_exactly_once(SseSwarm& swarm, unsigned short exchange_port,
                                const std::set<std::string>& demanded,
                                std::chrono::milliseconds within, const std::string& when) {
  std::map<std::string, std::int64_t> subs;
  EXPECT_TRUE(swarm.pump_until(
      [&] { return exactly_once(subs = upstream_subscriptions(exchange_port), demanded); }, within))
      << when << ": upstream holds " << subs.size() << " symbols for " << demanded.size()
      << " demanded";
  return subs.size();
}

void expect_shared_upstream(unsigned short dispatch_a, unsigned short dispatch_b, double total) {
  const double held_a = scrape(dispatch_a, "tickwire_dispatch_upstream_symbols");
  const double held_b = scrape(dispatch_b, "tickwire_dispatch_upstream_symbols");
  EXPECT_EQ(held_a + held_b, total);
  EXPECT_GT(held_a, 0.0) << "one dispatcher holds nothing";
  EXPECT_GT(held_b, 0.0) << "one dispatcher holds nothing";
}

void expect_dispatcher_loss_ridden_out(SseSwarm& swarm, Tickwired& lost,
                                       const std::set<std::string>& orphans,
                                       std::chrono::milliseconds within) {
  const auto killed_at = std::chrono::steady_clock::now();
  lost.process->signal(SIGKILL);
  lost.process->wait_exit(std::chrono::seconds(2));
  const bool resumed =
      swarm.pump_until([&] { return all_advanced_since(swarm, killed_at, orphans); }, within);
  const double resume_s = seconds_since(killed_at);
  EXPECT_TRUE(resumed) << orphans.size() << " orphaned symbols not resumed after " << resume_s
                       << " s";
  std::cout << "[ figures  ] dispatcher kill -9: " << orphans.size()
            << " symbols resumed on the other dispatcher after " << resume_s << " s\n";
}

void expect_frontend_loss_ridden_out(SseSwarm& swarm, Tickwired& lost, unsigned short other_port,
                                     unsigned short exchange_port) {
  const auto snapshots_before = snapshot_counts(swarm);
  const auto killed_at = std::chrono::steady_clock::now();
  lost.process->signal(SIGKILL);
  lost.process->wait_exit(std::chrono::seconds(2));
  EXPECT_TRUE(
      swarm.pump_until([&] { return moved_with_snapshot(swarm, snapshots_before, other_port); },
                       std::chrono::seconds(5)))
      << "clients of the killed frontend did not all get a snapshot from the other";
  const auto still_demanded = demanded_by(swarm, true);
  ASSERT_EQ(still_demanded.size(), 40u);
  const auto held = expect_exactly_once(swarm, exchange_port, still_demanded,
                                        kLease + std::chrono::seconds(3), "frontend kill -9");
  std::cout << "[ figures  ] frontend kill -9: upstream down to " << held << " symbols after "
            << seconds_since(killed_at) << " s\n";
}

void expect_told_stale(SseSwarm& swarm, const std::string& fault,
                       std::chrono::milliseconds within) {
  const auto at = std::chrono::steady_clock::now();
  EXPECT_TRUE(swarm.pump_until([&] { return all_told(swarm, "stale"); }, within))
      << fault << ": not every client was told the data is stale";
  std::cout << "[ figures  ] " << fault << ": clients told `stale` after " << seconds_since(at)
            << " s\n";
}

void expect_caught_up(SseSwarm& swarm, unsigned short exchange_port,
                      const std::set<std::string>& symbols, const std::string& fault,
                      const std::string& back, std::chrono::milliseconds within) {
  const auto back_at = std::chrono::steady_clock::now();
  const auto latest = exchange_latest(exchange_port, symbols);
  ASSERT_EQ(latest.size(), symbols.size()) << fault;
  const bool converged = swarm.pump_until([&] { return all_caught_up(swarm, latest); }, within);
  EXPECT_TRUE(converged) << fault << ": clients did not converge within "
                         << std::chrono::duration<double>(within).count() << " s";
  std::cout << "[ figures  ] " << fault << ": every client live and at or past the "
            << "exchange's latest " << seconds_since(back_at) << " s after " << back << "\n";
}

void expect_no_losses_backwards_or_repeats(const SseSwarm& swarm) {
  for (const auto& c : swarm.clients()) {
    EXPECT_EQ(c.losses, 0) << "a client was dropped";
    EXPECT_EQ(c.backwards, 0);
    EXPECT_EQ(c.repeats, 0) << "a quote was delivered twice";
  }
}

FleetNodes fleet_nodes(unsigned short frontend_port) {
  FleetNodes out;
  const auto reply = http_get(frontend_port, "/v1/admin/metrics");
  boost::system::error_code ec;
  const auto doc = boost::json::parse(reply.body, ec);
  if (reply.status != 200 || ec) return out;
  for (const auto& n : doc.at("nodes").as_array()) {
    out.emplace(std::string(n.at("role").as_string()), std::string(n.at("id").as_string()));
  }
  return out;
}

FleetNodes five_node_fleet() {
  return {{"exchange", "exchange-1"},
          {"dispatch", "dispatch-1"},
          {"dispatch", "dispatch-2"},
          {"frontend", "frontend-1"},
          {"frontend", "frontend-2"}};
}

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

}  // namespace tickwire::test
