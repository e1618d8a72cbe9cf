// One client's WebSocket connection (GET /v1/ws, upgraded from the HTTP session). The client
// changes its subscriptions at any time with JSON messages
//   {"action":"subscribe","symbols":["AAPL"]}   {"action":"unsubscribe","symbols":["AAPL"]}
// and the server answers a subscribe with a `snapshot` of the newly added symbols, then sends
// `quote` messages (the same quote objects as SSE, encoded once per quote by the hub). Errors
// are JSON messages on the socket; a client that keeps misbehaving is closed (1008). Pending
// quotes are conflated per symbol exactly as for SSE; keep-alive pings detect dead peers.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "stream/conflation_queue.hpp"
#include "net/http_reply.hpp"
#include "stream/stream_hub.hpp"
#include "stream/stream_metrics.hpp"
#include "stream/stream_request.hpp"

namespace tickwire::stream {

class WsSession final : public std::enable_shared_from_this<WsSession>, public StreamSubscriber {
 public:
  struct Configuration {
    std::chrono::seconds write_timeout{30};
    std::chrono::seconds idle_timeout{30};  // a ping goes out after half of it without traffic
    std::size_t max_message_bytes = 16 * 1024;
    int max_errors = 10;  // client errors tolerated before the connection is closed
    std::chrono::milliseconds snapshot_wait{1000};
  };

  WsSession(boost::asio::ip::tcp::socket&& socket, net::Request upgrade, StreamHub& hub,
            StreamMetrics& metrics, net::ErrorReplies& errors, Configuration config,
            SymbolLimits limits, std::vector<std::string> initial_symbols,
            std::string last_event_id = {});
  ~WsSession();

  void start();

  bool deliver(const FramePtr& frame, std::uint32_t slot) override;
  void flush() override;
  void on_tick(std::chrono::steady_clock::time_point now, bool heartbeat) override;
  void notify_status(const StatusPtr& status) override;
  void drain() override;
  void set_table_position(std::uint32_t slot, std::uint32_t position) override;

 private:
  struct Slot {
    std::string symbol;
    std::uint32_t position = 0;
    bool active = false;
  };

  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void handle(std::string_view text);
  void subscribe(const std::vector<std::string>& symbols, const std::string& resume_from = {});
  void unsubscribe(const std::vector<std::string>& symbols);
  void maybe_send_snapshot(bool deadline_passed);
  void client_error(std::string_view reason, std::string_view detail);
  void send_owned(std::string message);
  void do_write();
  void on_write(boost::beast::error_code ec);
  std::vector<std::string> current_symbols() const;
  void close(boost::beast::websocket::close_code code);

  // Directly on the socket: the websocket keeps its own time (handshake and idle timeouts,
  // pings), so beast::tcp_stream's timer layer would only add work to every write.
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  net::Request upgrade_;
  StreamHub& hub_;
  StreamMetrics& metrics_;
  net::ErrorReplies& errors_;
  Configuration config_;
  SymbolLimits limits_;
  std::vector<std::string> initial_;
  std::string resume_from_;  // for the initial subscription: only what changed since this id
  std::size_t shard_ = 0;

  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::unordered_map<std::string, std::uint32_t> slot_of_;
  ConflationQueue queue_{0};
  std::vector<std::uint32_t> snapshot_slots_;  // added by a subscribe, waiting for the snapshot
  std::chrono::steady_clock::time_point snapshot_deadline_;

  boost::beast::flat_buffer read_buffer_;
  // Snapshots, acks and errors, sent before quotes (a vector: an empty std::deque already costs
  // ~600 bytes per connection).
  std::vector<std::string> owned_;
  std::string writing_owned_;
  std::vector<ConflationQueue::Taken> inflight_;  // the batch being sent, one message per quote
  std::size_t inflight_next_ = 0;
  std::chrono::steady_clock::time_point write_started_;
  int client_errors_ = 0;

  bool attached_ = false;
  bool writing_ = false;
  bool flush_asked_ = false;  // deliver() asked the hub for a flush() that has not come yet
  bool draining_ = false;
  bool closed_ = false;
  // A close frame asked for while a write was in flight goes out when it completes.
  boost::beast::websocket::close_code close_after_write_ = boost::beast::websocket::close_code::none;
};

}  // namespace tickwire::stream
