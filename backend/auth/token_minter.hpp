// Mints HS256 client tokens with the server's own secret: for operators (`tickwired token`) and
// tests. RS256/ES256 tokens come from whoever holds the private key, never from the server.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/key_file.hpp"  // read_secret_file: the same rules as the verifier's

namespace tickwire::auth {

// An HS256 token with sub, iat=now, exp=now+ttl, and symbols when given (for operators and tests).
// Throws std::invalid_argument for what TokenVerifier would refuse: a secret shorter than
// kMinSecretBytes, an empty sub, a ttl under one second, or a symbol that is not valid (["*"]
// alone means every symbol).
std::string mint_hs256(std::string_view secret, std::string_view sub, std::int64_t now_unix,
                       std::int64_t ttl_seconds, const std::optional<std::vector<std::string>>& symbols);

}  // namespace tickwire::auth
