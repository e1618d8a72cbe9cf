// What a verified client token grants: who it is for, until when, and which symbols it may
// stream. Produced only by TokenVerifier (or by tests), so a Claims is always a verified one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tickwire::auth {

struct Claims {
  std::string sub;
  std::int64_t exp = 0;  // unix seconds
  // nullopt: every symbol (claim absent, or ["*"]); otherwise sorted, unique symbols.
  std::optional<std::vector<std::string>> symbols;
};
// Entitlement checks happen on the connection's stream::Access, which the frontend fills from
// these claims (the stream library does not depend on auth).

}  // namespace tickwire::auth
