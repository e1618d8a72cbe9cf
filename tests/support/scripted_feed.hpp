// A v1 upstream feed for fault-injection tests, on a loopback port: GET /v1/symbols and
// GET /v1/stream?symbols=... (SSE over chunked HTTP/1.1, event ids "EPOCH.N", a snapshot on
// every connection, then the newest quote of each subscribed symbol that changed, every tick).
// The market moves on its own thread, so what a connection sends is conflated like a real feed.
// On demand the next stream connection misbehaves after a few good quotes: it is cut in the
// middle of an event, sends garbage, ends inside a chunk, or sends one line that never ends.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tickwire/quote.hpp"

namespace tickwire::test {

class ScriptedFeed {
 public:
  enum class Fault { none, cut_mid_event, garbage, truncated_chunk, endless_line };

  explicit ScriptedFeed(std::vector<std::string> symbols,
                        std::chrono::milliseconds tick = std::chrono::milliseconds(10));
  ~ScriptedFeed();

  unsigned short port() const;
  // The first stream connection to send quotes from now on sends `after_quotes` more, then
  // the fault, then closes (endless_line: one line until the client hangs up or 64 MB went out).
  void inject(Fault fault, int after_quotes = 5);
  // The newest quote of the market (what a client must converge to once the market stops).
  Quote latest(const std::string& symbol) const;
  void pause_market(bool paused) { paused_ = paused; }
  int stream_connections() const { return stream_connections_; }
  int faults_done() const { return faults_done_; }

 private:
  // Before impl_: its threads read them from the moment it is built, and until it is destroyed.
  std::atomic<bool> paused_{false};
  std::atomic<int> stream_connections_{0};
  std::atomic<int> faults_done_{0};
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tickwire::test
