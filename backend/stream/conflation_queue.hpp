// The pending quotes of one connection: one slot per subscribed symbol, each holding at most
// one frame. A newer quote for a slot that has not been sent yet replaces it ("conflated"), so
// the queue never holds more frames than the connection has symbols, however slow its reader.
// A quote whose seq is not newer than the last one accepted for the slot is refused, so a
// client never sees a symbol's seq go backwards. Not thread-safe: owned by one session.
#pragma once

#include <cstdint>
#include <vector>

#include "stream/quote_frame.hpp"

namespace tickwire::stream {

class ConflationQueue {
 public:
  enum class Offer { queued, conflated, stale };

  explicit ConflationQueue(std::size_t slots) : slots_(slots) {}

  // With `skipped`: how many seqs of the slot's symbol came between the last frame offered to it
  // and this one (quotes that never reached this connection; 0 for a slot's first frame).
  Offer offer(std::uint32_t slot, const FramePtr& frame, std::uint64_t* skipped = nullptr);

  // A frame taken for sending, and whether it follows one this connection already had for its
  // symbol: only those measure transport latency (a first quote carries the time of a tick the
  // client never followed). One vector of these is one heap block touched per write.
  struct Taken {
    FramePtr frame;
    bool follows = false;
  };
  // Moves every queued frame into `out`, oldest event first.
  void take_batch(std::vector<Taken>& out);
  // Moves every queued frame into `out` in slot order (a snapshot lists symbols as requested).
  void take_in_slot_order(std::vector<FramePtr>& out);

  // Slots can be added (a connection subscribes to more) and reset for reuse (unsubscribed).
  void resize(std::size_t count) { slots_.resize(count); }
  void reset_slot(std::uint32_t slot);
  // Moves one slot's queued frame out (null if none).
  FramePtr take_slot(std::uint32_t slot);
  bool has_frame(std::uint32_t slot) const { return static_cast<bool>(slots_[slot].pending); }
  const QuoteFrame* pending(std::uint32_t slot) const { return slots_[slot].pending.get(); }

  std::size_t queued() const noexcept { return dirty_.size(); }
  std::size_t slot_count() const noexcept { return slots_.size(); }

 private:
  struct Slot {
    FramePtr pending;
    std::uint64_t last_seq = 0;
    bool follows = false;  // the pending frame replaced state this connection already had
  };
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> dirty_;  // slots holding a frame, in the order they filled
};

}  // namespace tickwire::stream
