// GET /v1/symbols?q=<prefix>&limit=<n>: the same answer from the exchange and the frontend.
#pragma once

#include "net/http_reply.hpp"
#include "net/http_target.hpp"
#include "tickwire/symbol_directory.hpp"

namespace tickwire::net {

// Without q every listing is returned (limit defaults to all); with q at most 50 unless a
// limit is given. A limit that is not a positive whole number gets 400 bad_parameter.
Response symbol_search(const SymbolDirectory& directory, const Request& req,
                       const HttpTarget& target, ErrorReplies& errors);

}  // namespace tickwire::net
