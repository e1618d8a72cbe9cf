// Tickwire's own per-symbol sequence, made from the upstream's. Upstream feeds number their
// quotes per symbol, but only within one life of the feed: after a restart (or at the start of a
// trading day) they number from 1 again, under a new epoch. Clients need one `seq` that only
// ever increases, so the dispatcher maps each upstream quote onto Tickwire's sequence:
//
//   - within one upstream epoch, Tickwire's seq moves by exactly as much as the upstream's, so a
//     gap upstream stays a gap of the same size downstream (frontends and clients count it);
//   - a new life of the feed continues at the last seq + 1. A new life is a new epoch, or, for
//     feeds without epochs (epoch 0), a seq that did not increase while the timestamp did;
//   - a seq that did not increase in the same life is a duplicate or a replay: stale;
//   - a symbol seen for the first time takes the upstream's seq as it is. Another dispatcher may
//     have numbered it before (a failover after the feed restarted): then the cache tier refuses
//     the quote as older than the one it holds, and rebase() moves the numbering above that.
//
// Not thread-safe: the dispatcher's executor owns it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace tickwire::dispatch {

class SequenceMapper {
 public:
  enum class Verdict {
    fresh,     // the next quote of the symbol
    gap,       // the upstream skipped `missed` seq numbers (a drop, or a conflating feed)
    new_life,  // the first quote of a new life of the feed; numbering continues
    stale,     // not newer than the last quote: drop it
  };
  struct Result {
    Verdict verdict;
    std::uint64_t seq = 0;     // Tickwire's seq for the quote (not set for stale)
    std::uint64_t missed = 0;  // gap only
  };

  // `epoch`: the upstream's epoch for this quote (0: the feed has none); `ts`: its timestamp.
  Result map(const std::string& symbol, std::uint64_t epoch, std::uint64_t upstream_seq,
             std::int64_t ts);

  // The cache tier holds `held_seq` for the symbol, newer than what this mapper numbered. If the
  // last quote mapped is not above it, the numbering moves to held_seq + 1 and that is returned:
  // the seq to publish the last quote again with. Otherwise (already above) nullopt.
  std::optional<std::uint64_t> rebase(const std::string& symbol, std::uint64_t held_seq);

  // The symbol is no longer followed; a later first quote starts afresh.
  void forget(const std::string& symbol) { state_.erase(symbol); }
  std::size_t size() const noexcept { return state_.size(); }

 private:
  struct State {
    std::uint64_t epoch;
    std::uint64_t upstream_seq;
    std::int64_t ts;
    std::uint64_t seq;  // Tickwire's, for the last quote mapped
  };
  std::unordered_map<std::string, State> state_;
};

}  // namespace tickwire::dispatch
