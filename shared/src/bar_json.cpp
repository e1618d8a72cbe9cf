#include "tickwire/bar_json.hpp"

#include <algorithm>

#include "json_fields.hpp"
#include "tickwire/symbol.hpp"

namespace tickwire {

namespace json = boost::json;
using json_fields::append_number;
using json_fields::field;
using json_fields::find;
using json_fields::read_double;
using json_fields::read_unsigned;

namespace {

std::optional<Bar> bar_from_value(const json::value& v, std::string* error) {
  auto fail = [&](const char* why) -> std::optional<Bar> {
    if (error) *error = why;
    return std::nullopt;
  };
  if (!v.is_object()) return fail("bar is not a JSON object");
  const auto& o = v.get_object();
  Bar b;
  std::uint64_t t = 0;
  if (!read_unsigned(o, "t", t, true) || t % 60 != 0 || t > static_cast<std::uint64_t>(INT64_MAX)) {
    return fail("missing or invalid \"t\" (seconds, a whole minute)");
  }
  b.t = static_cast<std::int64_t>(t);
  if (!read_double(o, "o", b.open, true) || !read_double(o, "h", b.high, true) ||
      !read_double(o, "l", b.low, true) || !read_double(o, "c", b.close, true) ||
      !read_unsigned(o, "v", b.volume, false)) {
    return fail("a price or the volume is missing or has the wrong type");
  }
  if (!sane_bar(b)) return fail("prices are not positive or low/high do not bound open and close");
  return b;
}

}  // namespace

void append_bar_json(std::string& out, const Bar& b) {
  out += "{\"t\":";
  append_number(out, b.t);
  field(out, "o", b.open);
  field(out, "h", b.high);
  field(out, "l", b.low);
  field(out, "c", b.close);
  field(out, "v", b.volume);
  out += '}';
}

std::optional<Bar> decode_bar(std::string_view text, std::string* error) {
  boost::system::error_code ec;
  const auto v = json::parse(text, ec);
  if (ec) {
    if (error) *error = "not JSON";
    return std::nullopt;
  }
  return bar_from_value(v, error);
}

std::string encode_bars(std::string_view symbol, double prev_close, std::span<const Bar> bars) {
  std::string out;
  out.reserve(64 + bars.size() * 72);
  out += "{\"symbol\":\"";
  out += symbol;  // validated by the caller (is_valid_symbol: nothing to escape)
  out += "\",\"interval\":\"1m\"";
  if (prev_close > 0) field(out, "prevClose", prev_close);
  out += ",\"bars\":[";
  bool first = true;
  for (const auto& b : bars) {
    if (!first) out += ',';
    first = false;
    append_bar_json(out, b);
  }
  out += "]}";
  return out;
}

std::string encode_bars(const BarsDocument& doc) {
  return encode_bars(doc.symbol, doc.prev_close, doc.bars);
}

std::optional<BarsDocument> decode_bars(std::string_view text, std::string* error) {
  auto fail = [&](const char* why) -> std::optional<BarsDocument> {
    if (error) *error = why;
    return std::nullopt;
  };
  boost::system::error_code ec;
  const auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return fail("not a JSON object");
  const auto& o = v.get_object();
  BarsDocument doc;
  const auto* sym = find(o, "symbol");
  if (!sym || !sym->is_string() || !is_valid_symbol(std::string(sym->get_string()))) {
    return fail("missing or invalid \"symbol\"");
  }
  doc.symbol = std::string(sym->get_string());
  const auto* interval = find(o, "interval");
  if (!interval || !interval->is_string()) return fail("missing \"interval\"");
  doc.interval = std::string(interval->get_string());
  if (!read_double(o, "prevClose", doc.prev_close, false)) return fail("invalid \"prevClose\"");
  const auto* bars = find(o, "bars");
  if (!bars || !bars->is_array()) return fail("missing \"bars\" array");
  for (const auto& item : bars->get_array()) {
    auto b = bar_from_value(item, error);
    if (!b) return std::nullopt;
    if (!doc.bars.empty() && b->t <= doc.bars.back().t) return fail("bars are not in time order");
    doc.bars.push_back(*b);
  }
  return doc;
}

}  // namespace tickwire
