// Which frontends need which symbol, reference-counted, with a linger period: when the last
// frontend lets go of a symbol it stays demanded for `linger` (a client that reconnects or
// flips between lists does not churn the paid upstream subscription). Pure bookkeeping with
// the time passed in, so it is tested without clocks or threads.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tickwire::cache {

class DemandTable {
 public:
  using Clock = std::chrono::steady_clock;
  explicit DemandTable(Clock::duration linger) : linger_(linger) {}

  // True when the symbol was not demanded before (neither held nor lingering).
  bool add(const std::string& frontend, const std::string& symbol);
  // Drops one frontend's hold; the symbol starts lingering when no holder is left.
  void release(const std::string& frontend, const std::string& symbol, Clock::time_point now);
  // Everything a frontend held (it went away).
  void release_frontend(const std::string& frontend, Clock::time_point now);
  // Ends lingers that ran out by `now`; returns the symbols that are no longer demanded.
  std::vector<std::string> expire(Clock::time_point now);

  bool demanded(const std::string& symbol) const { return entries_.contains(symbol); }
  // Frontends holding the symbol (empty while it lingers, or when it is not demanded).
  const std::vector<std::string>* holders(const std::string& symbol) const;
  std::vector<std::string> demanded_symbols() const;
  std::size_t size() const noexcept { return entries_.size(); }
  std::size_t lingering() const noexcept { return lingering_; }

 private:
  struct Entry {
    std::vector<std::string> holders;  // a handful of frontends: a vector beats a set
    std::optional<Clock::time_point> linger_until;
  };
  Clock::duration linger_;
  std::unordered_map<std::string, Entry> entries_;
  std::size_t lingering_ = 0;
};

}  // namespace tickwire::cache
