#include "dispatch/sequence_tracker.hpp"

namespace tickwire::dispatch {

SequenceTracker::Result SequenceTracker::accept(const std::string& symbol, std::uint64_t seq) {
  auto [it, first] = last_.try_emplace(symbol, seq);
  if (first) return {Verdict::fresh};
  const auto last = it->second;
  if (seq <= last) return {Verdict::stale};
  it->second = seq;
  if (seq == last + 1) return {Verdict::fresh};
  return {Verdict::gap, seq - last - 1};
}

}  // namespace tickwire::dispatch
