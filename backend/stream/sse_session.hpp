// One client's SSE stream (GET /v1/stream). After the HTTP request is parsed the stream is moved
// here; this class writes the response header, `retry:`, one `snapshot` event, then `quote`
// events as the StreamHub delivers them.
//
// The snapshot waits (up to `snapshot_wait`) for symbols that have no quote yet because this
// request just made them demanded upstream, so it normally lists every requested symbol.
//
// Pending output sits in an Outbox (one slot per symbol, newer replaces unsent, bounded in bytes,
// one writer with a synchronous fast path, closed after `write_timeout` without progress): see
// outbox.hpp. Quotes are held back until the snapshot has gone out.
//
// A stream opened with a token ends when the token does (`expires_at`, unix seconds): a last
// `status` event {"state":"expired"} goes out, then the stream ends cleanly.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "net/connection_limits.hpp"
#include "stream/early_symbol_statuses.hpp"
#include "stream/outbox.hpp"
#include "stream/stream_hub.hpp"
#include "stream/stream_metrics.hpp"
#include "ops/metrics.hpp"

namespace tickwire::stream {

class SseSession final : public std::enable_shared_from_this<SseSession>, public StreamSubscriber {
 public:
  struct Configuration {
    Outbox::Limits outbox;
    std::uint32_t retry_ms = 3000;
    std::chrono::milliseconds snapshot_wait{1000};
  };

  SseSession(net::ClientStream&& stream, StreamHub& hub, StreamMetrics& metrics,
             Configuration config, std::vector<std::string> symbols, std::string last_event_id,
             std::string cors_origin = {}, net::ConnectionLimits::Ticket ticket = {},
             std::int64_t expires_at = 0, std::vector<std::string> unknown = {});
  ~SseSession();

  void start();

  bool deliver(const FramePtr& frame, std::uint32_t slot) override;
  void flush() override;
  void on_tick(std::chrono::steady_clock::time_point now, bool heartbeat) override;
  void drain() override;
  void set_table_position(std::uint32_t slot, std::uint32_t position) override;
  void notify_status(const StatusPtr& status) override;
  void notify_symbol_status(const StatusPtr& status, std::uint32_t slot) override;

 private:

  void on_start();
  void do_read();
  // Moves every queued frame into one snapshot event, queued after the response header.
  void send_snapshot();
  void send_status();

  // Touched on every delivery: kept together at the front of the object (under light load a
  // delivery's user-space cost is mostly the cache lines it touches).
  bool subscribed_ = false;
  bool snapshot_sent_ = false;
  bool flush_asked_ = false;  // deliver() asked the hub for a flush() that has not come yet
  StreamMetrics& metrics_;
  Outbox out_;
  StatusPtr status_pending_;  // a status change held until the snapshot is out (newest wins)

  StreamHub& hub_;
  Configuration config_;
  std::vector<std::string> symbols_;
  std::string last_event_id_;
  std::vector<std::string> unknown_;  // requested but unlisted: named in the snapshot, then freed
  std::string cors_origin_;
  std::size_t shard_ = 0;
  std::vector<std::uint32_t> positions_;  // this connection's place in the hub's lookup table
  std::chrono::steady_clock::time_point snapshot_deadline_;
  std::uint64_t snapshot_event_ = 0;  // the id the snapshot event carries (max of its frames)
  std::uint32_t missing_ = 0;         // slots still without any quote before the snapshot
  EarlySymbolStatuses early_statuses_;  // learned before the snapshot went out
  net::ConnectionLimits::Ticket ticket_;  // this connection's place under the caps
  std::int64_t expires_at_ = 0;           // unix seconds; 0: never
  char read_buf_[64];
};

}  // namespace tickwire::stream
