#include "tickwire/symbol_directory.hpp"

#include <boost/json.hpp>
#include <cctype>

#include "tickwire/symbol.hpp"

namespace tickwire {

namespace {
std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool word_prefix(std::string_view name_upper, std::string_view q) {
  for (std::size_t pos = 0; pos < name_upper.size();) {
    if (name_upper.compare(pos, q.size(), q) == 0) return true;
    const auto space = name_upper.find(' ', pos);
    if (space == std::string_view::npos) break;
    pos = space + 1;
  }
  return false;
}
}  // namespace

SymbolDirectory::SymbolDirectory(std::vector<SymbolInfo> symbols) : symbols_(std::move(symbols)) {
  index_.reserve(symbols_.size());
  for (std::size_t i = 0; i < symbols_.size(); ++i) index_.emplace(symbols_[i].symbol, i);
}

std::optional<SymbolDirectory> SymbolDirectory::from_json(std::string_view json,
                                                          std::string* error) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(json, ec);
  const auto* arr = !ec && v.is_object() ? v.get_object().if_contains("symbols") : nullptr;
  if (!arr || !arr->is_array()) {
    if (error) *error = ec ? "malformed JSON: " + ec.message() : "no \"symbols\" array";
    return std::nullopt;
  }
  std::vector<SymbolInfo> out;
  out.reserve(arr->get_array().size());
  for (const auto& item : arr->get_array()) {
    const auto* o = item.if_object();
    const auto* sym = o ? o->if_contains("symbol") : nullptr;
    const auto* name = o ? o->if_contains("name") : nullptr;
    if (!sym || !sym->is_string() || !is_valid_symbol(sym->get_string())) continue;
    out.push_back({std::string(sym->get_string()),
                   name && name->is_string() ? std::string(name->get_string()) : std::string()});
  }
  return SymbolDirectory(std::move(out));
}

std::string SymbolDirectory::to_json(const std::vector<const SymbolInfo*>& entries) const {
  boost::json::array arr;
  arr.reserve(entries.size());
  for (const auto* e : entries) arr.push_back({{"symbol", e->symbol}, {"name", e->name}});
  return boost::json::serialize(boost::json::object{{"count", entries.size()}, {"symbols", arr}});
}

bool SymbolDirectory::contains(std::string_view symbol) const { return index_.contains(symbol); }

std::vector<const SymbolInfo*> SymbolDirectory::search(std::string_view query,
                                                       std::size_t limit) const {
  std::vector<const SymbolInfo*> out;
  const auto q = upper(query);
  if (q.empty()) {
    for (const auto& s : symbols_) {
      if (out.size() == limit) break;
      out.push_back(&s);
    }
    return out;
  }
  std::vector<const SymbolInfo*> prefix, by_name;
  const SymbolInfo* exact = nullptr;
  for (const auto& s : symbols_) {
    if (s.symbol == q) exact = &s;
    else if (s.symbol.starts_with(q)) prefix.push_back(&s);
    else if (word_prefix(upper(s.name), q)) by_name.push_back(&s);
  }
  if (exact) out.push_back(exact);
  for (auto* group : {&prefix, &by_name}) {
    for (const auto* s : *group) {
      if (out.size() >= limit) return out;
      out.push_back(s);
    }
  }
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace tickwire
