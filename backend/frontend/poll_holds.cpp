#include "frontend/poll_holds.hpp"

namespace tickwire::frontend {

PollHolds::~PollHolds() {
  std::vector<std::string> all;
  for (const auto& [s, t] : until_) all.push_back(s);
  hub_.release(all);
}

void PollHolds::touch(const std::vector<std::string>& symbols, Clock::time_point now) {
  std::vector<std::string> fresh;
  {
    std::lock_guard lock(mu_);
    for (const auto& s : symbols) {
      auto [it, inserted] = until_.try_emplace(s, now + hold_);
      if (inserted) fresh.push_back(s);
      else it->second = now + hold_;
    }
  }
  // Outside our lock: the hub calls into the cache tier, which may deliver quotes at once.
  if (!fresh.empty()) hub_.hold(fresh);
}

void PollHolds::expire(Clock::time_point now) {
  std::vector<std::string> gone;
  {
    std::lock_guard lock(mu_);
    for (auto it = until_.begin(); it != until_.end();) {
      if (it->second <= now) {
        gone.push_back(it->first);
        it = until_.erase(it);
      } else {
        ++it;
      }
    }
  }
  if (!gone.empty()) hub_.release(gone);
}

std::size_t PollHolds::size() const {
  std::lock_guard lock(mu_);
  return until_.size();
}

}  // namespace tickwire::frontend
