// What the fleet tests (redis_fleet_test.cpp, kafka_fleet_test.cpp) start and ask, whichever
// cache tier the fleet runs over: the processes of a fleet, the exchange's upstream
// subscriptions and latest quotes, what a client swarm demands and has seen, and the fleet as
// a frontend's operator endpoint lists it. One copy, so both tiers are held to the same checks.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "child_process.hpp"
#include "sse_swarm.hpp"

namespace tickwire::test {

inline constexpr std::chrono::seconds kLease{3};  // tickwired's default --lease

// exchange-1 (300 symbols, 3000 ticks/s), dispatch-1 and dispatch-2 following it, frontend-1
// and frontend-2 (--demand-linger=1), all on `cache` ("--cache=..."), started in that order
// (a frontend is ready once a dispatcher has published the symbol directory). Logs are named
// `prefix` + "exchange", "dispatch-1", ...
struct FiveNodeFleet {
  FiveNodeFleet(const std::string& cache, const std::string& prefix);
  Tickwired exchange;
  Tickwired dispatch_1;
  Tickwired dispatch_2;
  Tickwired frontend_1;
  Tickwired frontend_2;

  // SIGTERM to the nodes no kill -9 took (frontend-2, dispatch-2, the exchange): each exits 0
  // within 5 s.
  void expect_survivors_exit_cleanly();
};

// exchange-1 (300 symbols, 3000 ticks/s), dispatch-1 and frontend-1 on `cache`; logs named
// `prefix` + "exchange", "dispatch", "frontend".
struct ThreeNodeFleet {
  ThreeNodeFleet(const std::string& cache, const std::string& prefix);
  Tickwired exchange;
  Tickwired dispatcher;
  Tickwired frontend;

  // SIGTERM to each (frontend first): each exits 0 within 5 s.
  void expect_clean_exits();
};
// The symbols the clients of a ThreeNodeFleet follow.
inline const std::set<std::string> kFiveSymbols{"AAPL", "MSFT", "NVDA", "AMZN", "GOOGL"};

// SIGTERM to each in turn: each exits 0 within 5 s (giving back its leases).
void expect_clean_exits(std::initializer_list<ChildProcess*> processes);

double seconds_since(std::chrono::steady_clock::time_point t);
unsigned short free_loopback_port();

// The first `n` symbols the exchange lists (fewer, and a test failure, when it cannot list
// that many).
std::vector<std::string> listed_symbols(unsigned short exchange_port, std::size_t n);
// The exchange's upstream subscriptions: symbol -> connections holding it.
std::map<std::string, std::int64_t> upstream_subscriptions(unsigned short exchange_port);
// True when every demanded symbol is subscribed upstream exactly once, and nothing else is.
bool exactly_once(const std::map<std::string, std::int64_t>& subs,
                  const std::set<std::string>& demanded);
// The exchange's latest seq of each symbol right now, from a snapshot of its own stream.
std::map<std::string, std::uint64_t> exchange_latest(unsigned short exchange_port,
                                                     const std::set<std::string>& symbols);

inline constexpr std::size_t kMovingClients = 200;
// The swarm of a FiveNodeFleet over frontends `a` and `b`, from 50 symbols (`pool`): first
// kMovingClients clients on 5 of the first 40 symbols, homed alternately on `a` and `b` and
// moving to the other when theirs is lost; then 10 clients of `a` alone, one of the last 10
// symbols each, that do not come back.
std::vector<SseSwarm::Spec> two_frontend_swarm(const std::vector<std::string>& pool,
                                               unsigned short a, unsigned short b);
// `n` clients of `port`, each on all of `symbols`.
std::vector<SseSwarm::Spec> one_frontend_swarm(unsigned short port,
                                               const std::set<std::string>& symbols, int n);

std::set<std::string> demanded_by(const SseSwarm& swarm, bool connected_only);
// Every client connected, with a quote of each of its symbols.
bool all_streaming(const SseSwarm& swarm);
// Every client's latest status is `status` ("stale" or "live").
bool all_told(const SseSwarm& swarm, const std::string& status);
// Every client connected, live, and at or past `latest` on each of its symbols.
bool all_caught_up(const SseSwarm& swarm, const std::map<std::string, std::uint64_t>& latest);

// Pumps until each of `demanded` is subscribed upstream exactly once and nothing else is; a
// test failure naming `when` if that takes longer than `within`. Returns how many symbols the
// exchange holds upstream at the end.
std::size_t expect_exactly_once(SseSwarm& swarm, unsigned short exchange_port,
                                const std::set<std::string>& demanded,
                                std::chrono::milliseconds within, const std::string& when);
// Two dispatchers' tickwire_dispatch_upstream_symbols add up to `total`, and each holds some.
void expect_shared_upstream(unsigned short dispatch_a, unsigned short dispatch_b, double total);
// kill -9 of the dispatcher `lost`: every client sees each of its symbols that is in `orphans`
// tick again within `within` of the kill; prints how long it took.
void expect_dispatcher_loss_ridden_out(SseSwarm& swarm, Tickwired& lost,
                                       const std::set<std::string>& orphans,
                                       std::chrono::milliseconds within);
// kill -9 of `lost`, the frontend `a` of a two_frontend_swarm: its moving clients reconnect to
// the other (`other_port`) and get a snapshot within 5 s; the 10 symbols only its own clients
// demanded lapse with its lease, so upstream shrinks to the 40 still demanded within the lease
// plus 3 s; prints how long that took.
void expect_frontend_loss_ridden_out(SseSwarm& swarm, Tickwired& lost, unsigned short other_port,
                                     unsigned short exchange_port);

// Pumps until every client has been told `stale`, within `within`; prints how long it took.
void expect_told_stale(SseSwarm& swarm, const std::string& fault, std::chrono::milliseconds within);
// Pumps until every client is live and at or past the exchange's latest quotes (as the
// exchange has them now) of `symbols`, within `within`; prints how long it took after `back`.
void expect_caught_up(SseSwarm& swarm, unsigned short exchange_port,
                      const std::set<std::string>& symbols, const std::string& fault,
                      const std::string& back, std::chrono::milliseconds within);
// No client was dropped, saw a seq go backwards, or got a quote event twice.
void expect_no_losses_backwards_or_repeats(const SseSwarm& swarm);

// (role, id) of every node a frontend's /v1/admin/metrics lists; empty if it cannot answer.
using FleetNodes = std::set<std::pair<std::string, std::string>>;
FleetNodes fleet_nodes(unsigned short frontend_port);
// The nodes of a FiveNodeFleet.
FleetNodes five_node_fleet();
// The value of `series` in the metrics document of node `id`, from a frontend's fleet
// listing; -1 when the node or the series is not there.
double fleet_metric(unsigned short frontend_port, const std::string& id, const std::string& series);

}  // namespace tickwire::test
