#include "tickwire/quote_json.hpp"

#include <boost/json.hpp>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdint>

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

std::optional<Quote> quote_from_value(const json::value& v, std::string* error) {
  auto fail = [&](const char* why) -> std::optional<Quote> {
    if (error) *error = why;
    return std::nullopt;
  };
  if (!v.is_object()) return fail("quote is not a JSON object");
  const auto& o = v.get_object();
  Quote q;
  const auto* sym = find(o, "symbol");
  if (!sym || !sym->is_string()) return fail("missing or non-string \"symbol\"");
  q.symbol = std::string(sym->get_string());
  if (!is_valid_symbol(q.symbol)) return fail("invalid \"symbol\"");
  if (!read_unsigned(o, "seq", q.seq, true)) return fail("missing or invalid \"seq\"");
  std::uint64_t ts = 0;
  if (!read_unsigned(o, "ts", ts, true) || ts > static_cast<std::uint64_t>(INT64_MAX)) {
    return fail("missing or invalid \"ts\"");
  }
  q.ts = static_cast<std::int64_t>(ts);
  if (!read_double(o, "last", q.last, true)) return fail("missing or invalid \"last\"");
  const bool ok = read_double(o, "bid", q.bid, false) && read_double(o, "ask", q.ask, false) &&
                  read_unsigned(o, "bidSize", q.bid_size, false) &&
                  read_unsigned(o, "askSize", q.ask_size, false) &&
                  read_unsigned(o, "volume", q.volume, false) &&
                  read_double(o, "open", q.open, false) && read_double(o, "high", q.high, false) &&
                  read_double(o, "low", q.low, false) &&
                  read_double(o, "prevClose", q.prev_close, false) &&
                  read_double(o, "change", q.change, false) &&
                  read_double(o, "changePct", q.change_pct, false);
  if (!ok) return fail("a numeric field has the wrong type or range");
  for (const auto& [key, bit] : {std::pair{"bid", Quote::kBid}, {"ask", Quote::kAsk},
                                 {"bidSize", Quote::kBidSize}, {"askSize", Quote::kAskSize},
                                 {"volume", Quote::kVolume}, {"open", Quote::kOpen},
                                 {"high", Quote::kHigh}, {"low", Quote::kLow},
                                 {"prevClose", Quote::kPrevClose}, {"change", Quote::kChange}}) {
    if (!find(o, key)) q.absent |= bit;
  }
  // change and changePct are one optional pair: a changePct without its change is left out
  // with it, as the encoder would, rather than kept in a field marked absent.
  if (!q.has(Quote::kChange)) q.change_pct = 0;
  return q;
}

}  // namespace

void append_quote_json(std::string& out, const Quote& q) {
  assert(is_valid_symbol(q.symbol));
  out += "{\"symbol\":\"";
  out += q.symbol;
  out += '"';
  field(out, "seq", q.seq);
  field(out, "ts", q.ts);
  field(out, "last", q.last);
  if (q.absent == 0) {  // the common case: every field, no tests
    field(out, "bid", q.bid);
    field(out, "ask", q.ask);
    field(out, "bidSize", q.bid_size);
    field(out, "askSize", q.ask_size);
    field(out, "volume", q.volume);
    field(out, "open", q.open);
    field(out, "high", q.high);
    field(out, "low", q.low);
    field(out, "prevClose", q.prev_close);
    field(out, "change", q.change);
    field(out, "changePct", q.change_pct);
  } else {
    if (q.has(Quote::kBid)) field(out, "bid", q.bid);
    if (q.has(Quote::kAsk)) field(out, "ask", q.ask);
    if (q.has(Quote::kBidSize)) field(out, "bidSize", q.bid_size);
    if (q.has(Quote::kAskSize)) field(out, "askSize", q.ask_size);
    if (q.has(Quote::kVolume)) field(out, "volume", q.volume);
    if (q.has(Quote::kOpen)) field(out, "open", q.open);
    if (q.has(Quote::kHigh)) field(out, "high", q.high);
    if (q.has(Quote::kLow)) field(out, "low", q.low);
    if (q.has(Quote::kPrevClose)) field(out, "prevClose", q.prev_close);
    if (q.has(Quote::kChange)) {
      field(out, "change", q.change);
      field(out, "changePct", q.change_pct);
    }
  }
  out += '}';
}

std::string encode_quote(const Quote& q) {
  std::string out;
  out.reserve(256);
  append_quote_json(out, q);
  return out;
}

std::optional<Quote> decode_quote(std::string_view text, std::string* error) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec) {
    if (error) *error = "malformed JSON: " + ec.message();
    return std::nullopt;
  }
  return quote_from_value(v, error);
}

std::string encode_snapshot(const std::vector<std::string_view>& encoded_quotes,
                            const std::vector<std::string>& unknown, unsigned heartbeat_s) {
  std::size_t size = 16;
  for (auto q : encoded_quotes) size += q.size() + 1;
  std::string out;
  out.reserve(size);
  out += "{\"quotes\":[";
  for (std::size_t i = 0; i < encoded_quotes.size(); ++i) {
    if (i) out += ',';
    out += encoded_quotes[i];
  }
  out += ']';
  if (!unknown.empty()) {
    // Well-formed symbols (checked by the server before it got here): no escaping needed, but
    // the serializer is used all the same.
    json::array list;
    for (const auto& s : unknown) list.emplace_back(s);
    out += ",\"unknown\":" + json::serialize(list);
  }
  if (heartbeat_s > 0) out += ",\"heartbeat\":" + std::to_string(heartbeat_s);
  out += '}';
  return out;
}

std::optional<std::vector<Quote>> decode_snapshot(std::string_view text, std::string* error) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec) {
    if (error) *error = "malformed JSON: " + ec.message();
    return std::nullopt;
  }
  const auto* quotes = v.is_object() ? v.get_object().if_contains("quotes") : nullptr;
  if (!quotes || !quotes->is_array()) {
    if (error) *error = "snapshot has no \"quotes\" array";
    return std::nullopt;
  }
  std::vector<Quote> out;
  out.reserve(quotes->get_array().size());
  for (const auto& item : quotes->get_array()) {
    auto q = quote_from_value(item, error);
    if (!q) return std::nullopt;
    out.push_back(std::move(*q));
  }
  return out;
}

namespace {
std::vector<std::string> strings_of(const json::value* v) {
  std::vector<std::string> out;
  if (v && v->is_array()) {
    for (const auto& s : v->get_array()) {
      if (s.is_string()) out.emplace_back(s.get_string());
    }
  }
  return out;
}
std::string string_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}
}  // namespace

std::optional<WsMessage> decode_ws_message(std::string_view text, std::string* error) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  const auto* o = !ec ? v.if_object() : nullptr;
  if (!o) {
    if (error) *error = "not a JSON object";
    return std::nullopt;
  }
  WsMessage m;
  m.type = string_of(*o, "type");
  m.id = string_of(*o, "id");
  if (m.type == "quote") {
    const auto* q = o->if_contains("quote");
    auto quote = q ? quote_from_value(*q, error) : std::nullopt;
    if (!quote) return std::nullopt;
    m.quotes.push_back(std::move(*quote));
  } else if (m.type == "snapshot") {
    const auto* qs = o->if_contains("quotes");
    if (!qs || !qs->is_array()) {
      if (error) *error = "snapshot without quotes";
      return std::nullopt;
    }
    for (const auto& item : qs->get_array()) {
      auto quote = quote_from_value(item, error);
      if (!quote) return std::nullopt;
      m.quotes.push_back(std::move(*quote));
    }
    m.symbols = strings_of(o->if_contains("symbols"));
  } else if (m.type == "unsubscribed") {
    m.symbols = strings_of(o->if_contains("symbols"));
  } else if (m.type == "error") {
    m.error = string_of(*o, "error");
    m.detail = string_of(*o, "detail");
    m.symbols = strings_of(o->if_contains("symbols"));  // forbidden, unknown_symbol
  } else if (m.type == "status") {
    m.state = string_of(*o, "state");
    m.detail = string_of(*o, "reason");
    if (m.state != "live" && m.state != "stale") {
      if (error) *error = "status without a known state";
      return std::nullopt;
    }
  } else {
    if (error) *error = "unknown message type";
    return std::nullopt;
  }
  return m;
}

std::optional<bool> decode_status_live(std::string_view text) {
  boost::system::error_code ec;
  const auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto state = string_of(v.get_object(), "state");
  if (state == "live") return true;
  if (state == "stale") return false;
  return std::nullopt;
}

namespace {
std::optional<SymbolStatusMessage> symbol_status_of(const json::value& v) {
  if (!v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  SymbolStatusMessage m;
  m.symbol = string_of(o, "symbol");
  if (!is_valid_symbol(m.symbol)) return std::nullopt;
  const auto state = string_of(o, "state");
  if (state == "available") {
    m.available = true;
  } else if (state == "unavailable") {
    m.reason = string_of(o, "reason");
  } else {
    return std::nullopt;
  }
  return m;
}
}  // namespace

std::vector<std::string> decode_unknown_symbols(std::string_view text) {
  boost::system::error_code ec;
  const auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return {};
  auto list = strings_of(v.get_object().if_contains("unknown"));
  std::erase_if(list, [](const std::string& s) { return !is_valid_symbol(s); });
  return list;
}

unsigned decode_snapshot_heartbeat(std::string_view text) {
  boost::system::error_code ec;
  const auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return 0;
  const auto* h = v.get_object().if_contains("heartbeat");
  if (h == nullptr) return 0;
  if (h->is_uint64() && h->get_uint64() <= UINT32_MAX) return static_cast<unsigned>(h->get_uint64());
  if (h->is_int64() && h->get_int64() > 0 && h->get_int64() <= UINT32_MAX) {
    return static_cast<unsigned>(h->get_int64());
  }
  return 0;
}

std::optional<SymbolStatusMessage> decode_symbol_status(std::string_view text) {
  boost::system::error_code ec;
  const auto v = json::parse(text, ec);
  if (ec) return std::nullopt;
  return symbol_status_of(v);
}

std::optional<PollAnswer> decode_poll_answer(std::string_view text, std::string* error) {
  auto quotes = decode_snapshot(text, error);  // the same {"quotes":[...]} core
  if (!quotes) return std::nullopt;
  const auto v = json::parse(text);
  PollAnswer a;
  a.quotes = std::move(*quotes);
  a.cursor = string_of(v.get_object(), "cursor");
  a.pending = strings_of(v.get_object().if_contains("pending"));
  a.unknown = decode_unknown_symbols(text);
  if (const auto* u = v.get_object().if_contains("unavailable"); u && u->is_array()) {
    for (const auto& e : u->get_array()) {
      if (auto m = symbol_status_of(e); m && !m->available) a.unavailable.push_back(*m);
    }
  }
  a.stale = string_of(v.get_object(), "status") == "stale";
  return a;
}

}  // namespace tickwire
