#include "dispatch/sequence_mapper.hpp"

namespace tickwire::dispatch {

SequenceMapper::Result SequenceMapper::map(const std::string& symbol, std::uint64_t epoch,
                                           std::uint64_t upstream_seq, std::int64_t ts) {
  auto [it, first] = state_.try_emplace(symbol, State{epoch, upstream_seq, ts, upstream_seq});
  if (first) return {Verdict::fresh, upstream_seq};
  auto& s = it->second;
  const bool advanced = upstream_seq > s.upstream_seq;
  // Without epochs, a restart shows as a seq that fell back while time went on.
  const bool restarted = epoch == 0 && !advanced && ts > s.ts;
  const bool same_life = epoch == s.epoch && !restarted;
  if (same_life) {
    if (!advanced) return {Verdict::stale};
    const auto step = upstream_seq - s.upstream_seq;
    s.upstream_seq = upstream_seq;
    s.ts = ts;
    s.seq += step;
    if (step == 1) return {Verdict::fresh, s.seq};
    return {Verdict::gap, s.seq, step - 1};
  }
  s = State{epoch, upstream_seq, ts, s.seq + 1};
  return {Verdict::new_life, s.seq};
}

std::optional<std::uint64_t> SequenceMapper::rebase(const std::string& symbol,
                                                    std::uint64_t held_seq) {
  const auto it = state_.find(symbol);
  if (it == state_.end() || it->second.seq > held_seq) return std::nullopt;
  it->second.seq = held_seq + 1;
  return it->second.seq;
}

}  // namespace tickwire::dispatch
