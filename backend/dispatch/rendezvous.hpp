// Rendezvous (highest-random-weight) hashing: every dispatcher computes the same owner for a
// symbol from the same member list, with no coordination; when a member joins or leaves only
// the symbols it gains or held move.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tickwire::dispatch {

// Stable across processes, builds and platforms (unlike std::hash), which a fleet needs.
std::uint64_t rendezvous_weight(std::string_view member, std::string_view symbol) noexcept;

// The member with the highest weight; empty when there are no members.
std::string rendezvous_owner(std::string_view symbol, const std::vector<std::string>& members);

}  // namespace tickwire::dispatch
