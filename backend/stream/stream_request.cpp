#include "stream/stream_request.hpp"

#include "tickwire/symbol.hpp"

namespace tickwire::stream {

std::variant<std::vector<std::string>, net::Response> requested_symbols(
    const net::Request& req, const net::HttpTarget& target, const SymbolLimits& limits,
    net::ErrorReplies& errors, std::vector<std::string>* unknown) {
  const auto* list = target.param("symbols");
  if (!list || list->empty()) {
    return errors.make(net::http::status::bad_request, "missing_parameter",
                       "the symbols parameter is required, e.g. ?symbols=AAPL,MSFT",
                       req.version(), req.keep_alive());
  }
  auto parsed = parse_symbol_list(*list, limits.max_symbols);
  if (!parsed.bad_symbol.empty()) {
    return errors.make(net::http::status::bad_request, "bad_symbol",
                       "invalid symbol '" + parsed.bad_symbol +
                           "': 1-12 characters, an upper-case letter then A-Z, 0-9, '.' or '-'",
                       req.version(), req.keep_alive());
  }
  if (parsed.too_many) {
    return errors.make(net::http::status::payload_too_large, "too_many_symbols",
                       "at most " + std::to_string(limits.max_symbols) +
                           " symbols per request",
                       req.version(), req.keep_alive());
  }
  if (!limits.is_listed) return std::move(parsed.symbols);
  std::vector<std::string> listed, unlisted;
  for (auto& s : parsed.symbols) (limits.is_listed(s) ? listed : unlisted).push_back(std::move(s));
  if (!unlisted.empty() && (!unknown || listed.empty())) {
    return errors.make(net::http::status::bad_request, "unknown_symbol",
                       !unknown || unlisted.size() == 1
                           ? "symbol '" + unlisted.front() + "' is not listed (see /v1/symbols)"
                           : "none of the symbols is listed (see /v1/symbols)",
                       req.version(), req.keep_alive());
  }
  if (unknown) *unknown = std::move(unlisted);
  return listed;
}

std::string last_event_id(const net::Request& req, const net::HttpTarget& target) {
  if (const auto it = req.find("Last-Event-ID"); it != req.end()) return std::string(it->value());
  if (const auto* q = target.param("lastEventId")) return *q;
  return {};
}

}  // namespace tickwire::stream
