// The JSON codec for one-minute bars: GET /v1/bars answers (docs/api.md) and the bars the Redis
// cache tier stores, one object per minute.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tickwire/minute_bars.hpp"

namespace tickwire {

// {"t":1764856800,"o":229.1,"h":229.4,"l":229,"c":229.3,"v":12800}
void append_bar_json(std::string& out, const Bar& b);
// nullopt unless it is one bar object: t a multiple of 60, prices positive and finite,
// low <= open, close <= high.
std::optional<Bar> decode_bar(std::string_view json, std::string* error = nullptr);

// A GET /v1/bars answer: {"symbol":"AAPL","interval":"1m","prevClose":228.5,"bars":[...]}.
// prevClose is left out when not known (0).
struct BarsDocument {
  std::string symbol;
  std::string interval;  // "1m"
  double prev_close = 0;
  std::vector<Bar> bars;  // ascending t
};
std::string encode_bars(const BarsDocument& doc);
std::string encode_bars(std::string_view symbol, double prev_close, std::span<const Bar> bars);
std::optional<BarsDocument> decode_bars(std::string_view json, std::string* error = nullptr);

}  // namespace tickwire
