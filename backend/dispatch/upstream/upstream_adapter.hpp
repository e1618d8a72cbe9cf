// The dispatch tier's one view of an upstream feed. The Dispatcher decides *which* symbols this
// process holds (demand, ownership, the provider lease); an adapter decides *how*: the Tickwire
// v1 SSE contract (groups of symbols per connection), Alpaca's or Finnhub's WebSocket (one
// connection carrying every symbol).
//
// Contract:
//   - every method and every event runs on the dispatcher's executor (one thread);
//   - subscribe()/unsubscribe() name symbols not yet held / held; the adapter keeps them across
//     its own reconnects (re-subscribing the current set) until unsubscribed or stopped;
//   - an adapter holding no symbols holds no connection to a limited provider;
//   - `quote` carries the symbol's whole state, numbered as the upstream numbered it: its seq
//     counts within the upstream's epoch (one life of the feed), and the Dispatcher maps it
//     onto Tickwire's own seq (SequenceMapper). Providers without a sequence are numbered by
//     ProviderQuoteBook;
//   - secrets never appear in describe(), logs or metric labels.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tickwire/minute_bars.hpp"
#include "tickwire/quote.hpp"
#include "tickwire/symbol_directory.hpp"

namespace tickwire::dispatch {

// A quote as the upstream numbered it: `quote.seq` counts within `epoch` (0: the feed names no
// epochs; a restart then shows as a seq that falls back while the timestamp moves on).
struct UpstreamQuote {
  Quote quote;
  std::uint64_t epoch = 0;
};

class UpstreamAdapter {
 public:
  struct Events {
    std::function<void(const UpstreamQuote&)> quote;
    // The provider's symbol universe (names, listing); called when loaded and when reloaded.
    std::function<void(std::shared_ptr<const SymbolDirectory>)> directory;
    // The provider refused to carry a symbol (e.g. its plan's symbol limit); `reason` is a
    // short code such as "upstream_symbol_limit".
    std::function<void(const std::string& symbol, const std::string& reason)> unavailable;
  };

  virtual ~UpstreamAdapter() = default;

  // "v1", "alpaca", "finnhub": names the provider lease and the logs.
  virtual std::string name() const = 0;
  // For logs and --check: where it connects, never a secret.
  virtual std::string describe() const = 0;
  // Connections the provider allows one account at once, fleet-wide; 0 when it sets no limit
  // (symbols are then spread over the dispatchers by rendezvous hashing).
  virtual std::size_t connection_budget() const = 0;

  virtual void start(Events events) = 0;
  virtual void subscribe(const std::vector<std::string>& symbols) = 0;
  virtual void unsubscribe(const std::vector<std::string>& symbols) = 0;
  // Ends every connection and timer; no event is delivered afterwards.
  virtual void stop() = 0;

  // The one-minute bars of the symbols' day so far, from the provider's history API where it
  // has one (GET /v1/bars of the v1 contract, Alpaca's and Finnhub's bars/candles): `found`
  // runs once per symbol with bars, on the dispatcher's executor, never after stop(). Failures
  // are the adapter's to log and count; a chart then starts at the first quote. The default
  // is a provider without history.
  using BarsFound = std::function<void(const std::string& symbol, std::vector<Bar> bars)>;
  virtual void backfill(const std::vector<std::string>& /*symbols*/, BarsFound /*found*/) {}
};

}  // namespace tickwire::dispatch
