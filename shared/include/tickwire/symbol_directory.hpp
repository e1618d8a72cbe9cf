// The symbols a feed lists, with company names, in the feed's order (popular first), the
// search behind GET /v1/symbols?q=, and that endpoint's JSON in both directions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tickwire {

struct SymbolInfo {
  std::string symbol;
  std::string name;
};

class SymbolDirectory {
 public:
  explicit SymbolDirectory(std::vector<SymbolInfo> symbols);

  // Parses the JSON of GET /v1/symbols: {"symbols":[{"symbol":..,"name":..},...]}. Entries with
  // an invalid symbol are skipped; nullopt when the document is not of that shape.
  static std::optional<SymbolDirectory> from_json(std::string_view json, std::string* error);
  std::string to_json(const std::vector<const SymbolInfo*>& entries) const;

  std::size_t size() const noexcept { return symbols_.size(); }
  bool contains(std::string_view symbol) const;
  const std::vector<SymbolInfo>& all() const noexcept { return symbols_; }

  // Case-insensitive: exact symbol first, then symbol prefixes, then names with a word starting
  // with `query`; within each group in directory order. An empty query lists everything.
  std::vector<const SymbolInfo*> search(std::string_view query, std::size_t limit) const;

 private:
  std::vector<SymbolInfo> symbols_;
  std::unordered_map<std::string_view, std::size_t> index_;
};

}  // namespace tickwire
