#include "dispatch/bar_recorder.hpp"

namespace tickwire::dispatch {

void BarRecorder::add(const Quote& q) {
  auto& s = series_[q.symbol];
  if (!s.bars.add(q)) return;
  // The minute the quote fell in (an earlier one than the newest for a late quote).
  const std::int64_t t = q.ts / 1'000'000;
  changed(s, t - ((t % 60) + 60) % 60);
}

void BarRecorder::merge(const std::string& symbol, const std::vector<Bar>& bars) {
  if (bars.empty()) return;
  auto& s = series_[symbol];
  s.bars.merge(bars);
  changed(s, bars.front().t);
}

void BarRecorder::forget(const std::string& symbol) { series_.erase(symbol); }

std::vector<std::pair<std::string, std::vector<Bar>>> BarRecorder::take() {
  std::vector<std::pair<std::string, std::vector<Bar>>> out;
  for (auto& [symbol, s] : series_) {
    if (s.changed_since == kUnchanged) continue;
    auto bars = s.bars.since(s.changed_since);
    s.changed_since = kUnchanged;
    if (!bars.empty()) out.emplace_back(symbol, std::move(bars));
  }
  return out;
}

}  // namespace tickwire::dispatch
