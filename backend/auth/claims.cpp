#include "auth/claims.hpp"

#include <algorithm>

namespace tickwire::auth {

bool Claims::entitled(std::string_view symbol) const {
  // Sorted by the verifier, so a lookup is a binary search even for long entitlement lists.
  return !symbols || std::binary_search(symbols->begin(), symbols->end(), symbol, std::less<>{});
}

std::vector<std::string> Claims::refused(const std::vector<std::string>& requested) const {
  std::vector<std::string> out;
  if (!symbols) return out;
  for (const auto& s : requested) {
    if (!entitled(s)) out.push_back(s);
  }
  return out;
}

}  // namespace tickwire::auth
