// Event times as providers write them, to Tickwire's microseconds since the Unix epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tickwire::dispatch {

// RFC 3339 in UTC as Alpaca writes it: "2024-03-01T15:04:05.123456789Z" (0-9 fraction digits,
// "Z" or a numeric offset). Fractions below a microsecond are truncated. nullopt if malformed.
std::optional<std::int64_t> parse_rfc3339_us(std::string_view text);

}  // namespace tickwire::dispatch
