// A quote encoded once for the wire and shared, immutable, by every connection that sends it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "tickwire/encoded_quote.hpp"

namespace tickwire::stream {

struct QuoteFrame {
  EncodedQuote quote;  // symbol, seq, ts and the JSON bytes as the dispatcher encoded them
  std::uint64_t event_id = 0;  // position in the publishing hub's stream (see event_id.hpp)
  // Quotes of this symbol that never reached the hub between the previous frame and this one
  // (a seq gap upstream or in the cache tier): a client following the symbol misses them.
  std::uint64_t skipped_before = 0;
  std::string sse;             // "event: quote\nid: ...\ndata: <json>\n\n"
  // A whole WebSocket text frame (header and {"type":"quote","id":"...","quote":<json>}), if the
  // hub serves WebSocket: written as-is by every connection (ws_frame.hpp).
  std::string ws;

  std::string_view json() const noexcept { return quote.json_view(); }  // the quote object
};

using FramePtr = std::shared_ptr<const QuoteFrame>;

// Whether the quotes a server hands out are live, or may be stale because its cache tier is
// unreachable (docs/api.md, the `status` event); or, with `symbol`, whether the upstream carries
// that symbol ("unavailable" with a reason, or "available" again). Encoded once, shared like
// quote frames.
struct StatusFrame {
  bool live = true;    // server-wide: live or stale; per symbol: available or not
  std::string symbol;  // empty for the server-wide status
  std::string reason;  // per symbol: why it is unavailable (empty when available)
  std::string json;  // {"state":"live"|"stale","reason":"..."}, or with "symbol" for one symbol
  std::string sse;   // "event: status\ndata: <json>\n\n"
  std::string ws;    // a WebSocket text frame of {"type":"status","state":...,"reason":...}
};

using StatusPtr = std::shared_ptr<const StatusFrame>;

}  // namespace tickwire::stream
