// The exchange simulator: the stand-in for the paid upstream Stock Exchange Service. It lists a
// universe of symbols, moves their prices (Market), and serves them over the same v1 protocol
// the frontend speaks: GET /v1/stream (SSE with event ids and Last-Event-ID resume) and
// GET /v1/symbols. Every stream subscription is a line on the bill, so it counts them:
// tickwire_exchange_subscriptions, tickwire_exchange_subscribed_symbols, and per symbol at
// GET /v1/subscriptions.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <string>
#include <unordered_map>
#include <memory>
#include <optional>

#include "exchange/market.hpp"
#include "stream/quote_server.hpp"
#include "ops/metrics.hpp"
#include "tickwire/symbol_directory.hpp"

namespace tickwire::exchange {

class ExchangeServer {
 public:
  struct Configuration {
    boost::asio::ip::tcp::endpoint bind{boost::asio::ip::make_address("127.0.0.1"), 0};
    double tick_rate = 2000;  // quotes per second over the whole universe
    std::size_t universe_size = 5000;
    std::uint64_t seed = 20261128;
    std::size_t max_symbols_per_stream = 1000;
    std::chrono::seconds heartbeat{15};
    std::string admin_token;  // non-empty: /metrics needs it (see QuoteServer)
    // Number each symbol's quotes from 1 at every start, as feeds that restart their numbering
    // do (by default from the start time in µs, so a restarted simulator numbers above its
    // previous life). Either way each start is a new epoch in the event ids.
    bool seq_from_one = false;
  };

  ExchangeServer(ops::Registry& metrics, Configuration config);
  ~ExchangeServer();

  void start();
  boost::asio::ip::tcp::endpoint local_endpoint() const { return server_.local_endpoint(); }
  void shutdown(std::chrono::milliseconds budget);

  const SymbolDirectory& directory() const noexcept { return directory_; }

 private:
  void arm_clock();
  void answer_bars(const net::Request& req, const std::string& symbol, net::Respond respond);

  Configuration config_;
  stream::QuoteServer server_;
  Market market_;
  SymbolDirectory directory_;
  std::unordered_map<std::string, std::size_t> listing_index_;  // symbol -> market index
  boost::asio::steady_timer clock_;
  std::chrono::steady_clock::time_point last_tick_;
  double owed_ticks_ = 0;  // fractional ticks carried to the next timer round
  ops::Counter& ticks_;
};

}  // namespace tickwire::exchange
