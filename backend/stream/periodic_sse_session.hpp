// An SSE stream of one document produced once a second (the operator metrics stream). It joins
// the StreamHub with no symbols: the hub's per-shard timer drives it, and a server shutdown
// drains it like any stream. Writes go through an Outbox like every other stream's; a reader
// that falls behind skips documents (only the newest matters) instead of queueing them.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>

#include "net/connection_limits.hpp"
#include "stream/outbox.hpp"
#include "stream/stream_hub.hpp"

namespace tickwire::stream {

class PeriodicSseSession final : public std::enable_shared_from_this<PeriodicSseSession>,
                                 public StreamSubscriber {
 public:
  // `produce` runs on the connection's shard thread and returns the event's data.
  PeriodicSseSession(net::ClientStream&& stream, StreamHub& hub, StreamMetrics& metrics,
                     Outbox::Limits limits, std::string event, std::function<std::string()> produce,
                     net::ConnectionLimits::Ticket ticket = {});
  ~PeriodicSseSession();
  void start();

  bool deliver(const FramePtr&, std::uint32_t) override { return false; }
  void on_tick(std::chrono::steady_clock::time_point now, bool heartbeat) override;
  void drain() override;
  void set_table_position(std::uint32_t, std::uint32_t) override {}

 private:
  void send_event();

  Outbox out_;
  StreamHub& hub_;
  std::string event_;
  std::function<std::string()> produce_;
  std::size_t shard_ = 0;
  net::ConnectionLimits::Ticket ticket_;  // this connection's place under the caps
  char read_buf_[64];
  bool subscribed_ = false;
};

}  // namespace tickwire::stream
