// A TCP port as written in a URL ("8080"): what Boost.URL's port_number() is not, since it
// wraps ports above 65535 (99999 reads as 34463) and so would connect somewhere unasked.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tickwire {

// 1-65535 written in decimal digits only; nullopt for anything else (empty, 0, signs, spaces,
// above 65535).
std::optional<std::uint16_t> parse_tcp_port(std::string_view digits);

}  // namespace tickwire
