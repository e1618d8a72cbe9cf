// The whole backend in this test process, wired exactly as tickwired wires it, on free loopback
// ports. Tests talk to it only over sockets.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <thread>
#include <memory>
#include <optional>

#include "app/all_in_one.hpp"
#include "http_probe.hpp"

namespace tickwire::test {

inline app::AllInOne::Configuration test_config() {
  app::AllInOne::Configuration c;
  c.frontend.bind = {boost::asio::ip::make_address("127.0.0.1"), 0};
  c.frontend.threads = 2;
  c.frontend.id = "frontend-test";
  c.exchange.tick_rate = 2000;
  c.cache.demand_linger = std::chrono::milliseconds(1000);
  c.cache.linger_check = std::chrono::milliseconds(50);
  c.dispatch.id = "dispatch-test";
  c.dispatch.bar_flush = std::chrono::milliseconds(200);  // the bars tests need not wait 5 s
  c.v1_feed.backoff_max = std::chrono::milliseconds(500);
  return c;
}

class Backend {
 public:
  explicit Backend(app::AllInOne::Configuration c = test_config()) : node_(std::move(c)) {
    node_.start();
    port_ = node_.frontend_endpoint().port();
    // Ready once the dispatcher loaded the symbol directory from the exchange.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (http_get(port_, "/readyz").status != 200 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~Backend() { node_.shutdown(std::chrono::milliseconds(1000)); }

  unsigned short port() const { return port_; }
  unsigned short exchange_port() const { return node_.exchange_endpoint()->port(); }
  app::AllInOne& node() { return node_; }
  double metric(const std::string& series) { return scrape(port_, series); }

  // Subscribers per symbol at the exchange: what the paid feed bills.
  std::map<std::string, std::int64_t> upstream_subscriptions() {
    std::map<std::string, std::int64_t> out;
    const auto r = http_get(exchange_port(), "/v1/subscriptions");
    if (!r.ok) return out;
    const auto parsed = boost::json::parse(r.body);
    for (const auto& [k, v] : parsed.at("subscriptions").as_object()) {
      out[std::string(k)] = v.to_number<std::int64_t>();
    }
    return out;
  }

 private:
  app::AllInOne node_;
  unsigned short port_ = 0;
};

// Polls `cond` until it holds or `timeout` passes.
template <typename F>
bool eventually(F cond, std::chrono::milliseconds timeout,
                std::chrono::milliseconds step = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!cond()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(step);
  }
  return true;
}

}  // namespace tickwire::test
