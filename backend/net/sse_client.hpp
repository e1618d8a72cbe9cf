// A long-lived SSE client for upstream feeds: connects, reads the event stream with the shared
// WHATWG parser, and on any failure reconnects with exponential backoff with jitter,
// sending the last event id it saw as Last-Event-ID so the server can resume. A stream that
// stays silent longer than `idle_timeout` (servers send heartbeats) counts as dead.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "tickwire/sse.hpp"

namespace tickwire::net {

class SseClient : public std::enable_shared_from_this<SseClient> {
 public:
  struct Configuration {
    std::string host;
    std::string port;
    std::string target;  // path and query
    std::chrono::milliseconds backoff_initial{100};
    std::chrono::milliseconds backoff_max{5000};
    std::chrono::seconds connect_timeout{5};
    std::chrono::seconds idle_timeout{45};
  };
  struct Callbacks {
    std::function<void(const sse::Event&)> on_event;
    std::function<void()> on_connected;
    // Called once per lost or failed connection, before the backoff; `why` is for logs.
    std::function<void(const std::string& why)> on_disconnected;
  };

  SseClient(boost::asio::any_io_executor ex, Configuration config, Callbacks callbacks);

  // Thread-safe; start() may pass the id to resume from.
  void start(std::string last_event_id = {});
  void stop();

  const std::string& last_event_id() const { return parser_.last_event_id(); }

 private:
  void do_resolve();
  void do_connect(boost::asio::ip::tcp::resolver::results_type results);
  void do_request();
  void do_read_header();
  void do_read_body();
  void on_body(boost::beast::error_code ec);
  void fail(const std::string& why);

  boost::asio::any_io_executor ex_;
  Configuration config_;
  Callbacks callbacks_;
  boost::asio::ip::tcp::resolver resolver_;
  std::optional<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::buffer_body>> res_parser_;
  boost::beast::http::request<boost::beast::http::empty_body> req_;
  boost::asio::steady_timer retry_timer_;
  std::chrono::milliseconds backoff_{0};
  std::minstd_rand rng_{std::random_device{}()};
  sse::Parser parser_;
  char body_buf_[16 * 1024];
  bool stopped_ = false;
};

}  // namespace tickwire::net
