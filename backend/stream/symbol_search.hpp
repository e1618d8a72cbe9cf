// GET /v1/symbols?q=<prefix>&limit=<n>: the same answer from the exchange and the frontend.
#pragma once

#include "net/http_reply.hpp"
#include "net/http_target.hpp"
#include "tickwire/symbol_directory.hpp"

namespace tickwire::stream {

// Without q every listing is returned (limit defaults to all); with q at most 50 unless a
// limit is given. A limit that is not a positive whole number gets 400 bad_parameter.
net::Response symbol_search(const SymbolDirectory& directory, const net::Request& req,
                       const net::HttpTarget& target, net::ErrorReplies& errors);

}  // namespace tickwire::stream
