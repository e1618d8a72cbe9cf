// The one quote shape every tier and the desktop app share. A quote is the *state* of a symbol
// at one moment (not an event to replay): newer replaces older, ordered by the per-symbol `seq`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace tickwire {

struct Quote {
  // Optional fields a source did not provide (a provider without quotes has no bid/ask; one
  // without a snapshot has no day statistics): they are left out of the JSON rather than sent
  // as an invented 0. symbol, seq, ts and last are always present.
  enum Field : std::uint16_t {
    kBid = 1 << 0,
    kAsk = 1 << 1,
    kBidSize = 1 << 2,
    kAskSize = 1 << 3,
    kVolume = 1 << 4,
    kOpen = 1 << 5,
    kHigh = 1 << 6,
    kLow = 1 << 7,
    kPrevClose = 1 << 8,
    kChange = 1 << 9,  // change and changePct together
  };

  std::string symbol;       // validated with is_valid_symbol()
  std::uint64_t seq = 0;    // per-symbol, strictly increasing at the exchange
  std::int64_t ts = 0;      // exchange timestamp, microseconds since the Unix epoch
  double last = 0;          // last trade price
  double bid = 0;
  double ask = 0;
  std::uint32_t bid_size = 0;
  std::uint32_t ask_size = 0;
  std::uint64_t volume = 0;  // shares traded today
  double open = 0;
  double high = 0;
  double low = 0;
  double prev_close = 0;
  double change = 0;      // last - prev_close
  double change_pct = 0;  // 100 * change / prev_close
  std::uint16_t absent = 0;  // Field bits: not provided, not encoded
  bool has(Field f) const noexcept { return (absent & f) == 0; }

  friend bool operator==(const Quote&, const Quote&) = default;
};

using QuotePtr = std::shared_ptr<const Quote>;

}  // namespace tickwire
