#include "tickwire/symbol.hpp"

#include <unordered_set>

namespace tickwire {

namespace {
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

bool is_valid_symbol(std::string_view s) noexcept {
  if (s.empty() || s.size() > kMaxSymbolLength || !is_upper(s.front())) return false;
  for (char c : s) {
    if (!is_upper(c) && !is_digit(c) && c != '.' && c != '-') return false;
  }
  return true;
}

SymbolListResult parse_symbol_list(std::string_view csv, std::size_t max_symbols) {
  SymbolListResult result;
  std::unordered_set<std::string_view> seen;
  while (true) {
    const auto comma = csv.find(',');
    const auto entry = trim(csv.substr(0, comma));
    if (!is_valid_symbol(entry)) {
      // Cap what we echo back: the detail goes into an error body and a log line.
      result.bad_symbol = entry.empty() ? std::string("(empty)") : std::string(entry.substr(0, 32));
      if (csv.empty() && result.symbols.empty() && comma == std::string_view::npos) {
        result.bad_symbol.clear();  // no list at all: reported as a missing parameter
      }
      return result;
    }
    if (seen.insert(entry).second) {
      if (result.symbols.size() == max_symbols) {
        result.too_many = true;
        return result;
      }
      result.symbols.emplace_back(entry);
    }
    if (comma == std::string_view::npos) break;
    csv.remove_prefix(comma + 1);
  }
  return result;
}

}  // namespace tickwire
