// Demand on behalf of HTTP pollers: a poll has no connection to keep its symbols subscribed,
// so each poll holds its symbols in the hub for `hold` (renewed by every poll), and a periodic
// sweep releases those nobody polled for that long. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "stream/stream_hub.hpp"

namespace tickwire::frontend {

class PollHolds {
 public:
  using Clock = std::chrono::steady_clock;
  PollHolds(stream::StreamHub& hub, Clock::duration hold) : hub_(hub), hold_(hold) {}
  ~PollHolds();

  void touch(const std::vector<std::string>& symbols, Clock::time_point now = Clock::now());
  void expire(Clock::time_point now = Clock::now());
  std::size_t size() const;

 private:
  stream::StreamHub& hub_;
  Clock::duration hold_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Clock::time_point> until_;
};

}  // namespace tickwire::frontend
