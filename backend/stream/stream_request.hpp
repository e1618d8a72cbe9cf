// Validation of a stream or snapshot request's `symbols` parameter, shared by every server that
// serves quotes, so they all answer bad input with the same statuses and JSON bodies:
// missing list -> 400 missing_parameter, malformed symbol -> 400 bad_symbol, more than the limit
// -> 413 too_many_symbols. A well-formed symbol the feed does not list is either refused
// (400 unknown_symbol: the exchange simulator's feed) or, when the caller asks for them, left out
// and named to the client beside what is served (the frontend: one unknown symbol never stops
// the others); a list with no listed symbol at all is refused either way.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "net/http_reply.hpp"
#include "net/http_target.hpp"

namespace tickwire::stream {

struct SymbolLimits {
  std::size_t max_symbols = 500;
  // Whether a well-formed symbol is listed; null while the listing is unknown (then any
  // well-formed symbol is accepted).
  std::function<bool(std::string_view)> is_listed;
};

// `unknown` null: refuse unlisted symbols; else they are left out and put there.
std::variant<std::vector<std::string>, net::Response> requested_symbols(
    const net::Request& req, const net::HttpTarget& target, const SymbolLimits& limits,
    net::ErrorReplies& errors, std::vector<std::string>* unknown = nullptr);

// Last-Event-ID from the header, or the `lastEventId` query parameter for clients that cannot
// set headers.
std::string last_event_id(const net::Request& req, const net::HttpTarget& target);

}  // namespace tickwire::stream
