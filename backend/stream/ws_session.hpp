// One client's WebSocket connection (GET /v1/ws, upgraded from the HTTP session). The client
// changes its subscriptions at any time with JSON messages
//   {"action":"subscribe","symbols":["AAPL"]}   {"action":"unsubscribe","symbols":["AAPL"]}
// and the server answers a subscribe with a `snapshot` of the newly added symbols, then sends
// `quote` messages: the same quote objects as SSE, each framed once by the hub for every
// connection. Errors are JSON messages on the socket (an unsubscribe of a symbol not followed is
// one); a client past `max_errors` is closed (1008).
//
// Beast's websocket stream does the opening handshake; the stream then moves into an Outbox,
// the same writer SSE uses (bounded bytes, conflation per symbol, gather writes of shared
// frames, write timeout), and incoming frames are read with ws::FrameReader (ws_frame.hpp says
// why). Keep-alive: a ping after half of `idle_timeout` without traffic from the client, closed
// after all of it.
//
// With a token (`access`): a subscribe outside its symbols is refused with a `forbidden` error
// naming them (the connection stays); at its expiry a `status` {"state":"expired"} goes out and
// the connection is closed (1008), unless the client sent {"action":"refresh","token":"..."}
// before, which the `authorizer` checks (same subject, covering what is subscribed).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "net/connection_limits.hpp"
#include "net/http_reply.hpp"
#include "stream/access.hpp"
#include "stream/early_symbol_statuses.hpp"
#include "stream/outbox.hpp"
#include "stream/stream_hub.hpp"
#include "stream/stream_metrics.hpp"
#include "stream/stream_request.hpp"
#include "stream/ws_frame.hpp"

namespace tickwire::stream {

class WsSession final : public std::enable_shared_from_this<WsSession>, public StreamSubscriber {
 public:
  struct Configuration {
    Outbox::Limits outbox;
    std::chrono::seconds idle_timeout{30};  // a ping goes out after half of it without traffic
    std::size_t max_message_bytes = 16 * 1024;
    int max_errors = 10;  // client errors tolerated before the connection is closed
    std::chrono::milliseconds snapshot_wait{1000};
  };

  // `early` holds bytes the client sent after the upgrade request (read by the HTTP session).
  // `config` must outlive the session (it is the server's).
  WsSession(net::ClientStream&& stream, net::Request upgrade,
            boost::beast::flat_buffer&& early, StreamHub& hub, StreamMetrics& metrics,
            net::ErrorReplies& errors, const Configuration& config, SymbolLimits limits,
            std::vector<std::string> initial_symbols, std::string last_event_id = {},
            net::ConnectionLimits::Ticket ticket = {},
            std::shared_ptr<const Access> access = nullptr,
            const Authorizer* authorizer = nullptr,
            std::vector<std::string> initial_unknown = {});
  ~WsSession();

  void start();

  bool deliver(const FramePtr& frame, std::uint32_t slot) override;
  void flush() override;
  void on_tick(std::chrono::steady_clock::time_point now, bool heartbeat) override;
  void notify_status(const StatusPtr& status) override;
  void notify_symbol_status(const StatusPtr& status, std::uint32_t slot) override;
  void drain() override;
  void set_table_position(std::uint32_t slot, std::uint32_t position) override;

 private:
  struct Slot {
    std::string symbol;
    std::uint32_t position = 0;
    bool active = false;
  };
  // What only the opening handshake needs: on the heap, and gone once it is answered (an idle
  // connection's memory is what stays).
  struct Opening {
    boost::beast::websocket::stream<net::ClientStream> ws;
    net::Request upgrade;
    boost::beast::flat_buffer early;
    std::vector<std::string> initial;
    std::string resume_from;  // for the initial subscription: only what changed since this id
    std::vector<std::string> unknown;  // of the URL's subscription, left out as unlisted
  };

  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::system::error_code ec, std::size_t bytes);
  // Feeds bytes from the client to the frame reader and acts on each complete frame.
  void consume(std::string_view data);
  void on_frame(const ws::FrameReader::Event& ev);
  void handle(std::string_view text);
  // Subscribes the listed symbols among `symbols` (their snapshot follows) and names the
  // unlisted ones in an `error` (unknown_symbol, with `symbols`).
  void subscribe(const std::vector<std::string>& symbols, const std::string& resume_from = {});
  void subscribe_listed(std::vector<std::string> added, const std::string& resume_from);
  void refuse_unknown(const std::vector<std::string>& unknown);
  void unsubscribe(const std::vector<std::string>& symbols);
  void refresh(std::string_view token);
  void maybe_send_snapshot(bool deadline_passed);
  void client_error(std::string_view reason, std::string_view detail,
                    const std::vector<std::string>& symbols = {});
  // Queues one text message (framed here) and starts writing it.
  void send(std::string_view json);
  // Sends a close frame after what is already queued (no more quotes), then ends the connection.
  void close_with(std::uint16_t code, std::string_view reason);
  std::vector<std::string> current_symbols() const;
  // The slot of a subscribed symbol, or nullptr (by_symbol_ is kept sorted by symbol).
  const std::uint32_t* find_slot(std::string_view symbol) const;

  std::unique_ptr<Opening> opening_;  // until the upgrade has been answered
  Outbox out_;
  ws::FrameReader reader_;
  StreamHub& hub_;
  StreamMetrics& metrics_;
  net::ErrorReplies& errors_;
  const Configuration& config_;
  SymbolLimits limits_;
  std::size_t shard_ = 0;

  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::vector<std::uint32_t> by_symbol_;  // active slots, sorted by symbol
  std::vector<std::uint32_t> snapshot_slots_;  // added by a subscribe, waiting for the snapshot
  EarlySymbolStatuses early_statuses_;         // of snapshot_slots_, sent after the snapshot
  std::chrono::steady_clock::time_point snapshot_deadline_;
  std::chrono::steady_clock::time_point last_heard_;  // the client's last bytes
  std::chrono::steady_clock::time_point closing_since_;
  int client_errors_ = 0;

  bool attached_ = false;
  bool flush_asked_ = false;  // deliver() asked the hub for a flush() that has not come yet
  bool ping_sent_ = false;    // since the client was last heard
  bool closing_ = false;      // a close frame is queued: nothing more is sent or handled
  net::ConnectionLimits::Ticket ticket_;  // this connection's place under the caps
  std::shared_ptr<const Access> access_;  // null: anonymous
  const Authorizer* authorizer_;
  char read_buf_[64];
};

}  // namespace tickwire::stream
