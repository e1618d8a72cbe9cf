// The fan-out core shared by every server that streams quotes (the frontend tier and the
// exchange simulator): the latest frame per symbol, one lookup table symbol -> connections per
// shard (touched only by that shard's thread, so the hot path takes no lock), the count of
// connections per symbol across shards (whose 0 -> 1 and 1 -> 0 edges are "demand"), and the
// resume rules for Last-Event-ID.
//
// A quote crosses to each shard once, through the shard's inbox: the latest frame per symbol
// waiting for the shard, with one drain posted while any wait. A shard that falls behind (more
// quotes than it can fan out) therefore delivers each symbol's newest quote instead of queueing
// every one (counted as shard-conflated), and new connections are not stuck behind a backlog.
// Within a shard a frame is handed to every subscriber of its symbol as the same immutable
// object; subscribers queue what they get and are flushed once after the batch, so the quotes per
// socket write grow with the load while an idle shard still writes each quote at once.
// Every quote a subscriber does not get is counted: replaced in the inbox
// (`*_shard_conflated_deliveries_total`) or never received (`*_skipped_deliveries_total`, a seq
// gap before the hub), per subscriber; what a connection replaces itself it counts.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "stream/event_id.hpp"
#include "net/io_pool.hpp"
#include "stream/quote_frame.hpp"
#include "stream/stream_subscriber.hpp"
#include "ops/metrics.hpp"

namespace tickwire::stream {

class StreamHub {
 public:
  // Told when a symbol gains its first or loses its last connection in this hub. Called with the
  // hub's demand lock held, in order; must not call back into subscribe()/unsubscribe().
  struct DemandObserver {
    std::function<void(const std::vector<std::string>&)> added;
    std::function<void(const std::vector<std::string>&)> removed;
  };

  struct Configuration {
    std::string metric_prefix;  // "tickwire_frontend" or "tickwire_exchange"
    std::chrono::seconds heartbeat{15};
    bool websocket_frames = false;  // also encode each quote as a WebSocket message
  };

  StreamHub(net::IoPool& pool, ops::Registry& metrics, Configuration config);
  ~StreamHub();
  StreamHub(const StreamHub&) = delete;
  StreamHub& operator=(const StreamHub&) = delete;

  void set_demand_observer(DemandObserver observer);
  // Starts the per-shard timers (heartbeats, stall checks).
  void start();

  // Any thread. Frames the quote's JSON once per transport (SSE event, WebSocket frame) and
  // sends the frame to every subscriber of its symbol. A quote whose seq is not newer than the
  // one held is dropped (counted), so nothing goes backwards.
  void publish(const EncodedQuote& q);

  // Shard thread only. A connection joins (heartbeats, stall checks, drain) and leaves.
  void attach(std::size_t shard, StreamSubscriber* sub);
  void detach(std::size_t shard, StreamSubscriber* sub);
  // Shard thread only. Adds `sub` to the lookup table for `symbols[i]` with slot `slots[i]`;
  // returns each entry's table position (kept current through set_table_position).
  std::vector<std::uint32_t> add(std::size_t shard, StreamSubscriber* sub,
                                 const std::vector<std::string>& symbols,
                                 const std::vector<std::uint32_t>& slots);
  // Shard thread only; `positions[i]` as last reported for `symbols[i]`.
  void remove(std::size_t shard, StreamSubscriber* sub, const std::vector<std::string>& symbols,
              const std::vector<std::uint32_t>& positions);
  // Demand without a connection (pollers): counted like a subscription, on no table.
  void hold(const std::vector<std::string>& symbols);
  void release(const std::vector<std::string>& symbols);

  // What a new stream starts with: the frames for `symbols` (all of them, or with a resumable
  // Last-Event-ID only those that changed after it) and the id that marks this point.
  struct Snapshot {
    std::vector<FramePtr> frames;
    std::vector<StatusPtr> unavailable;  // requested symbols the upstream does not carry
    std::uint64_t event_n = 0;  // with epoch(): the event id of this point in the stream
    bool resumed = false;
  };
  Snapshot snapshot(const std::vector<std::string>& symbols, std::string_view last_event_id);
  std::vector<FramePtr> latest(const std::vector<std::string>& symbols);

  std::uint64_t epoch() const noexcept { return epoch_; }
  // The longest an open stream stays silent: a keep-alive goes out after this much idleness.
  std::chrono::seconds heartbeat() const noexcept { return config_.heartbeat; }
  std::size_t shard_index(const boost::asio::any_io_executor& ex) const;
  net::IoPool& pool() noexcept { return pool_; }

  // Any thread. Marks what this hub serves as live or stale (with a reason for people); on a
  // change every connection is told (notify_status), and new streams start with the status
  // when it is not live.
  void set_status(bool live, const std::string& reason);
  StatusPtr status() const;

  // Any thread. The upstream does not carry `symbol` (a short `reason` such as
  // "upstream_symbol_limit") or carries it again (empty reason). On a change the symbol's
  // subscribers are told (notify_symbol_status); snapshots list it while unavailable. A quote of
  // the symbol makes it available again by itself.
  void set_symbol_status(const std::string& symbol, const std::string& reason);
  // The statuses of the symbols among `symbols` that are unavailable now.
  std::vector<StatusPtr> unavailable(const std::vector<std::string>& symbols) const;

  // Posts drain() to every subscriber (streams end cleanly); returns at once.
  void drain_all();
  std::size_t connections() const noexcept { return connections_.load(); }
  std::uint64_t subscriptions() const noexcept { return subscriptions_.load(); }
  std::size_t subscribed_symbols() const;
  // Connections per symbol, across shards.
  std::unordered_map<std::string, std::uint32_t> subscription_counts() const;

 private:
  struct Entry {
    StreamSubscriber* sub;
    std::uint32_t slot;
  };
  // Frames waiting for a shard, in event-id order; a newer frame of a symbol replaces its older
  // one (which is nulled and its place skipped).
  struct Waiting {
    FramePtr frame;             // null: superseded, skip
    std::uint64_t replaced = 0;  // older frames of the symbol this one superseded in the inbox
    std::uint64_t skipped = 0;   // seqs missing before it (its own and the replaced ones')
  };
  struct Inbox {
    std::mutex mu;
    std::vector<Waiting> frames;
    std::unordered_map<std::string, std::size_t> position;  // symbol -> index in frames
    bool scheduled = false;
  };
  struct Shard {
    std::unordered_map<std::string, std::vector<Entry>> table;
    std::unordered_set<StreamSubscriber*> members;
    // Subscribers that asked for a flush during the batch being delivered (reused storage).
    std::vector<StreamSubscriber*> to_flush;
    std::unique_ptr<boost::asio::steady_timer> timer;
    std::chrono::steady_clock::time_point next_heartbeat;
  };

  // Hands `frame` to its symbol's subscribers; returns how many there were.
  std::size_t deliver_on_shard(std::size_t shard, const FramePtr& frame);
  void flush_shard(std::size_t shard);
  void enqueue(std::size_t shard, const FramePtr& frame);
  void drain_inbox(std::size_t shard);
  void demand_up(const std::vector<std::string>& symbols);
  void demand_down(const std::vector<std::string>& symbols);
  void arm_timer(std::size_t shard);
  // Tells the subscribers of status->symbol, on every shard.
  void post_symbol_status(StatusPtr status);

  net::IoPool& pool_;
  Configuration config_;
  const std::uint64_t epoch_;
  std::vector<Shard> shards_;
  std::vector<std::unique_ptr<Inbox>> inboxes_;  // one per shard

  mutable std::mutex latest_mu_;
  std::unordered_map<std::string, FramePtr> latest_;
  std::uint64_t next_event_ = 0;  // guarded by latest_mu_
  std::unordered_map<std::string, StatusPtr> unavailable_;  // guarded by latest_mu_

  mutable std::mutex status_mu_;
  StatusPtr status_;

  mutable std::mutex demand_mu_;
  std::unordered_map<std::string, std::uint32_t> demand_;  // symbol -> connections, all shards
  DemandObserver observer_;

  std::atomic<std::size_t> connections_{0};
  std::atomic<std::uint64_t> subscriptions_{0};
  ops::Counter& stale_quotes_;
  ops::Counter& published_;
  ops::Counter& resumes_;
  ops::Counter& shard_conflated_;
  ops::Counter& shard_conflated_deliveries_;
  ops::Counter& skipped_deliveries_;
  ops::Counter& symbol_status_changes_;
  ops::Registry::CallbackHandle unavailable_gauge_;
  ops::Registry::CallbackHandle symbols_gauge_;
  ops::Registry::CallbackHandle subscriptions_gauge_;
};

}  // namespace tickwire::stream
