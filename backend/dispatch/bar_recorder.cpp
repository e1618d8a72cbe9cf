#include "dispatch/bar_recorder.hpp"

#include <algorithm>

namespace tickwire::dispatch {

void BarRecorder::add(const Quote& q) {
  auto& series = series_[q.symbol];
  if (!series.add(q)) return;
  // The minute the quote fell in (an earlier one than the newest for a late quote).
  const std::int64_t s = q.ts / 1'000'000;
  const std::int64_t minute = s - ((s % 60) + 60) % 60;
  const auto [it, fresh] = changed_since_.try_emplace(q.symbol, minute);
  if (!fresh) it->second = std::min(it->second, minute);
}

void BarRecorder::merge(const std::string& symbol, const std::vector<Bar>& bars) {
  if (bars.empty()) return;
  series_[symbol].merge(bars);
  const auto [it, fresh] = changed_since_.try_emplace(symbol, bars.front().t);
  if (!fresh) it->second = std::min(it->second, bars.front().t);
}

void BarRecorder::forget(const std::string& symbol) {
  series_.erase(symbol);
  changed_since_.erase(symbol);
}

std::vector<std::pair<std::string, std::vector<Bar>>> BarRecorder::take() {
  std::vector<std::pair<std::string, std::vector<Bar>>> out;
  out.reserve(changed_since_.size());
  for (const auto& [symbol, since] : changed_since_) {
    const auto it = series_.find(symbol);
    if (it == series_.end()) continue;
    auto bars = it->second.since(since);
    if (!bars.empty()) out.emplace_back(symbol, std::move(bars));
  }
  changed_since_.clear();
  return out;
}

}  // namespace tickwire::dispatch
