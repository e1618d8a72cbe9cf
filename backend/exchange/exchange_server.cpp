#include "exchange/exchange_server.hpp"

#include <boost/json.hpp>

#include <functional>

#include "exchange/session_history.hpp"
#include "stream/bars_request.hpp"
#include "stream/stream_request.hpp"
#include "stream/symbol_search.hpp"
#include "tickwire/bar_json.hpp"
#include "tickwire/clock.hpp"

namespace tickwire::exchange {

namespace {
// Ticks are generated every millisecond: in coarser bursts a popular symbol often ticks twice
// in one burst, and the exchange's own stream then conflates the first away (the dispatcher
// counted ~90 seq gaps in 10 s at the default rate with a 10 ms clock; none with 1 ms).
constexpr auto kClockPeriod = std::chrono::milliseconds(1);

std::vector<SymbolInfo> to_directory(const std::vector<Listing>& listings) {
  std::vector<SymbolInfo> out;
  out.reserve(listings.size());
  for (const auto& l : listings) out.push_back({l.symbol, l.name});
  return out;
}

stream::QuoteServer::Configuration server_config(const ExchangeServer::Configuration& c) {
  stream::QuoteServer::Configuration s;
  s.name = "exchange";
  s.bind = c.bind;
  s.threads = 1;
  s.heartbeat = c.heartbeat;
  s.admin_token = c.admin_token;
  return s;
}
}  // namespace

ExchangeServer::ExchangeServer(ops::Registry& metrics, Configuration config)
    : config_(config),
      server_(metrics, server_config(config_)),
      market_(make_universe(config_.universe_size, config_.seed), config_.seed, unix_micros_now(),
              config_.seq_from_one ? 1 : 0),
      directory_(to_directory(market_.listings())),
      clock_(server_.control_context()),
      ticks_(metrics.counter("tickwire_exchange_ticks_total", "Price changes generated")) {
  server_.add_route("/v1/stream", [this](const net::Request& req, const net::HttpTarget& target,
                                         net::Respond respond) {
    stream::SymbolLimits limits{config_.max_symbols_per_stream,
                             [this](std::string_view s) { return directory_.contains(s); }};
    auto symbols = stream::requested_symbols(req, target, limits, server_.errors());
    if (auto* error = std::get_if<net::Response>(&symbols)) return respond(std::move(*error));
    respond(server_.sse_takeover(req, std::get<std::vector<std::string>>(std::move(symbols)),
                                 stream::last_event_id(req, target)));
  });
  server_.add_route("/v1/symbols", [this](const net::Request& req, const net::HttpTarget& target,
                                          net::Respond respond) {
    respond(stream::symbol_search(directory_, req, target, server_.errors()));
  });
  // The day so far in one-minute bars, made up to agree with the listing (session_history.hpp):
  // the v1 contract's history, which a dispatcher backfills its bars from.
  for (std::size_t i = 0; i < market_.listings().size(); ++i) {
    listing_index_.emplace(market_.listings()[i].symbol, i);
  }
  server_.add_route("/v1/bars", [this](const net::Request& req, const net::HttpTarget& target,
                                       net::Respond respond) {
    auto symbol = stream::bars_request(directory_, req, target, server_.errors());
    if (auto* bad = std::get_if<net::Response>(&symbol)) return respond(std::move(*bad));
    answer_bars(req, std::get<std::string>(symbol), std::move(respond));
  });
  server_.add_route("/v1/subscriptions", [this](const net::Request& req, const net::HttpTarget&,
                                                net::Respond respond) {
    boost::json::object counts;
    for (const auto& [symbol, n] : server_.hub().subscription_counts()) counts[symbol] = n;
    boost::json::object body{{"subscriptions", std::move(counts)},
                             {"total", server_.hub().subscriptions()}};
    respond(net::json_response(net::http::status::ok, boost::json::serialize(body),
                               req.version(), req.keep_alive()));
  });
  // Every listing starts with its opening quote, so a first subscriber gets a snapshot.
  for (const auto& q : market_.quotes()) server_.hub().publish(EncodedQuote::encode(q));
}

ExchangeServer::~ExchangeServer() = default;

void ExchangeServer::start() {
  server_.start();
  boost::asio::post(clock_.get_executor(), [this] {
    last_tick_ = std::chrono::steady_clock::now();
    arm_clock();
  });
}

void ExchangeServer::answer_bars(const net::Request& req, const std::string& symbol,
                                 net::Respond respond) {
  // The market is the clock's: read it there.
  boost::asio::post(clock_.get_executor(), [this, symbol, version = req.version(),
                                            keep_alive = req.keep_alive(),
                                            respond = std::move(respond)] {
    const auto i = listing_index_.at(symbol);  // listed: checked by bars_request
    const Quote& q = market_.quotes()[i];
    const SessionShape shape{q.open, q.last, market_.daily_volatility(i),
                             unix_micros_now() / 1'000'000};
    const auto bars = session_history(shape, config_.seed ^ std::hash<std::string>{}(symbol));
    respond(net::json_response(net::http::status::ok, encode_bars(symbol, q.prev_close, bars),
                               version, keep_alive));
  });
}

void ExchangeServer::shutdown(std::chrono::milliseconds budget) { server_.shutdown(budget); }

void ExchangeServer::arm_clock() {
  clock_.expires_after(kClockPeriod);
  clock_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    const auto now = std::chrono::steady_clock::now();
    owed_ticks_ += config_.tick_rate * std::chrono::duration<double>(now - last_tick_).count();
    // After a stall (a suspended process) catch up at most one second, not in one burst.
    owed_ticks_ = std::min(owed_ticks_, std::max(1.0, config_.tick_rate));
    last_tick_ = now;
    const auto n = static_cast<std::size_t>(owed_ticks_);
    owed_ticks_ -= static_cast<double>(n);
    if (n > 0) {
      market_.tick(n, unix_micros_now(), [this](const Quote& q) { server_.hub().publish(EncodedQuote::encode(q)); });
      ticks_.inc(n);
    }
    arm_clock();
  });
}

}  // namespace tickwire::exchange
