// What a verified client token grants: who it is for, until when, and which symbols it may
// stream. Produced only by TokenVerifier (or by tests), so a Claims is always a verified one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tickwire::auth {

struct Claims {
  std::string sub;
  std::int64_t exp = 0;  // unix seconds
  // nullopt: every symbol (claim absent, or ["*"]); otherwise sorted, unique symbols.
  std::optional<std::vector<std::string>> symbols;

  bool entitled(std::string_view symbol) const;
  // Those of `requested` this token may not see, in request order (empty: all allowed).
  std::vector<std::string> refused(const std::vector<std::string>& requested) const;
};

}  // namespace tickwire::auth
