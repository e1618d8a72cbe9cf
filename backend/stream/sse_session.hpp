// One client's SSE stream (GET /v1/stream). After the HTTP request is parsed the socket is moved
// here; this class writes the response header, `retry:`, one `snapshot` event, then `quote`
// events as the StreamHub delivers them.
//
// The snapshot waits (up to `snapshot_wait`) for symbols that have no quote yet because this
// request just made them demanded upstream, so it normally lists every requested symbol.
//
// Quotes are state: pending quotes sit in a ConflationQueue (one slot per symbol, newer replaces
// unsent, counted as conflated), so memory per connection is bounded by its symbol count however
// slow the client is. Everything pending goes out in one gather write of the shared, immutable
// frames; while that write is in flight new quotes accumulate. The write is tried at once on the
// non-blocking socket (it normally fits the socket buffer whole); only what does not fit goes
// through the reactor.
// A write that has not finished after `write_timeout` means the client stopped reading: the
// connection is closed and counted.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/buffer.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "stream/conflation_queue.hpp"
#include "stream/stream_hub.hpp"
#include "stream/stream_metrics.hpp"
#include "ops/metrics.hpp"

namespace tickwire::stream {

class SseSession final : public std::enable_shared_from_this<SseSession>, public StreamSubscriber {
 public:
  struct Configuration {
    std::chrono::seconds write_timeout{30};
    std::uint32_t retry_ms = 3000;
    std::chrono::milliseconds snapshot_wait{1000};
  };

  SseSession(boost::asio::ip::tcp::socket&& socket, StreamHub& hub, StreamMetrics& metrics,
             Configuration config, std::vector<std::string> symbols, std::string last_event_id,
             std::string cors_origin = {});
  ~SseSession();

  void start();

  bool deliver(const FramePtr& frame, std::uint32_t slot) override;
  void flush() override;
  void on_tick(std::chrono::steady_clock::time_point now, bool heartbeat) override;
  void drain() override;
  void set_table_position(std::uint32_t slot, std::uint32_t position) override;
  void notify_status(const StatusPtr& status) override;

 private:
  void on_start();
  void do_read();
  void do_write();
  // Write `one` buffer, or buffers_, at once as far as the socket takes it (the write normally
  // fits the socket buffer whole, which saves the reactor's round trip on every delivery).
  void write_now(boost::asio::const_buffer one);
  void write_now();
  // Completes the write if it went out whole or failed; false if part of it is left.
  bool finished(boost::system::error_code ec, std::size_t written, std::size_t total);
  // Sends what is left in buffers_ after `written` bytes through the reactor.
  void write_rest(std::size_t written);
  // Moves every queued frame into one snapshot event in scratch_.
  void build_snapshot();
  void on_write(boost::system::error_code ec, std::size_t bytes);
  // Drops the first `n` bytes (already written) from buffers_.
  void consume_written(std::size_t n);
  void close();

  // Touched on every delivery and write, so kept together at the front of the object: under
  // light load a delivery's user-space cost is mostly the cache lines it touches.
  bool subscribed_ = false;
  bool snapshot_sent_ = false;
  bool writing_ = false;
  bool flush_asked_ = false;  // deliver() asked the hub for a flush() that has not come yet
  bool heartbeat_due_ = false;
  bool draining_ = false;
  bool closed_ = false;
  bool scratch_inflight_ = false;  // the write in flight carries scratch_
  StreamMetrics& metrics_;
  ConflationQueue queue_;
  std::vector<ConflationQueue::Taken> inflight_;  // keeps the frames of the current write alive
  StatusPtr status_pending_;                      // a status change not written yet (newest wins)
  StatusPtr status_inflight_;
  boost::asio::ip::tcp::socket socket_;
  std::vector<boost::asio::const_buffer> buffers_;  // a write of several pieces, or its rest

  StreamHub& hub_;
  Configuration config_;
  std::vector<std::string> symbols_;
  std::string last_event_id_;
  std::string cors_origin_;
  std::size_t shard_ = 0;
  std::vector<std::uint32_t> positions_;  // this connection's place in the hub's lookup table
  std::string scratch_;  // response header, retry or snapshot: alive during one write
  std::chrono::steady_clock::time_point write_started_;
  std::chrono::steady_clock::time_point snapshot_deadline_;
  std::uint64_t snapshot_event_ = 0;  // the id the snapshot event carries (max of its frames)
  std::uint32_t missing_ = 0;         // slots still without any quote before the snapshot
  char read_buf_[64];
};

}  // namespace tickwire::stream
