// The quote codec (tickwire/quote_json.hpp) on arbitrary bytes: decode_quote, decode_snapshot,
// decode_poll_answer, decode_status_live, decode_symbol_status, decode_unknown_symbols,
// decode_snapshot_heartbeat and
// decode_ws_message (the desktop app's reader of /v1/ws messages) all read the same input.
//
// Invariant (round trip): a quote that decodes encodes to JSON that decodes to the same Quote
// (every field, absent ones included; prices within 2 ULP, see within_2_ulp). The same holds for every quote of a
// snapshot, a poll answer or a ws message, and for encode_snapshot of a decoded snapshot.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "tickwire/quote_json.hpp"
#include "tickwire/symbol.hpp"
#include "tickwire/symbol.hpp"

namespace {

using namespace tickwire;

// Prices within 2 ULP (fuzz::within_2_ulp: Boost.JSON 1.81 reads 15 significant digits);
// everything else (symbol, seq, ts, sizes, volume, which fields are absent) must come back
// exactly.
using fuzz::within_2_ulp;

bool same_quote(const Quote& a, const Quote& b) {
  return a.symbol == b.symbol && a.seq == b.seq && a.ts == b.ts && a.bid_size == b.bid_size &&
         a.ask_size == b.ask_size && a.volume == b.volume && a.absent == b.absent &&
         within_2_ulp(a.last, b.last) && within_2_ulp(a.bid, b.bid) &&
         within_2_ulp(a.ask, b.ask) && within_2_ulp(a.open, b.open) &&
         within_2_ulp(a.high, b.high) && within_2_ulp(a.low, b.low) &&
         within_2_ulp(a.prev_close, b.prev_close) && within_2_ulp(a.change, b.change) &&
         within_2_ulp(a.change_pct, b.change_pct);
}

void check_round_trip(const Quote& q) {
  FUZZ_CHECK(is_valid_symbol(q.symbol));
  const std::string once = encode_quote(q);
  std::string why;
  const auto back = decode_quote(once, &why);
  FUZZ_CHECK(back.has_value());
  FUZZ_CHECK(same_quote(*back, q));
}

void check_all(const std::vector<Quote>& quotes) {
  for (const auto& q : quotes) check_round_trip(q);
  std::vector<std::string> encoded;
  for (const auto& q : quotes) encoded.push_back(encode_quote(q));
  const std::vector<std::string_view> views(encoded.begin(), encoded.end());
  const auto back = decode_snapshot(encode_snapshot(views));
  FUZZ_CHECK(back && back->size() == quotes.size());
  for (std::size_t i = 0; i < quotes.size(); ++i) FUZZ_CHECK(same_quote((*back)[i], quotes[i]));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  std::string why;

  if (const auto q = decode_quote(text, &why)) check_round_trip(*q);

  const auto snapshot = decode_snapshot(text, &why);
  if (snapshot) check_all(*snapshot);

  const auto poll = decode_poll_answer(text, &why);
  // A poll answer is a snapshot with more fields: both decode, or neither.
  FUZZ_CHECK(poll.has_value() == snapshot.has_value());
  if (poll) FUZZ_CHECK(poll->quotes == *snapshot);

  (void)decode_status_live(text);

  // A symbol's status is one of the two states, for a valid symbol, and never the server-wide
  // status (the desktop tells them apart by this).
  if (const auto st = decode_symbol_status(text)) {
    FUZZ_CHECK(is_valid_symbol(st->symbol));
    if (st->available) FUZZ_CHECK(st->reason.empty());
    FUZZ_CHECK(!decode_status_live(text));
  }
  // Unknown symbols named by a snapshot or poll answer are valid symbols, and a snapshot written
  // with them reads them back.
  const auto unknown = decode_unknown_symbols(text);
  for (const auto& s : unknown) FUZZ_CHECK(is_valid_symbol(s));
  if (poll) {
    FUZZ_CHECK(poll->unknown == unknown);
    for (const auto& u : poll->unavailable) FUZZ_CHECK(is_valid_symbol(u.symbol) && !u.available);
  }
  FUZZ_CHECK(decode_unknown_symbols(encode_snapshot({}, unknown)) == unknown);
  // A heartbeat that reads back is one a snapshot can carry, and carries unchanged.
  if (const auto hb = decode_snapshot_heartbeat(text); hb > 0) {
    FUZZ_CHECK(decode_snapshot_heartbeat(encode_snapshot({}, unknown, hb)) == hb);
  }

  if (const auto m = decode_ws_message(text, &why)) {
    check_all(m->quotes);
    FUZZ_CHECK(m->type == "quote" || m->type == "snapshot" || m->type == "unsubscribed" ||
               m->type == "error" || m->type == "status");
    if (m->type == "quote") FUZZ_CHECK(m->quotes.size() == 1);
    if (m->type == "status") FUZZ_CHECK(m->state == "live" || m->state == "stale");
  }
  return 0;
}
