#include "dispatch/upstream/finnhub_messages.hpp"

#include <boost/json.hpp>
#include <algorithm>
#include <cmath>

#include "dispatch/upstream/provider_json.hpp"
#include "tickwire/symbol.hpp"

namespace tickwire::dispatch::finnhub {

namespace json = boost::json;
using provider_json::number;
using provider_json::text;

namespace {

std::optional<Trade> read_trade(const json::value& v) {
  if (!v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  Trade t;
  t.symbol = std::string(text(o, "s"));
  const auto p = number(o, "p"), size = number(o, "v"), ms = number(o, "t");
  // Milliseconds since the epoch; the bound keeps the µs value far from overflow.
  if (!is_valid_symbol(t.symbol) || !p || !size || *size < 0 || !ms || *ms < 0 || *ms > 1e14) {
    return std::nullopt;
  }
  t.price = *p;
  t.size = static_cast<std::uint64_t>(std::min(*size, 1e15));
  t.ts = static_cast<std::int64_t>(*ms) * 1000;
  return t;
}

}  // namespace

Parsed parse_stream(std::string_view body) {
  Parsed out;
  boost::system::error_code ec;
  const auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return out;  // malformed
  const auto& o = v.get_object();
  const auto type = text(o, "type");
  if (type == "ping") {
    out.kind = Parsed::Kind::ping;
  } else if (type == "error") {
    out.kind = Parsed::Kind::error;
    out.error = std::string(text(o, "msg"));
  } else if (type == "trade") {
    const auto* data = o.if_contains("data");
    if (!data || !data->is_array()) return out;  // malformed
    out.kind = Parsed::Kind::trades;
    for (const auto& item : data->get_array()) {
      if (auto t = read_trade(item)) {
        out.trades.push_back(std::move(*t));
      } else {
        ++out.bad_trades;
      }
    }
  } else if (!type.empty()) {
    out.kind = Parsed::Kind::unknown;
  }
  return out;
}

std::string subscription_message(bool subscribe, std::string_view symbol) {
  return json::serialize(
      json::object{{"type", subscribe ? "subscribe" : "unsubscribe"}, {"symbol", symbol}});
}

std::optional<ProviderQuoteBook::Day> parse_quote(std::string_view body, std::string* error) {
  boost::system::error_code ec;
  const auto v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    if (error) *error = "quote: not a JSON object";
    return std::nullopt;
  }
  const auto& o = v.get_object();
  const auto c = number(o, "c"), t = number(o, "t");
  if (!c || *c <= 0) {
    if (error) *error = "quote: no current price (unknown symbol?)";
    return std::nullopt;
  }
  ProviderQuoteBook::Day day;
  day.last = c;
  auto positive = [&](std::string_view key) -> std::optional<double> {
    const auto x = number(o, key);
    return x && *x > 0 ? x : std::nullopt;
  };
  day.open = positive("o");
  day.high = positive("h");
  day.low = positive("l");
  day.prev_close = positive("pc");
  if (t && *t > 0 && *t < 1e11) day.as_of = static_cast<std::int64_t>(*t) * 1'000'000;  // seconds
  return day;
}

std::optional<std::vector<Bar>> parse_candles(std::string_view body, std::string* error) {
  auto fail = [&](const char* why) -> std::optional<std::vector<Bar>> {
    if (error) *error = why;
    return std::nullopt;
  };
  boost::system::error_code ec;
  const auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return fail("candles: not a JSON object");
  const auto& o = v.get_object();
  const auto status = text(o, "s");
  if (status == "no_data") return std::vector<Bar>{};
  if (status != "ok") return fail("candles: status is neither ok nor no_data");
  const json::array* columns[6] = {};
  const char* names[6] = {"t", "o", "h", "l", "c", "v"};
  for (int i = 0; i < 6; ++i) {
    const auto* col = o.if_contains(names[i]);
    if (!col || !col->is_array()) return fail("candles: a column is missing");
    columns[i] = &col->get_array();
    if (columns[i]->size() != columns[0]->size()) return fail("candles: columns differ in length");
  }
  auto at = [](const json::array& a, std::size_t i) -> std::optional<double> {
    const auto& x = a[i];
    if (x.is_double()) return std::isfinite(x.get_double()) ? std::optional(x.get_double())
                                                            : std::nullopt;
    if (x.is_int64()) return static_cast<double>(x.get_int64());
    if (x.is_uint64()) return static_cast<double>(x.get_uint64());
    return std::nullopt;
  };
  std::vector<Bar> bars;
  for (std::size_t i = 0; i < columns[0]->size(); ++i) {
    const auto t = at(*columns[0], i);
    if (!t || *t <= 0 || *t > 1e11) continue;
    const auto bar = provider_json::minute_bar(static_cast<std::int64_t>(*t), at(*columns[1], i),
                                               at(*columns[2], i), at(*columns[3], i),
                                               at(*columns[4], i), at(*columns[5], i));
    if (bar && (bars.empty() || bar->t > bars.back().t)) bars.push_back(*bar);
  }
  return bars;
}

std::optional<std::vector<SymbolInfo>> parse_symbols(std::string_view body, std::string* error) {
  boost::system::error_code ec;
  const auto v = json::parse(body, ec);
  if (ec || !v.is_array()) {
    if (error) *error = "stock/symbol: not a JSON array";
    return std::nullopt;
  }
  std::vector<SymbolInfo> out;
  for (const auto& item : v.get_array()) {
    if (!item.is_object()) continue;
    const auto& s = item.get_object();
    const std::string symbol(text(s, "symbol"));
    if (!is_valid_symbol(symbol)) continue;
    out.push_back({symbol, std::string(text(s, "description"))});
  }
  std::sort(out.begin(), out.end(),
            [](const SymbolInfo& x, const SymbolInfo& y) { return x.symbol < y.symbol; });
  return out;
}

}  // namespace tickwire::dispatch::finnhub
