// Per-symbol sequence checking for quotes arriving from upstream: a quote is new, new after a
// gap (ticks we never saw: an upstream drop, or a conflating feed), or stale (a duplicate or
// older than what we hold, e.g. replayed after a resume) and must not be passed on.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

namespace tickwire::dispatch {

class SequenceTracker {
 public:
  enum class Verdict { fresh, gap, stale };
  struct Result {
    Verdict verdict;
    std::uint64_t missed = 0;  // for gap: how many seq numbers were skipped
  };

  Result accept(const std::string& symbol, std::uint64_t seq);
  // The symbol is no longer followed; a later first quote is not reported as a gap.
  void forget(const std::string& symbol) { last_.erase(symbol); }
  std::size_t size() const noexcept { return last_.size(); }

 private:
  std::unordered_map<std::string, std::uint64_t> last_;
};

}  // namespace tickwire::dispatch
