// The one-minute bars of the symbols a dispatcher holds, built from the quotes it publishes and
// handed to the cache tier in batches (the frontends serve them at GET /v1/bars).
//
// The cache tier keeps the day; this keeps only what has not left yet. Only bars that changed
// since the last take() leave, normally the current minute's alone, so the cache tier is written
// once per flush per ticking symbol, not once per quote. After a take() a series is cut to its
// last two minutes: enough to go on building the open minute, and to take a quote up to a minute
// late. A quote later than that is not recorded (recording it would replace the full bar stored
// for its minute with a bar of that one quote); add() says so, for the dispatcher to count.
//
// A symbol the dispatcher stops holding is forgotten: memory follows what this process holds,
// a few bars per symbol. Single-threaded: the dispatcher's executor.
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
  // Returns false for a quote too late to record: its minute already left.
  bool add(const Quote& q);
  // Of a provider's history for `symbol` (a backfill), the sane bars of minutes before the first
  // one built here from quotes, ascending: quotes seen here are the fresher record of the rest.
  // They go to the cache tier as they are; nothing is kept here.
  std::vector<Bar> before_live(const std::string& symbol, std::vector<Bar> history) const;
  void forget(const std::string& symbol);
  // The changed bars of each symbol since the last call, oldest first.
  std::vector<std::pair<std::string, std::vector<Bar>>> take();

  std::size_t symbols() const noexcept { return series_.size(); }
  // Bars held across all symbols (a few per symbol once the first take() has run).
  std::size_t bars() const noexcept;

 private:
  static constexpr std::int64_t kUnchanged = INT64_MAX;
  struct Series {
    MinuteBars bars;
    std::int64_t changed_since = kUnchanged;  // the earliest minute changed since take()
    std::int64_t first_live = INT64_MAX;      // the earliest minute built from quotes
    std::int64_t kept_from = INT64_MIN;       // minutes before this have left for good
  };

  // One lookup per quote (this runs on every quote the dispatcher publishes); take() walks the
  // held symbols once per flush.
  std::unordered_map<std::string, Series> series_;
};

}  // namespace tickwire::dispatch
