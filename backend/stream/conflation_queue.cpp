#include "stream/conflation_queue.hpp"

#include <algorithm>

namespace tickwire::stream {

ConflationQueue::Offer ConflationQueue::offer(std::uint32_t slot, const FramePtr& frame,
                                              std::uint64_t* skipped) {
  auto& s = slots_[slot];
  if (frame->quote.seq <= s.last_seq) return Offer::stale;
  if (skipped) *skipped = s.last_seq != 0 ? frame->quote.seq - s.last_seq - 1 : 0;
  const bool replaced = static_cast<bool>(s.pending);
  if (!replaced) s.follows = s.last_seq != 0;
  s.last_seq = frame->quote.seq;
  s.pending = frame;
  if (replaced) return Offer::conflated;
  dirty_.push_back(slot);
  return Offer::queued;
}

void ConflationQueue::take_batch(std::vector<Taken>& out) {
  // A conflated slot keeps its first place in the queue while its content gets newer: restore
  // event order, so the last id a client sees is the newest it has (what resume relies on).
  if (dirty_.size() > 1) {
    std::sort(dirty_.begin(), dirty_.end(), [this](std::uint32_t a, std::uint32_t b) {
      return slots_[a].pending->event_id < slots_[b].pending->event_id;
    });
  }
  for (const auto slot : dirty_) {
    auto& s = slots_[slot];
    out.push_back(Taken{std::move(s.pending), s.follows});
  }
  dirty_.clear();
}

void ConflationQueue::reset_slot(std::uint32_t slot) {
  take_slot(slot);
  slots_[slot].last_seq = 0;
}

FramePtr ConflationQueue::take_slot(std::uint32_t slot) {
  auto& s = slots_[slot];
  if (!s.pending) return nullptr;
  std::erase(dirty_, slot);
  return std::move(s.pending);
}

void ConflationQueue::take_in_slot_order(std::vector<FramePtr>& out) {
  for (auto& s : slots_) {
    if (s.pending) out.push_back(std::move(s.pending));
  }
  dirty_.clear();
}

}  // namespace tickwire::stream
