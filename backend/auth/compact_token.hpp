// A JWT's compact form (RFC 7515 section 7.1: header.payload.signature, each base64url) read
// WITHOUT verifying anything. TokenVerifier reads the header's alg this way before any key is
// used, and reads the claims from the very payload text libjwt has just verified.
//
// Hand-rolled (about 40 lines) because libjwt 1.10 cannot show a header without verifying the
// token under the alg that header names (jwt_decode does both at once), and Boost.Beast's base64
// is an undocumented detail with the standard alphabet, not base64url.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace tickwire::auth {

struct CompactToken {
  boost::json::object header;
  boost::json::object payload;
};

// nullopt, with a reason in `why` that quotes nothing of the token, unless `token` is exactly
// three non-empty base64url segments (no padding) whose first two decode to JSON objects.
std::optional<CompactToken> read_compact_token(std::string_view token, std::string& why);

// RFC 4648 section 5 without padding; nullopt on any other character or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace tickwire::auth
