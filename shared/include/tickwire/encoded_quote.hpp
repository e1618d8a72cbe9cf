// A quote as it crosses the cache tier: its canonical JSON bytes (docs/api.md), encoded once by
// the dispatcher and shared, immutable, by everything downstream, plus the few fields the
// fan-out needs without reading the JSON (symbol for routing, seq for ordering, ts for latency).
// Nothing after the dispatcher decodes a quote only to encode it again.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tickwire/quote.hpp"

namespace tickwire {

struct EncodedQuote {
  std::string symbol;
  std::uint64_t seq = 0;
  std::int64_t ts = 0;  // exchange timestamp, microseconds since the Unix epoch
  std::shared_ptr<const std::string> json;  // never null in a value made by encode()

  static EncodedQuote encode(const Quote& q);
  std::string_view json_view() const noexcept { return json ? std::string_view(*json) : ""; }
};

// How an EncodedQuote travels between processes (Redis pub/sub payloads and stored latest
// quotes): "<seq> <ts> <json>". The receiver reads seq and ts from the front and keeps the JSON
// bytes as they are; the symbol comes from the channel or key the payload was read from.
std::string to_envelope(const EncodedQuote& q);
// nullopt when the payload is not an envelope (counted by the caller as a bad message).
std::optional<EncodedQuote> from_envelope(std::string symbol, std::string_view payload);
// Only the seq and ts at the front of an envelope, for a reader that needs no JSON (nullopt when
// the front is not "<seq> <ts> ").
struct EnvelopeHeader {
  std::uint64_t seq = 0;
  std::int64_t ts = 0;
  std::size_t json_at = 0;  // where the JSON starts in the payload
};
std::optional<EnvelopeHeader> envelope_header(std::string_view payload);

}  // namespace tickwire
