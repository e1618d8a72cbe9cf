// Symbol statuses (StatusFrame with a symbol) a stream learns while its snapshot is still being
// assembled: they go out right after the snapshot, newest per symbol. A slot that is
// unavailable and has no quote is "excused": the snapshot does not wait for its first quote.
// Shared by the SSE and WebSocket sessions; empty (and holding no memory) the rest of the time.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "stream/quote_frame.hpp"

namespace tickwire::stream {

class EarlySymbolStatuses {
 public:
  // Records `status` for `slot` (which has a quote queued or not: `has_quote`). Returns true
  // when this newly excuses the slot from the snapshot's wait.
  bool note(const StatusPtr& status, std::uint32_t slot, bool has_quote) {
    auto it = std::find_if(held_.begin(), held_.end(), [slot](const Held& h) {
      return h.slot == slot;
    });
    if (it == held_.end()) it = held_.insert(held_.end(), Held{nullptr, slot, false});
    // Newest wins; an "available" that cancels an unsent "unavailable" leaves nothing to send.
    it->status = (status->live && it->status && !it->status->live) ? nullptr : status;
    if (status->live || it->excused || has_quote) return false;
    it->excused = true;
    return true;
  }

  bool excused(std::uint32_t slot) const {
    const auto it = std::find_if(held_.begin(), held_.end(), [slot](const Held& h) {
      return h.slot == slot;
    });
    return it != held_.end() && it->excused;
  }

  void forget(std::uint32_t slot) {
    std::erase_if(held_, [slot](const Held& h) { return h.slot == slot; });
  }

  bool empty() const noexcept { return held_.empty(); }

  // The statuses to send, in the order they were learned; frees what was held.
  std::vector<StatusPtr> take() {
    std::vector<StatusPtr> out;
    for (auto& h : std::exchange(held_, {})) {
      if (h.status) out.push_back(std::move(h.status));
    }
    return out;
  }

 private:
  struct Held {
    StatusPtr status;  // null: it changed back before it could be sent
    std::uint32_t slot;
    bool excused;
  };
  std::vector<Held> held_;
};

}  // namespace tickwire::stream
