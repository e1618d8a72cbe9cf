// One outgoing WebSocket connection (wss over TLS, or ws), with Beast: resolve, connect, TLS
// handshake (see tls_client_context.hpp), upgrade, then read messages until it ends. No
// reconnect logic: the owner decides (a provider adapter through ProviderLink) and makes a new
// WsClient per attempt.
//
// Bounded: a message over max_message_bytes, or a send queue over max_queued_bytes, fails the
// connection with a clear reason instead of growing. Liveness: Beast's idle timeout with
// keep-alive pings, so a silent, half-open connection ends after about idle_timeout.
//
// Threading: everything, callbacks included, runs on the executor given (one thread).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/service_url.hpp"

namespace tickwire::net {

class WsClient : public std::enable_shared_from_this<WsClient> {
 public:
  struct Configuration {
    ServiceUrl url;  // ws or wss
    std::vector<std::pair<std::string, std::string>> headers;  // extra handshake headers
    std::chrono::seconds connect_timeout{10};  // resolve + TCP + TLS + upgrade
    std::chrono::seconds idle_timeout{30};
    std::size_t max_message_bytes = 4 << 20;
    std::size_t max_queued_bytes = 8 << 20;
  };
  struct Callbacks {
    std::function<void()> on_open;
    std::function<void(std::string_view text)> on_message;
    // Exactly once after start(): the connection failed or ended. `why` is for logs and never
    // holds the URL's query or a header value; `http_status` is the status of a refused
    // upgrade (e.g. 401), else 0.
    std::function<void(const std::string& why, unsigned http_status)> on_closed;
  };

  WsClient(boost::asio::any_io_executor ex, std::shared_ptr<boost::asio::ssl::context> tls,
           Configuration config, Callbacks callbacks);
  ~WsClient();

  void start();
  // Queued in order, one write at a time; ignored once closed.
  void send(std::string text);
  // A close frame, then on_closed("closed by us", 0). Safe at any time.
  void close();
  std::size_t queued_bytes() const noexcept { return queued_bytes_; }

 private:
  using TcpStream = boost::beast::tcp_stream;
  using TlsStream = boost::beast::ssl_stream<TcpStream>;
  using PlainWs = boost::beast::websocket::stream<TcpStream>;
  using TlsWs = boost::beast::websocket::stream<TlsStream>;

  template <class F> void with_ws(F&& f);
  TcpStream& tcp();
  void on_connected();
  void upgrade();
  void on_upgraded(boost::beast::error_code ec);
  void read();
  void write_next();
  void finish(const std::string& why, unsigned status = 0);

  boost::asio::any_io_executor ex_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  Configuration config_;
  Callbacks callbacks_;
  boost::asio::ip::tcp::resolver resolver_;
  std::optional<PlainWs> plain_;
  std::optional<TlsWs> secure_;
  boost::beast::flat_buffer buffer_;
  boost::beast::websocket::response_type upgrade_response_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  bool open_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool finished_ = false;
};

}  // namespace tickwire::net
