// The symbol a GET /v1/bars request asks for (symbol=AAPL[&interval=1m]), checked the same way
// by the frontend and the exchange simulator: the 400 or 404 to answer otherwise (missing or
// malformed symbol, an interval other than 1m, a symbol the directory does not list).
#pragma once

#include <string>
#include <variant>

#include "net/http_reply.hpp"
#include "net/http_target.hpp"
#include "tickwire/symbol_directory.hpp"

namespace tickwire::stream {

std::variant<std::string, net::Response> bars_request(const SymbolDirectory& directory,
                                                      const net::Request& req,
                                                      const net::HttpTarget& target,
                                                      net::ErrorReplies& errors);

}  // namespace tickwire::stream
