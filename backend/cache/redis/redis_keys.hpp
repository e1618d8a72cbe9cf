// Every Redis key and channel Tickwire uses, in one place (docs/operations.md lists them too).
// Per-symbol keys and channels carry the symbol as a hash tag ({AAPL}) so that a quote's key and
// its channel land in the same slot, as Redis Cluster's sharded pub/sub will need.
#pragma once

#include <string>
#include <string_view>

namespace tickwire::cache::redis::keys {

// Hash {seq, ts, json, unavailable}: the latest quote of a symbol (json: the envelope, see
// encoded_quote.hpp), and while the upstream does not carry it, why (unavailable).
inline std::string quote(std::string_view symbol) {
  return "tw:quote:{" + std::string(symbol) + "}";
}
// Pub/sub channel of a symbol's quotes (payload: "<seq> <ts> <json>", see encoded_quote.hpp)
// and of its status changes ("!<reason>", see pubsub_message.hpp).
inline std::string quote_channel(std::string_view symbol) {
  return "tw:quotes:{" + std::string(symbol) + "}";
}
inline constexpr std::string_view quote_channel_prefix = "tw:quotes:{";

// Hash of a symbol's one-minute bars: field = the minute's start (seconds since the epoch),
// value = the bar as JSON (bar_json.hpp). Expires a day after the last bar stored.
inline std::string bars(std::string_view symbol) {
  return "tw:bars:{" + std::string(symbol) + "}";
}

// Leases: sorted sets member -> expiry (Redis server time, ms).
inline constexpr const char* frontends = "tw:frontends";
inline constexpr const char* dispatchers = "tw:dispatchers";
inline constexpr const char* nodes = "tw:nodes";

// An exclusive lease (string: the holder's id, expiring with the lease), e.g. provider:alpaca.
inline std::string exclusive(std::string_view name) { return "tw:exclusive:" + std::string(name); }

// Set of the symbols one frontend demands; prefix + frontend id.
inline constexpr const char* demand_prefix = "tw:demand:";
inline std::string demand(std::string_view frontend) {
  return demand_prefix + std::string(frontend);
}
// One node's metrics document (JSON, expires with its lease); prefix + node id.
inline constexpr const char* node_prefix = "tw:node:";
inline std::string node(std::string_view id) { return node_prefix + std::string(id); }

// The symbol directory as the upstream serves it (JSON).
inline constexpr const char* directory = "tw:directory";

// Notification channels (payload: the id of the node that changed something).
inline constexpr const char* demand_changed = "tw:events:demand";
inline constexpr const char* dispatchers_changed = "tw:events:dispatchers";
inline constexpr const char* directory_changed = "tw:events:directory";
inline constexpr const char* exclusive_changed = "tw:events:exclusive";
// A node's own liveness probe of its subscriber connection.
inline std::string heartbeat(std::string_view node_id) {
  return "tw:heartbeat:" + std::string(node_id);
}

}  // namespace tickwire::cache::redis::keys
