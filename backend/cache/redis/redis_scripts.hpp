// The Lua scripts the Redis cache tier runs server-side, each one atomic: what must not race
// between processes (a quote older than the one stored, a lease checked and renewed) happens in
// one step inside Redis. Lease times use Redis's clock (TIME), so the machines' clocks need not
// agree.
#pragma once

#include <string_view>

namespace tickwire::cache::redis::scripts {

struct Script {
  std::string_view name;
  std::string_view text;
};

// KEYS: quote hashes, one per quote (a symbol may come more than once, oldest first); ARGV four
// per quote: seq, envelope, channel, ts. Stores and publishes each quote unless the stored one
// has the same or a newer seq (seq compared as decimal strings: exact for any uint64); a stored
// quote clears the symbol's `unavailable` field. Returns one element per quote: 1 when
// published; when stale, the held {seq, ts} as two strings. One call per dispatcher loop turn:
// the per-call cost of EVALSHA is paid once for a whole batch.
extern const Script publish_quotes;

// KEYS[1] quote hash; ARGV reason ("" for available again), channel, status payload. Stores or
// clears the symbol's `unavailable` field and publishes the payload if that changed anything.
// Returns 1 when it did, else 0.
extern const Script symbol_status;

// KEYS[1] lease set, KEYS[2] a key to keep alive with the lease (may be ""); ARGV member, ttl
// ms, channel. Renews the member's lease; returns 1 and publishes the member on `channel` when
// the member was absent or had expired (a new registration), else 0.
extern const Script renew_lease;

// KEYS: bar hashes, just written with plain HSETs; ARGV ttl s, the most bars a hash keeps, then
// for each key in order the oldest minute it keeps. Renews each hash's expiry and trims a hash
// that grew past the limit to its window. The bars themselves do not pass through Lua: Lua 5.1
// interns every argument string, which made a script that stored them cost Redis several times
// what the HSETs do.
extern const Script trim_bars;

// KEYS[1] an exclusive lease key; ARGV holder, ttl ms. Renews the lease if `holder` has it
// (returns 1), takes it if nobody has it (returns 2), else returns 0 (someone else holds it).
extern const Script claim_exclusive;

// KEYS[1] an exclusive lease key; ARGV holder. Deletes it if `holder` has it.
extern const Script release_exclusive;

// KEYS[1] lease set; ARGV channel. Drops expired members (publishing on `channel` if any) and
// returns the live ones.
extern const Script live_members;

// KEYS[1] the frontends' lease set; ARGV demand key prefix. Deletes the demand of frontends whose
// lease ran out and returns the union of the live frontends' demand.
extern const Script demand_union;

// KEYS[1] a demand set; ARGV the symbols. Replaces the set's contents in one step.
extern const Script replace_set;

// KEYS[1] nodes lease set; ARGV node id, document, ttl ms, node key prefix. Stores the node's
// document (expiring with the lease) and renews its lease.
extern const Script report_node;

// KEYS[1] nodes lease set; ARGV node key prefix. Drops expired nodes; returns the documents of
// the live ones.
extern const Script fleet;

}  // namespace tickwire::cache::redis::scripts
