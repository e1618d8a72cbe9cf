#include "cache/kafka/demand_record.hpp"

#include <boost/json.hpp>

#include "tickwire/symbol.hpp"

namespace tickwire::cache::kafka {

namespace json = boost::json;

namespace {
// A partition of a frontend's demand: far above any watchlist, low enough that a bad record
// cannot make a dispatcher hold millions of strings.
constexpr std::size_t kMaxSymbols = 100'000;
constexpr std::int64_t kMaxLeaseMs = 24LL * 60 * 60 * 1000;
}  // namespace

std::string encode_demand(const DemandRecord& record) {
  json::array symbols;
  symbols.reserve(record.symbols.size());
  for (const auto& s : record.symbols) symbols.emplace_back(s);
  return json::serialize(json::object{{"lease_ms", record.lease.count()},
                                      {"symbols", std::move(symbols)}});
}

std::optional<DemandRecord> decode_demand(std::string_view value, std::string* why) {
  auto fail = [&](const char* message) -> std::optional<DemandRecord> {
    if (why) *why = message;
    return std::nullopt;
  };
  boost::system::error_code ec;
  const auto doc = json::parse(value, ec);
  if (ec || !doc.is_object()) return fail("not a JSON object");
  const auto& o = doc.get_object();
  const auto* lease = o.if_contains("lease_ms");
  const auto* symbols = o.if_contains("symbols");
  if (!lease || !lease->is_int64() || lease->get_int64() < 0 || lease->get_int64() > kMaxLeaseMs) {
    return fail("lease_ms is not a number of milliseconds up to a day");
  }
  if (!symbols || !symbols->is_array()) return fail("symbols is not an array");
  if (symbols->get_array().size() > kMaxSymbols) return fail("more than 100000 symbols");
  DemandRecord out;
  out.lease = std::chrono::milliseconds(lease->get_int64());
  out.symbols.reserve(symbols->get_array().size());
  for (const auto& s : symbols->get_array()) {
    if (!s.is_string() || !is_valid_symbol(s.get_string())) return fail("a symbol is not valid");
    out.symbols.emplace_back(s.get_string());
  }
  return out;
}

}  // namespace tickwire::cache::kafka
