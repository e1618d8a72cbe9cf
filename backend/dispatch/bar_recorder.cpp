#include "dispatch/bar_recorder.hpp"

namespace tickwire::dispatch {

bool BarRecorder::add(const Quote& q) {
  auto& s = series_[q.symbol];
  const std::int64_t t = bar_minute(q.ts);
  if (t < s.kept_from) return false;
  if (!s.bars.add(q)) return true;  // no price to chart: nothing to record
  s.changed_since = std::min(s.changed_since, t);
  s.first_live = std::min(s.first_live, t);
  return true;
}

std::vector<Bar> BarRecorder::before_live(const std::string& symbol,
                                          std::vector<Bar> history) const {
  const auto it = series_.find(symbol);
  const std::int64_t live = it == series_.end() ? INT64_MAX : it->second.first_live;
  // MinuteBars does the sanity checks, the ordering and the window on what a provider sent.
  MinuteBars sorted;
  sorted.merge(history);
  std::vector<Bar> out;
  out.reserve(sorted.bars().size());
  for (const auto& b : sorted.bars()) {
    if (b.t >= live) break;
    out.push_back(b);
  }
  return out;
}

void BarRecorder::forget(const std::string& symbol) { series_.erase(symbol); }

std::vector<std::pair<std::string, std::vector<Bar>>> BarRecorder::take() {
  std::vector<std::pair<std::string, std::vector<Bar>>> out;
  for (auto& [symbol, s] : series_) {
    if (s.changed_since == kUnchanged) continue;
    auto bars = s.bars.since(s.changed_since);
    s.changed_since = kUnchanged;
    if (!s.bars.empty()) {
      s.kept_from = s.bars.bars().back().t - 60;
      s.bars.drop_before(s.kept_from);
    }
    if (!bars.empty()) out.emplace_back(symbol, std::move(bars));
  }
  return out;
}

std::size_t BarRecorder::bars() const noexcept {
  std::size_t n = 0;
  for (const auto& [symbol, s] : series_) n += s.bars.bars().size();
  return n;
}

}  // namespace tickwire::dispatch
