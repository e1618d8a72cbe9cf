// The one-minute bars of the symbols a dispatcher holds, built from the quotes it publishes and
// handed to the cache tier in batches (the frontends serve them at GET /v1/bars).
//
// Only bars that changed since the last take() leave, normally the current minute's alone, so
// the cache tier is written once per flush per ticking symbol, not once per quote. A symbol the
// dispatcher stops holding is forgotten: memory follows what this process holds.
// Single-threaded: the dispatcher's executor.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tickwire/minute_bars.hpp"

namespace tickwire::dispatch {

class BarRecorder {
 public:
  void add(const Quote& q);
  // Bars from the provider's history (a backfill): kept where no quote-built bar exists.
  void merge(const std::string& symbol, const std::vector<Bar>& bars);
  void forget(const std::string& symbol);
  // The changed bars of each symbol since the last call, oldest first.
  std::vector<std::pair<std::string, std::vector<Bar>>> take();

  std::size_t symbols() const noexcept { return series_.size(); }

 private:
  static constexpr std::int64_t kUnchanged = INT64_MAX;
  struct Series {
    MinuteBars bars;
    std::int64_t changed_since = kUnchanged;  // the earliest minute changed since take()
  };
  void changed(Series& s, std::int64_t minute) { s.changed_since = std::min(s.changed_since, minute); }

  // One lookup per quote (this runs on every quote the dispatcher publishes); take() walks the
  // held symbols once per flush.
  std::unordered_map<std::string, Series> series_;
};

}  // namespace tickwire::dispatch
