#include "cache/demand_table.hpp"

#include <algorithm>

namespace tickwire::cache {

bool DemandTable::add(const std::string& frontend, const std::string& symbol) {
  auto [it, inserted] = entries_.try_emplace(symbol);
  auto& e = it->second;
  if (e.linger_until) {
    e.linger_until.reset();
    --lingering_;
  }
  if (std::find(e.holders.begin(), e.holders.end(), frontend) == e.holders.end()) {
    e.holders.push_back(frontend);
  }
  return inserted;
}

void DemandTable::release(const std::string& frontend, const std::string& symbol,
                          Clock::time_point now) {
  const auto it = entries_.find(symbol);
  if (it == entries_.end()) return;
  auto& e = it->second;
  std::erase(e.holders, frontend);
  if (e.holders.empty() && !e.linger_until) {
    e.linger_until = now + linger_;
    ++lingering_;
  }
}

void DemandTable::release_frontend(const std::string& frontend, Clock::time_point now) {
  for (auto& [symbol, e] : entries_) {
    if (std::erase(e.holders, frontend) && e.holders.empty() && !e.linger_until) {
      e.linger_until = now + linger_;
      ++lingering_;
    }
  }
}

std::vector<std::string> DemandTable::expire(Clock::time_point now) {
  std::vector<std::string> gone;
  if (lingering_ == 0) return gone;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.linger_until && *it->second.linger_until <= now) {
      gone.push_back(it->first);
      --lingering_;
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
  return gone;
}

const std::vector<std::string>* DemandTable::holders(const std::string& symbol) const {
  const auto it = entries_.find(symbol);
  return it == entries_.end() ? nullptr : &it->second.holders;
}

std::vector<std::string> DemandTable::demanded_symbols() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& [symbol, e] : entries_) out.push_back(symbol);
  return out;
}

}  // namespace tickwire::cache
