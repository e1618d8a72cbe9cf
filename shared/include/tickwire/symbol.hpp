// Symbol rules shared by every tier: what a ticker may look like, and parsing of the
// comma-separated `symbols=` lists clients send.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tickwire {

inline constexpr std::size_t kMaxSymbolLength = 12;

// 1..12 characters: an upper-case letter first, then upper-case letters, digits, '.' or '-'
// (BRK.B, BF-B). Anything else is rejected, never normalised, so every tier agrees on identity.
bool is_valid_symbol(std::string_view s) noexcept;

struct SymbolListResult {
  std::vector<std::string> symbols;  // de-duplicated, in first-seen order
  std::string bad_symbol;            // set when the list holds an invalid entry
  bool too_many = false;             // more distinct symbols than the limit
  bool ok() const noexcept { return bad_symbol.empty() && !too_many && !symbols.empty(); }
};

// Parses "AAPL,MSFT,AAPL" (spaces around entries are tolerated, empty entries are not).
// An empty list is not ok() and has no bad_symbol: callers report it as a missing parameter.
SymbolListResult parse_symbol_list(std::string_view csv, std::size_t max_symbols);

}  // namespace tickwire
