// The one-minute bar codec (tickwire/bar_json.hpp) and the bar series (minute_bars.hpp) on
// arbitrary bytes: what a frontend reads back from Redis and the desktop app from GET /v1/bars.
//
// Invariants: a decoded document has a valid symbol and ascending whole-minute bars with sane
// prices, and encodes to text that decodes to the same document; its bars folded into a stored
// series (replace_bars) keep that series ascending, unique and within the window; a single bar
// round-trips the same way. Prices round-trip within 2 ULP (see fuzz_check.hpp).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "tickwire/bar_json.hpp"
#include "tickwire/minute_bars.hpp"
#include "tickwire/symbol.hpp"

namespace {

using namespace tickwire;

// The same bar, prices within 2 ULP (fuzz::within_2_ulp).
bool same_bar(const Bar& a, const Bar& b) {
  return a.t == b.t && a.volume == b.volume && fuzz::within_2_ulp(a.open, b.open) &&
         fuzz::within_2_ulp(a.high, b.high) && fuzz::within_2_ulp(a.low, b.low) &&
         fuzz::within_2_ulp(a.close, b.close);
}

void check_document(std::string_view text) {
  std::string why;
  const auto doc = decode_bars(text, &why);
  if (!doc) {
    FUZZ_CHECK(!why.empty());
    return;
  }
  FUZZ_CHECK(is_valid_symbol(doc->symbol));
  for (std::size_t i = 0; i < doc->bars.size(); ++i) {
    const auto& b = doc->bars[i];
    FUZZ_CHECK(b.t % 60 == 0 && b.low > 0 && b.low <= b.open && b.low <= b.close);
    FUZZ_CHECK(b.high >= b.open && b.high >= b.close);
    if (i > 0) FUZZ_CHECK(doc->bars[i - 1].t < b.t);
  }
  const auto again = decode_bars(encode_bars(doc->symbol, doc->prev_close, doc->bars));
  FUZZ_CHECK(again && again->symbol == doc->symbol && again->bars.size() == doc->bars.size());
  for (std::size_t i = 0; i < doc->bars.size(); ++i) {
    FUZZ_CHECK(same_bar(again->bars[i], doc->bars[i]));
  }

  std::deque<Bar> kept{{60, 1, 1, 1, 1, 1}, {86'400 * 2, 2, 2, 2, 2, 2}};
  replace_bars(kept, doc->bars);
  FUZZ_CHECK(kept.size() <= MinuteBars::kMaxBars);
  for (std::size_t i = 1; i < kept.size(); ++i) FUZZ_CHECK(kept[i - 1].t < kept[i].t);
  if (!kept.empty()) FUZZ_CHECK(kept.back().t - kept.front().t < MinuteBars::kWindow);
}

void check_bar(std::string_view text) {
  const auto bar = decode_bar(text);
  if (!bar) return;
  std::string out;
  append_bar_json(out, *bar);
  const auto again = decode_bar(out);
  FUZZ_CHECK(again && same_bar(*again, *bar));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  check_document(text);
  check_bar(text);
  return 0;
}
