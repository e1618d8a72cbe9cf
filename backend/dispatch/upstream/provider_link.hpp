// The one WebSocket connection a provider adapter holds, kept up while the adapter wants it:
// connect, and after any loss reconnect with exponential backoff and jitter. The adapter speaks
// the protocol over it (auth, subscriptions); this only keeps the connection, counts it, and
// never reconnects in a tight loop: an adapter that learns the provider refused it (bad key,
// connection limit) asks for a longer wait with hold_off().
//
// Executor: everything runs on the adapter's (single-threaded) executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "net/service_url.hpp"
#include "net/ws_client.hpp"
#include "ops/metrics.hpp"

namespace tickwire::dispatch {

class ProviderLink {
 public:
  struct Configuration {
    std::string provider;  // "alpaca", "finnhub": logs
    net::ServiceUrl url;   // may carry a token in its query: logged redacted only
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::milliseconds backoff_initial{250};
    std::chrono::milliseconds backoff_max{30'000};
    std::chrono::seconds idle_timeout{30};
  };
  struct Callbacks {
    std::function<void()> on_open;
    std::function<void(std::string_view)> on_message;
    // The connection ended (or never opened); a reconnect follows while wanted.
    std::function<void(const std::string& why, unsigned http_status)> on_closed;
  };

  ProviderLink(boost::asio::any_io_executor ex, std::shared_ptr<boost::asio::ssl::context> tls,
               ops::Registry& metrics, Configuration config, Callbacks callbacks);
  ~ProviderLink();

  // Keep a connection up from now on (at once, or when a pending backoff ends).
  void want();
  // Close it and stay closed.
  void release();
  bool is_open() const noexcept { return open_; }
  void send(std::string text);
  // The next reconnect waits at least `wait` (the provider refused us: retrying sooner cannot
  // help and may count against the account).
  void hold_off(std::chrono::milliseconds wait) { hold_off_ = std::max(hold_off_, wait); }
  // Ends the current connection; a reconnect follows with backoff (a protocol-level failure).
  void drop(const std::string& why);
  std::string where() const { return config_.url.str_redacted(); }

 private:
  void connect();
  void on_closed(std::uint64_t attempt, const std::string& why, unsigned status);
  void schedule();

  boost::asio::any_io_executor ex_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  Configuration config_;
  Callbacks callbacks_;
  boost::asio::steady_timer retry_timer_;
  std::shared_ptr<net::WsClient> client_;
  std::uint64_t attempt_ = 0;  // ignores callbacks of clients already replaced
  bool wanted_ = false;
  bool open_ = false;
  bool waiting_ = false;
  std::chrono::milliseconds backoff_{0};
  std::chrono::milliseconds hold_off_{0};
  std::minstd_rand rng_{std::random_device{}()};
  std::shared_ptr<int> life_ = std::make_shared<int>(0);

  ops::Gauge& connections_;
  ops::Counter& reconnects_;
};

}  // namespace tickwire::dispatch
