// Everything one client connection has yet to receive, and the one writer that sends it. Shared
// by the SSE, WebSocket and periodic (metrics) sessions, so the write state machine exists once:
//
//   - Control messages (response header, snapshots, acks, errors, status, pings) are queued in
//     order and go out before quotes.
//   - Quotes are state: one slot per subscribed symbol holds at most one shared, immutable frame
//     (ConflationQueue); a newer quote replaces an unsent one. The frames were encoded once per
//     transport by the hub; the outbox picks the SSE or the WebSocket encoding.
//   - Bounded in bytes: queued control messages, queued frames and the unsent rest of the write
//     in flight all count. Past `max_bytes` the connection is closed (WebSocket: a 1008 close
//     frame is tried first) and counted as outbox_full. Conflation keeps an honest slow reader
//     far below the bound (its symbols x one frame); what reaches it is a client that makes the
//     server queue replies faster than it reads them.
//   - One write at a time, of everything pending (a gather write of the shared frames). It is
//     tried at once on the non-blocking socket, where it normally fits whole (no reactor round
//     trip); only what does not fit waits for the reactor, and a write that has waited longer
//     than `write_timeout` means the client stopped reading: closed, counted as write_timeout.
//   - drain(): send what is pending (and a farewell: a WebSocket close frame), then end the
//     stream with a FIN (TLS: close_notify first; the peer gets 2 s to answer it).
//   - Over TLS there is no synchronous fast path: every write goes through the reactor (see
//     net/client_stream.hpp).
//
// Not thread-safe: owned by one session and used on its shard's thread only. The session keeps
// itself alive through the outbox's asynchronous write (the `owner` given to start()).
#pragma once

#include <boost/asio/buffer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "net/client_stream.hpp"
#include "stream/conflation_queue.hpp"
#include "stream/stream_metrics.hpp"

namespace tickwire::stream {

class Outbox {
 public:
  enum class Wire : std::uint8_t { sse, websocket };
  struct Limits {
    std::size_t max_bytes = 512 * 1024;
    std::chrono::seconds write_timeout{30};
  };

  Outbox(net::ClientStream&& stream, Wire wire, StreamMetrics& metrics, Limits limits);

  // Before anything is written: `owner` (the session) is kept alive by each asynchronous write.
  void start(std::weak_ptr<void> owner);
  net::ClientStream& stream() noexcept { return stream_; }

  // Quotes, per slot. A stale frame (not newer than the slot's last) is refused; `skipped`
  // tells how many seqs came between the slot's previous frame and this one.
  ConflationQueue::Offer offer(std::uint32_t slot, const FramePtr& frame,
                               std::uint64_t* skipped = nullptr);
  ConflationQueue& quotes() noexcept { return queue_; }
  // While held, queued quotes stay queued (a snapshot is being assembled from them).
  void hold_quotes(bool hold) noexcept { hold_quotes_ = hold; }
  // Removes one slot's pending frame and its bytes (unsubscribe, or taken into a snapshot).
  FramePtr take_slot(std::uint32_t slot);
  void reset_slot(std::uint32_t slot);
  // Moves every queued frame out in slot order (an SSE snapshot) and forgets their bytes.
  void take_in_slot_order(std::vector<FramePtr>& out);

  // A control message, sent before any queued quote. False (and the connection closing) when it
  // takes the outbox past its bound.
  bool push(std::string bytes);

  // Starts a write of everything pending, unless one is in flight (it continues when that one
  // completes) or nothing is pending.
  void flush();
  // Once a second: closes a connection whose write has waited longer than the write timeout, or
  // whose TLS close_notify has waited 2 s for the peer.
  void on_tick(std::chrono::steady_clock::time_point now);
  // Stops taking quotes, sends what is pending and then `farewell` (a WebSocket close frame),
  // then shuts the sending side down and closes (WebSocket: the session closes once the peer
  // answered the close frame or went away).
  void drain(std::string farewell = {});
  // Closes at once; pending output is dropped. The session's read fails and ends it.
  void close();

  bool writing() const noexcept { return writing_; }
  bool closed() const noexcept { return closed_; }
  bool draining() const noexcept { return draining_; }
  // Nothing in flight and nothing queued (quotes held for a snapshot count as queued).
  bool idle() const noexcept { return !writing_ && control_.empty() && queue_.queued() == 0; }
  std::size_t bytes() const noexcept { return bytes_; }

 private:
  std::size_t frame_size(const QuoteFrame& f) const noexcept {
    return wire_ == Wire::sse ? f.sse.size() : f.ws.size();
  }
  // Closes the connection as outbox_full; false, for the caller to return.
  bool overflow();
  void write_now();
  bool finished(boost::system::error_code ec, std::size_t written, std::size_t total);
  void write_rest(std::size_t written);
  void on_write(boost::system::error_code ec);
  void consume_written(std::size_t n);
  void end_stream();

  // Touched on every delivery and write: kept together at the front.
  bool writing_ = false;
  bool closed_ = false;
  bool draining_ = false;
  bool hold_quotes_ = false;
  bool shutting_down_ = false;  // TLS: close_notify sent, waiting for the peer
  Wire wire_;
  std::size_t bytes_ = 0;  // queued control + queued frames + unsent part of the write in flight
  std::size_t inflight_bytes_ = 0;  // of bytes_: the unsent part of the write in flight
  StreamMetrics& metrics_;
  ConflationQueue queue_{0};
  std::vector<ConflationQueue::Taken> inflight_;  // the frames of the write in flight
  std::vector<std::string> control_;              // queued control messages, in order
  std::vector<std::string> control_inflight_;     // those in the write in flight
  net::ClientStream stream_;
  std::vector<boost::asio::const_buffer> buffers_;  // the write in flight, or its unsent rest

  Limits limits_;
  std::weak_ptr<void> owner_;
  std::string farewell_;  // the last bytes of a drain
  std::chrono::steady_clock::time_point write_started_;  // also: when shutting down began
};

}  // namespace tickwire::stream
