// What the StreamHub needs from a client connection. Every call runs on the connection's shard
// thread, so implementations need no locks.
#pragma once

#include <chrono>
#include <cstdint>

#include "stream/quote_frame.hpp"

namespace tickwire::stream {

class StreamSubscriber {
 public:
  // A new quote for the subscription in `slot` (the index the subscriber gave at subscribe).
  // Returns true to ask for one flush() after the hub has handed out the batch of quotes it is
  // working through, so a connection holding several of the batch's symbols gets them in one
  // write (a busy shard's batches grow, and with them the quotes per write).
  virtual bool deliver(const FramePtr& frame, std::uint32_t slot) = 0;
  // Writes what deliver() queued; called once per batch for each subscriber that asked.
  virtual void flush() {}
  // Once a second: stall detection; `heartbeat` is set when a keep-alive comment is due.
  virtual void on_tick(std::chrono::steady_clock::time_point now, bool heartbeat) = 0;
  // Server shutdown: send what is pending, then end the stream cleanly.
  virtual void drain() = 0;
  // The hub moved this subscriber's entry for `slot` within its lookup table.
  virtual void set_table_position(std::uint32_t slot, std::uint32_t position) = 0;
  // The data's status changed (live <-> stale). Streams forward it; others ignore it.
  virtual void notify_status(const StatusPtr& /*status*/) {}
  // The upstream stopped or resumed carrying the symbol of `slot` (status->symbol). Streams
  // forward it; others ignore it.
  virtual void notify_symbol_status(const StatusPtr& /*status*/, std::uint32_t /*slot*/) {}

 protected:
  ~StreamSubscriber() = default;
};

}  // namespace tickwire::stream
