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

std::optional<EnvelopeHeader> envelope_header(std::string_view payload) {
  EnvelopeHeader h;
  const char* p = payload.data();
  const char* end = p + payload.size();
  auto r = std::from_chars(p, end, h.seq);
  if (r.ec != std::errc() || r.ptr == end || *r.ptr != ' ' || h.seq == 0) return std::nullopt;
  r = std::from_chars(r.ptr + 1, end, h.ts);
  if (r.ec != std::errc() || r.ptr == end || *r.ptr != ' ') return std::nullopt;
  h.json_at = static_cast<std::size_t>(r.ptr + 1 - p);
  return h;
}

std::optional<EncodedQuote> from_envelope(std::string symbol, std::string_view payload) {
  const auto h = envelope_header(payload);
  if (!h) return std::nullopt;
  const auto json = payload.substr(h->json_at);
  // The JSON was written by a dispatcher's encode_quote(); a cheap shape check catches a
  // truncated or foreign payload without parsing it.
  if (json.size() < 2 || json.front() != '{' || json.back() != '}') return std::nullopt;
  EncodedQuote q;
  q.symbol = std::move(symbol);
  q.seq = h->seq;
  q.ts = h->ts;
  q.json = std::make_shared<const std::string>(json);
  return q;
}

}  // namespace tickwire
