#include "tickwire/encoded_quote.hpp"

#include <charconv>

#include "tickwire/quote_json.hpp"

namespace tickwire {

EncodedQuote EncodedQuote::encode(const Quote& q) {
  return EncodedQuote{q.symbol, q.seq, q.ts, std::make_shared<const std::string>(encode_quote(q))};
}

std::string to_envelope(const EncodedQuote& q) {
  std::string out;
  const auto json = q.json_view();
  out.reserve(json.size() + 42);
  out += std::to_string(q.seq);
  out += ' ';
  out += std::to_string(q.ts);
  out += ' ';
  out += json;
  return out;
}

std::optional<EncodedQuote> from_envelope(std::string symbol, std::string_view payload) {
  EncodedQuote q;
  const char* p = payload.data();
  const char* end = p + payload.size();
  auto r = std::from_chars(p, end, q.seq);
  if (r.ec != std::errc() || r.ptr == end || *r.ptr != ' ' || q.seq == 0) return std::nullopt;
  r = std::from_chars(r.ptr + 1, end, q.ts);
  if (r.ec != std::errc() || r.ptr == end || *r.ptr != ' ') return std::nullopt;
  const std::string_view json(r.ptr + 1, static_cast<std::size_t>(end - r.ptr - 1));
  // The JSON was written by a dispatcher's encode_quote(); a cheap shape check catches a
  // truncated or foreign payload without parsing it.
  if (json.size() < 2 || json.front() != '{' || json.back() != '}') return std::nullopt;
  q.symbol = std::move(symbol);
  q.json = std::make_shared<const std::string>(json);
  return q;
}

}  // namespace tickwire
