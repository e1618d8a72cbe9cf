#include "dispatch/upstream/alpaca_messages.hpp"

#include <boost/json.hpp>
#include <algorithm>
#include <cmath>
#include <limits>

#include "dispatch/upstream/provider_time.hpp"
#include "dispatch/upstream/provider_json.hpp"
#include "tickwire/symbol.hpp"

namespace tickwire::dispatch::alpaca {

namespace json = boost::json;
using provider_json::number;
using provider_json::text;

namespace {

template <typename U>
std::optional<U> count(const json::object& o, std::string_view key) {
  const auto d = number(o, key);
  // Below 2^digits, not <= max(): a uint64's max rounds up to 2^64 as a double, which would
  // pass and then not fit (undefined behaviour).
  if (!d || *d < 0 || *d >= std::ldexp(1.0, std::numeric_limits<U>::digits)) return std::nullopt;
  return static_cast<U>(*d);  // sizes may come as 100.0; fractional shares round down
}

std::vector<std::string> symbols(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* v = o.if_contains(key); v && v->is_array()) {
    for (const auto& s : v->get_array()) {
      if (s.is_string()) out.emplace_back(s.get_string());
    }
  }
  return out;
}

std::optional<std::int64_t> timestamp(const json::object& o) {
  return parse_rfc3339_us(text(o, "t"));
}

// One element of a stream array; false when it is malformed.
bool read_message(const json::object& o, Parsed& out) {
  const auto type = text(o, "T");
  if (type == "q" || type == "t") {
    const std::string symbol(text(o, "S"));
    const auto ts = timestamp(o);
    if (!is_valid_symbol(symbol) || !ts) return false;
    if (type == "q") {
      const auto bp = number(o, "bp"), ap = number(o, "ap");
      const auto bs = count<std::uint32_t>(o, "bs"), as = count<std::uint32_t>(o, "as");
      if (!bp || !ap || !bs || !as) return false;
      out.messages.emplace_back(QuoteMessage{symbol, *bp, *ap, *bs, *as, *ts});
    } else {
      const auto p = number(o, "p");
      const auto s = count<std::uint64_t>(o, "s");
      if (!p || !s) return false;
      out.messages.emplace_back(TradeMessage{symbol, *p, *s, *ts});
    }
    return true;
  }
  if (type == "success") {
    out.messages.emplace_back(Success{std::string(text(o, "msg"))});
    return true;
  }
  if (type == "error") {
    const auto code = number(o, "code");
    // Alpaca's codes are 400..500; anything that does not fit an int is malformed, not cast.
    if (!code || *code < std::numeric_limits<int>::min() ||
        *code > std::numeric_limits<int>::max()) {
      return false;
    }
    out.messages.emplace_back(Error{static_cast<int>(*code), std::string(text(o, "msg"))});
    return true;
  }
  if (type == "subscription") {
    out.messages.emplace_back(Subscription{symbols(o, "trades"), symbols(o, "quotes")});
    return true;
  }
  if (type.empty()) return false;
  ++out.unknown;  // bars, dailyBars, statuses, corrections, ...: not used
  return true;
}

void append_list(json::object& o, std::string_view key, const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  o[key] = std::move(a);
}

}  // namespace

Parsed parse_stream(std::string_view body) {
  Parsed out;
  boost::system::error_code ec;
  const auto v = json::parse(body, ec);
  if (ec || !v.is_array()) {
    out.malformed = 1;
    return out;
  }
  for (const auto& item : v.get_array()) {
    if (!item.is_object() || !read_message(item.get_object(), out)) ++out.malformed;
  }
  return out;
}

std::string auth_message(std::string_view key, std::string_view secret) {
  return json::serialize(json::object{{"action", "auth"}, {"key", key}, {"secret", secret}});
}

std::string subscription_message(bool subscribe, const std::vector<std::string>& list) {
  json::object o{{"action", subscribe ? "subscribe" : "unsubscribe"}};
  append_list(o, "trades", list);
  append_list(o, "quotes", list);
  return json::serialize(o);
}

std::optional<std::map<std::string, ProviderQuoteBook::Day>> parse_snapshots(
    std::string_view body, std::string* error) {
  boost::system::error_code ec;
  const auto v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    if (error) *error = "snapshots: not a JSON object";
    return std::nullopt;
  }
  // Older API versions wrapped the map as {"snapshots": {...}}; accept both.
  const auto* root = &v.get_object();
  if (const auto* inner = root->if_contains("snapshots"); inner && inner->is_object()) {
    root = &inner->get_object();
  }
  std::map<std::string, ProviderQuoteBook::Day> out;
  for (const auto& [key, value] : *root) {
    const std::string symbol(key);
    if (!is_valid_symbol(symbol) || !value.is_object()) continue;
    const auto& snap = value.get_object();
    ProviderQuoteBook::Day day;
    auto bar = [&](std::string_view name) -> const json::object* {
      const auto* b = snap.if_contains(name);
      return b && b->is_object() ? &b->get_object() : nullptr;
    };
    if (const auto* daily = bar("dailyBar")) {
      day.open = number(*daily, "o");
      day.high = number(*daily, "h");
      day.low = number(*daily, "l");
      day.volume = count<std::uint64_t>(*daily, "v");
    }
    if (const auto* prev = bar("prevDailyBar")) day.prev_close = number(*prev, "c");
    if (const auto* trade = bar("latestTrade")) {
      day.last = number(*trade, "p");
      if (const auto ts = timestamp(*trade)) day.as_of = *ts;
    }
    out.emplace(symbol, day);
  }
  return out;
}

std::optional<BarsPage> parse_bars(std::string_view body, std::string* error) {
  boost::system::error_code ec;
  const auto v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    if (error) *error = "bars: not a JSON object";
    return std::nullopt;
  }
  const auto& root = v.get_object();
  BarsPage page;
  page.next_page_token = std::string(text(root, "next_page_token"));  // null on the last page
  const auto* bars = root.if_contains("bars");
  if (!bars) {
    if (error) *error = "bars: no \"bars\"";
    return std::nullopt;
  }
  if (!bars->is_object()) return page;  // null: no bars in the range
  for (const auto& [key, list] : bars->get_object()) {
    const std::string symbol(key);
    if (!is_valid_symbol(symbol) || !list.is_array()) continue;
    auto& out = page.bars[symbol];
    for (const auto& item : list.get_array()) {
      if (!item.is_object()) continue;
      const auto& b = item.get_object();
      const auto t = timestamp(b);
      if (!t) continue;
      const auto bar = provider_json::minute_bar(*t / 1'000'000,
                                                 number(b, "o"), number(b, "h"), number(b, "l"),
                                                 number(b, "c"), number(b, "v"));
      if (bar && (out.empty() || bar->t > out.back().t)) out.push_back(*bar);
    }
  }
  return page;
}

std::optional<std::vector<SymbolInfo>> parse_assets(std::string_view body, std::string* error) {
  boost::system::error_code ec;
  const auto v = json::parse(body, ec);
  if (ec || !v.is_array()) {
    if (error) *error = "assets: not a JSON array";
    return std::nullopt;
  }
  std::vector<SymbolInfo> out;
  for (const auto& item : v.get_array()) {
    if (!item.is_object()) continue;
    const auto& a = item.get_object();
    const std::string symbol(text(a, "symbol"));
    const auto* tradable = a.if_contains("tradable");
    if (!is_valid_symbol(symbol) || (tradable && tradable->is_bool() && !tradable->get_bool())) {
      continue;
    }
    if (const auto status = text(a, "status"); !status.empty() && status != "active") continue;
    out.push_back({symbol, std::string(text(a, "name"))});
  }
  std::sort(out.begin(), out.end(),
            [](const SymbolInfo& x, const SymbolInfo& y) { return x.symbol < y.symbol; });
  return out;
}

}  // namespace tickwire::dispatch::alpaca
