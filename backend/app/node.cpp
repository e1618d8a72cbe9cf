#include "app/node.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "ops/node_document.hpp"

namespace tickwire::app {

std::string to_string(Role role) {
  switch (role) {
    case Role::exchange: return "exchange";
    case Role::dispatch: return "dispatch";
    case Role::frontend: return "frontend";
    case Role::all: return "all";
  }
  return "all";
}

Node::Node(Configuration config) : config_(std::move(config)), core_(1, "core") {
  if (!config_.redis && !config_.kafka && config_.role != Role::all &&
      config_.role != Role::exchange) {
    throw std::invalid_argument("--role " + to_string(config_.role) +
                                " needs a shared cache tier: --cache redis://HOST:PORT or "
                                "kafka://HOST:PORT[,HOST:PORT...]");
  }
  if (config_.role == Role::dispatch && !config_.parts.upstream &&
      !config_.parts.provider.any()) {
    throw std::invalid_argument("--role dispatch needs --upstream (http://HOST:PORT for a "
                                "Tickwire feed, alpaca://FEED or finnhub://)");
  }
  config_.parts.frontend.id = config_.id;
  config_.parts.frontend.role = to_string(config_.role);
  config_.parts.dispatch.id = config_.id;
  if (config_.role == Role::exchange) {
    config_.parts.exchange.bind = config_.parts.frontend.bind;
    if (config_.parts.frontend.tls.enabled()) {
      throw std::invalid_argument("--tls-cert is for the frontend and dispatch roles; the "
                                  "exchange simulator serves plain HTTP on its own port");
    }
  }
  config_.parts.exchange.admin_token = config_.parts.frontend.admin_token;
}

Node::~Node() { shutdown(std::chrono::milliseconds(500)); }

bool Node::runs_exchange() const {
  return config_.role == Role::exchange ||
         (config_.role == Role::all && !config_.parts.upstream && !config_.parts.provider.any());
}
bool Node::runs_dispatch() const {
  return config_.role == Role::dispatch || config_.role == Role::all;
}
bool Node::runs_frontend() const {
  return config_.role == Role::frontend || config_.role == Role::all;
}

void Node::start() {
  if (!config_.redis && !config_.kafka && config_.role == Role::all) {
    all_in_one_ = std::make_unique<AllInOne>(config_.parts);
    all_in_one_->start();
    return;
  }
  start_fleet_roles();
}

namespace {

// A node that stops reporting must leave the operator view within its lease: it reports every
// tenth of the lease (0.1-1 s) and its document lives for three reports (one or two late
// writes do not make a live node blink out). Gone from the view within 0.4 x lease + 1 s:
// inside the lease from a 2 s lease up.
std::chrono::milliseconds report_interval(std::chrono::milliseconds lease) {
  return std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(lease / 10),
                    std::chrono::milliseconds(100), std::chrono::milliseconds(1000));
}

}  // namespace

std::string Node::metrics_document() {
  return ops::node_document(metrics_, config_.id, to_string(config_.role));
}

bool Node::cache_ready() const {
  if (link_) return link_->ready();
  if (kafka_frontend_) return kafka_frontend_->ready();
  if (kafka_dispatch_) return kafka_dispatch_->ready();
  return false;
}

void Node::start_fleet_roles() {
  auto& parts = config_.parts;
  if (runs_exchange()) {
    exchange_ = std::make_unique<exchange::ExchangeServer>(metrics_, parts.exchange);
    exchange_->start();
    const auto ep = exchange_->local_endpoint();
    spdlog::info("exchange simulator on http://{}:{} ({} symbols, {} ticks/s)",
                 ep.address().to_string(), ep.port(), exchange_->directory().size(),
                 parts.exchange.tick_rate);
    if (!parts.upstream) {
      parts.upstream = net::UpstreamUrl{ep.address().to_string(), std::to_string(ep.port()), ""};
    }
  }
  if (!config_.redis && !config_.kafka) return;  // an exchange on its own

  if (config_.redis) {
    start_redis_tier();
  } else {
    start_kafka_tier();
  }
  if (runs_dispatch()) {
    auto feed = parts.v1_feed;
    if (parts.upstream) feed.url = *parts.upstream;
    const auto ex = core_.shard(0).get_executor();
    dispatcher_ = std::make_unique<dispatch::Dispatcher>(
        ex, *dispatch_cache_, metrics_, parts.dispatch,
        make_upstream(ex, metrics_, parts.provider, feed));
  }
  if (runs_frontend()) {
    frontend_ = std::make_unique<frontend::FrontendServer>(*frontend_cache_, metrics_, parts.frontend);
    frontend_->set_fleet(fleet_view_);
  }

  if (config_.role == Role::dispatch) {
    stream::QuoteServer::Configuration ac;
    ac.name = "admin";
    ac.bind = parts.frontend.bind;
    ac.tls = parts.frontend.tls;
    ac.admin_token = parts.frontend.admin_token;
    admin_ = std::make_unique<stream::QuoteServer>(metrics_, ac);
    admin_->set_readiness([this] { return cache_ready(); });
  } else if (frontend_ && config_.admin) {
    stream::QuoteServer::Configuration ac;
    ac.name = "admin";
    ac.bind = *config_.admin;
    ac.admin_token = parts.frontend.admin_token;
    admin_ = std::make_unique<stream::QuoteServer>(metrics_, ac);
    admin_->set_readiness([this] { return cache_ready(); });
    frontend_->add_admin_routes(*admin_);
  }

  spdlog::info("node {}: role {}, cache tier {}", config_.id, to_string(config_.role),
               config_.redis ? config_.redis->str() : config_.kafka->str());
  if (dispatch_side_) dispatch_side_->start();
  if (frontend_side_) frontend_side_->start();
  if (fleet_) fleet_->start();
  if (link_) link_->start();
  if (kafka_dispatch_) kafka_dispatch_->start();
  if (kafka_frontend_) kafka_frontend_->start();
  if (kafka_fleet_) kafka_fleet_->start();
  if (dispatcher_) dispatcher_->start();
  heap_trimmer_ = std::make_unique<ops::HeapTrimmer>(core_.shard(0).get_executor(), metrics_,
                                                     ops::HeapTrimmer::Configuration{});
  heap_trimmer_->start();
  core_.start();
  if (frontend_) frontend_->start();
  if (admin_) admin_->start();
}

void Node::start_redis_tier() {
  cache::redis::Link::Configuration lc;
  lc.host = config_.redis->host;
  lc.port = config_.redis->port;
  lc.node_id = config_.id;
  link_ = std::make_unique<cache::redis::Link>(core_.shard(0), lc, metrics_);
  if (runs_dispatch()) {
    dispatch_side_ = std::make_unique<cache::redis::RedisDispatchSide>(
        *link_, metrics_,
        cache::redis::RedisDispatchSide::Configuration{.lease = config_.lease,
                                                       .publish_window = config_.publish_window});
    dispatch_cache_ = dispatch_side_.get();
  }
  if (runs_frontend()) {
    cache::redis::RedisFrontendSide::Configuration fc;
    fc.lease = config_.lease;
    fc.demand_linger = config_.parts.cache.demand_linger;
    frontend_side_ = std::make_unique<cache::redis::RedisFrontendSide>(*link_, metrics_, fc);
    frontend_cache_ = frontend_side_.get();
  }
  cache::redis::RedisFleet::Configuration flc;
  flc.read = runs_frontend();
  flc.interval = report_interval(config_.lease);
  flc.ttl = 3 * flc.interval;
  // Frontends read the fleet at every report while an operator endpoint is watched; the stream
  // asks every second, so reads go on while one is open, and stop 5 s after.
  flc.watch_window = std::max<std::chrono::milliseconds>(std::chrono::seconds(5), 3 * flc.ttl);
  fleet_ = std::make_unique<cache::redis::RedisFleet>(
      *link_, metrics_, [this] { return metrics_document(); }, flc);
  fleet_view_ = fleet_.get();
}

void Node::start_kafka_tier() {
  const auto& url = *config_.kafka;
  if (runs_dispatch()) {
    kafka_dispatch_ = std::make_unique<cache::kafka::KafkaDispatchSide>(
        url, metrics_, cache::kafka::KafkaDispatchSide::Configuration{config_.id, config_.lease});
    dispatch_cache_ = kafka_dispatch_.get();
  }
  if (runs_frontend()) {
    kafka_frontend_ = std::make_unique<cache::kafka::KafkaFrontendSide>(
        url, metrics_,
        cache::kafka::KafkaFrontendSide::Configuration{config_.id, config_.lease,
                                                       config_.parts.cache.demand_linger});
    frontend_cache_ = kafka_frontend_.get();
  }
  cache::kafka::KafkaFleet::Configuration flc;
  flc.node_id = config_.id;
  flc.read = runs_frontend();
  flc.interval = report_interval(config_.lease);
  flc.ttl = 3 * flc.interval;
  kafka_fleet_ = std::make_unique<cache::kafka::KafkaFleet>(
      url, metrics_, [this] { return metrics_document(); }, flc);
  fleet_view_ = kafka_fleet_.get();
}

void Node::shutdown(std::chrono::milliseconds budget) {
  if (stopped_) return;
  stopped_ = true;
  if (all_in_one_) return all_in_one_->shutdown(budget);
  const auto deadline = std::chrono::steady_clock::now() + budget;
  auto left = [&] {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now()));
  };
  if (frontend_) frontend_->shutdown(left() / 2);
  if (admin_) admin_->shutdown(left() / 4);
  // Leases are given back while the link still runs, so others take over at once.
  frontend_.reset();  // detaches from the cache tier: its demand is withdrawn
  if (dispatcher_) dispatcher_->stop();
  if (dispatch_side_) dispatch_side_->stop();
  if (frontend_side_) frontend_side_->stop();
  if (fleet_) fleet_->stop();
  if (link_) link_->stop();  // sends what is queued first (bounded)
  if (kafka_dispatch_) kafka_dispatch_->stop();  // leaves the group: the others take over
  if (kafka_frontend_) kafka_frontend_->stop();
  if (kafka_fleet_) kafka_fleet_->stop();
  core_.stop_now();
  heap_trimmer_.reset();  // the core has stopped: its pending wait can no longer run
  if (exchange_) exchange_->shutdown(left());
}

bool Node::reload_tls() {
  if (all_in_one_) return all_in_one_->reload_tls();
  if (frontend_) return frontend_->reload_tls();
  if (admin_) return admin_->reload_tls();
  return false;
}

boost::asio::ip::tcp::endpoint Node::endpoint() const {
  if (all_in_one_) return all_in_one_->frontend_endpoint();
  if (frontend_) return frontend_->local_endpoint();
  if (admin_) return admin_->local_endpoint();
  return exchange_->local_endpoint();
}

std::optional<boost::asio::ip::tcp::endpoint> Node::admin_endpoint() const {
  if (frontend_ && admin_) return admin_->local_endpoint();
  return std::nullopt;
}

}  // namespace tickwire::app
