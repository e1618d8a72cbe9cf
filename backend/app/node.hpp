// What one tickwired process runs: a role (exchange, dispatch, frontend, or all of them) over a
// cache tier (embedded in this process, or Redis or Kafka shared by the fleet).
//
//   role      serves on --port                      needs
//   exchange  the simulated upstream feed           -
//   dispatch  /healthz /readyz /metrics only         --upstream, --cache redis:// or kafka://
//   frontend  the public v1 API                      --cache redis:// or kafka://
//   all       the public v1 API (simulator inside    -
//             unless --upstream)
//
// Every role serves /healthz, /readyz and /metrics on its port; with Redis or Kafka every node
// also reports its metrics document to the fleet (RedisFleet, KafkaFleet), which frontends'
// operator endpoints list. `all` over the embedded cache is AllInOne, exactly as the desktop app bundles it.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "app/all_in_one.hpp"
#include "cache/kafka/kafka_dispatch_side.hpp"
#include "cache/kafka/kafka_fleet.hpp"
#include "cache/kafka/kafka_frontend_side.hpp"
#include "cache/kafka/kafka_url.hpp"
#include "cache/redis/redis_dispatch_side.hpp"
#include "cache/redis/redis_fleet.hpp"
#include "cache/redis/redis_frontend_side.hpp"
#include "cache/redis/redis_link.hpp"
#include "cache/redis/redis_url.hpp"
#include "ops/heap_trimmer.hpp"
#include "ops/process_memory.hpp"
#include "stream/quote_server.hpp"

namespace tickwire::app {

enum class Role { exchange, dispatch, frontend, all };
std::string to_string(Role role);

class Node {
 public:
  struct Configuration {
    Role role = Role::all;
    std::string id;  // unique in the fleet (default: <role>-<host>-<pid>)
    // Neither: the embedded cache (role all only).
    std::optional<cache::redis::RedisUrl> redis;
    std::optional<cache::kafka::KafkaUrl> kafka;
    // Leases of the shared cache tier: demand, dispatchers (Kafka: the group session), nodes.
    std::chrono::milliseconds lease{3000};
    // --publish-window (dispatch role over Redis): how long a quote may wait for others to share
    // its call to Redis. Zero: per loop turn.
    std::chrono::microseconds publish_window{0};
    // The frontend's bind is the node's: --bind/--port serve whichever role runs.
    AllInOne::Configuration parts;
    // --admin-port (frontend role): this process's own /metrics, /healthz, /readyz and
    // /v1/admin/* besides the public port, which several frontends may share (--reuse-port).
    std::optional<boost::asio::ip::tcp::endpoint> admin;
  };

  // Throws std::invalid_argument when the combination cannot run (e.g. --role dispatch without
  // a shared cache tier or without --upstream).
  explicit Node(Configuration config);
  ~Node();

  // Binds (throws boost::system::system_error when it cannot) and starts.
  void start();
  // Clients first, then leases are given back and the upstream side stops. Bounded by `budget`.
  void shutdown(std::chrono::milliseconds budget);

  // SIGHUP: reloads the TLS certificate and key of the port this node serves, if it has them.
  bool reload_tls();

  // Where the role serves (--port).
  boost::asio::ip::tcp::endpoint endpoint() const;
  // Where --admin-port serves; nullopt without it.
  std::optional<boost::asio::ip::tcp::endpoint> admin_endpoint() const;

 private:
  bool runs_exchange() const;
  bool runs_dispatch() const;
  bool runs_frontend() const;
  void start_fleet_roles();
  void start_redis_tier();
  void start_kafka_tier();
  bool cache_ready() const;
  std::string metrics_document();

  Configuration config_;
  std::unique_ptr<AllInOne> all_in_one_;  // role all over the embedded cache

  ops::Registry metrics_;
  ops::ProcessMemoryGauges memory_gauges_{metrics_};  // resident and heap on /metrics
  net::IoPool core_;  // the Redis link and the dispatcher
  std::unique_ptr<ops::HeapTrimmer> heap_trimmer_;  // on core_, with the shared cache tier
  // Over Redis:
  std::unique_ptr<cache::redis::Link> link_;
  std::unique_ptr<cache::redis::RedisDispatchSide> dispatch_side_;
  std::unique_ptr<cache::redis::RedisFrontendSide> frontend_side_;
  std::unique_ptr<cache::redis::RedisFleet> fleet_;
  // Over Kafka:
  std::unique_ptr<cache::kafka::KafkaDispatchSide> kafka_dispatch_;
  std::unique_ptr<cache::kafka::KafkaFrontendSide> kafka_frontend_;
  std::unique_ptr<cache::kafka::KafkaFleet> kafka_fleet_;
  // Whichever runs:
  cache::DispatchSide* dispatch_cache_ = nullptr;
  cache::FrontendSide* frontend_cache_ = nullptr;
  cache::FleetView* fleet_view_ = nullptr;
  std::unique_ptr<exchange::ExchangeServer> exchange_;
  std::unique_ptr<dispatch::Dispatcher> dispatcher_;
  std::unique_ptr<frontend::FrontendServer> frontend_;
  // The dispatch role's /healthz, /readyz, /metrics on --port; a frontend's on --admin-port.
  std::unique_ptr<stream::QuoteServer> admin_;
  bool stopped_ = false;
};

}  // namespace tickwire::app
