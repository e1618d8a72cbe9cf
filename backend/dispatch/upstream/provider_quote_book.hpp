// The state of each symbol a provider feeds, built from the pieces providers send separately:
// quotes (bid/ask and sizes), trades (last price and size) and day statistics from a REST
// snapshot (open, high, low, volume, previous close). Each piece yields the symbol's whole
// state as a Quote, once its last price is known (the v1 quote object requires it); fields no
// piece has provided yet are marked absent, never invented.
//
// Providers carry no per-symbol sequence, so this assigns Tickwire's own:
//   seq = max(previous seq + 1, the wall clock in microseconds since the Unix epoch).
// Wall-clock based so that a dispatcher taking over after a failover (with an empty book, a
// lease period after the last quote of the old holder) and a provider reconnect both continue
// above every seq already sent, without reading anything back. It holds while the dispatchers'
// clocks agree to within the lease period (NTP does far better) and a symbol gets under one
// update per microsecond. The values stay below 2^53, so JavaScript clients read them exactly.
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
  using Clock = std::function<std::int64_t()>;  // µs since the Unix epoch

  ProviderQuoteBook();
  explicit ProviderQuoteBook(Clock clock);

  // Each returns the symbol's new state to publish, or nothing while its last price is unknown.
  std::optional<Quote> on_quote(const std::string& symbol, double bid, double ask,
                                std::uint32_t bid_size, std::uint32_t ask_size, std::int64_t ts);
  std::optional<Quote> on_trade(const std::string& symbol, double price, std::uint64_t size,
                                std::int64_t ts);
  std::optional<Quote> on_day(const std::string& symbol, const Day& day);

  // The symbol is no longer followed: its state is dropped (seq stays monotonic through the
  // clock when it comes back).
  void forget(const std::string& symbol);
  std::size_t size() const noexcept { return book_.size(); }

 private:
  struct Entry {
    Quote q;
    bool has_last = false;
    std::int64_t volume_as_of = 0;  // trades after this time add to the snapshot's volume
  };
  Entry& entry(const std::string& symbol);
  std::optional<Quote> emit(Entry& e, std::int64_t ts);

  Clock clock_;
  std::unordered_map<std::string, Entry> book_;
};

}  // namespace tickwire::dispatch
