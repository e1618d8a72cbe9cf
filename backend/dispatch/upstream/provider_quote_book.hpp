// The state of each symbol a provider feeds, built from the pieces providers send separately:
// quotes (bid/ask and sizes), trades (last price and size) and day statistics from a REST
// snapshot (open, high, low, volume, previous close). Each piece yields the symbol's whole
// state as a Quote, once its last price is known (the v1 quote object requires it); fields no
// piece has provided yet are marked absent, never invented.
//
// Providers carry no per-symbol sequence, so the book numbers each symbol's updates from 1,
// densely, under an epoch that names this life of the symbol in the book (the wall clock in
// microseconds when it was first seen). The Dispatcher maps that onto Tickwire's own seq
// (SequenceMapper), as it does for feeds that number their quotes themselves.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

#include "tickwire/quote.hpp"

namespace tickwire::dispatch {

class ProviderQuoteBook {
 public:
  struct Day {
    std::optional<double> open, high, low, prev_close;
    std::optional<std::uint64_t> volume;  // shares traded today up to `as_of`
    std::optional<double> last;           // the latest trade's price, if the snapshot has one
    std::int64_t as_of = 0;               // µs since the epoch: what the snapshot covers
  };
  using Clock = std::function<std::int64_t()>;  // µs since the Unix epoch (names epochs)

  ProviderQuoteBook();
  explicit ProviderQuoteBook(Clock clock);

  // Each returns the symbol's new state to publish, or nothing while its last price is unknown.
  std::optional<Quote> on_quote(const std::string& symbol, double bid, double ask,
                                std::uint32_t bid_size, std::uint32_t ask_size, std::int64_t ts);
  std::optional<Quote> on_trade(const std::string& symbol, double price, std::uint64_t size,
                                std::int64_t ts);
  std::optional<Quote> on_day(const std::string& symbol, const Day& day);

  // The epoch of the symbol's current life in the book (0 if it has none).
  std::uint64_t epoch(const std::string& symbol) const;
  // The symbol is no longer followed: its state is dropped (when it comes back, it is numbered
  // from 1 again under a new epoch).
  void forget(const std::string& symbol);
  std::size_t size() const noexcept { return book_.size(); }

 private:
  struct Entry {
    Quote q;
    std::uint64_t epoch = 0;
    bool has_last = false;
    std::int64_t volume_as_of = 0;  // trades after this time add to the snapshot's volume
  };
  Entry& entry(const std::string& symbol);
  std::optional<Quote> emit(Entry& e, std::int64_t ts);

  Clock clock_;
  std::unordered_map<std::string, Entry> book_;
};

}  // namespace tickwire::dispatch
