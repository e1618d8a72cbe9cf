// One connection to Redis through hiredis's asynchronous API, driven by an Asio executor (hiredis
// ships adapters for libevent, libuv, Qt and others but none for Asio; the adapter here is the
// small set of read/write hooks hiredis asks an event loop for). It reconnects by itself with
// backoff, and checks liveness: a command connection sends PING and expects the answer within
// `timeout`; a subscriber connection is checked by its owner (see Link).
//
// Threading: every method runs on the executor given to the constructor, which must be
// single-threaded (one io_context thread or a strand). Callbacks run there too.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cache/redis/redis_reply.hpp"
#include "ops/metrics.hpp"

struct redisAsyncContext;

namespace tickwire::cache::redis {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  struct Configuration {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::string name = "command";  // "command" or "subscriber": logs and the metric label
    bool subscriber = false;       // carries SUBSCRIBE traffic only
    std::chrono::milliseconds backoff_min{100};
    std::chrono::milliseconds backoff_max{1000};
    std::chrono::milliseconds ping_interval{1000};
    std::chrono::milliseconds timeout{3000};  // connect, and PING answer on a command connection
  };
  struct Callbacks {
    std::function<void()> on_up;                        // connected (again)
    std::function<void(const std::string& why)> on_down;  // lost; a reconnect is scheduled
    // Subscriber connections: a message on a subscribed channel, and a confirmed subscription.
    std::function<void(const std::string& channel, const std::string& payload)> on_message;
    std::function<void(const std::string& channel)> on_subscribed;
  };
  using OnReply = std::function<void(const Reply&)>;

  Connection(boost::asio::any_io_executor ex, Configuration config, Callbacks callbacks,
             ops::Registry& metrics);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start();
  void stop();
  // Drops the connection now (a liveness check failed) and reconnects after the backoff.
  void reconnect(const std::string& why);

  bool up() const noexcept { return up_; }
  // Queues a command; false (and on_reply is not called) when not connected. Otherwise on_reply
  // runs exactly once: with the answer, or with an error reply if the connection is lost first.
  bool command(const std::vector<std::string>& args, OnReply on_reply = {});
  // Subscriber connections. Confirmations go to on_subscribed, messages to on_message.
  bool subscribe(const std::vector<std::string>& channels);
  bool unsubscribe(const std::vector<std::string>& channels);
  // Commands sent whose answers have not come yet (backpressure for the callers).
  std::size_t pending() const noexcept { return pending_; }
  const std::string& name() const noexcept { return config_.name; }

 private:
  struct Watcher;  // the Asio side of hiredis's event hooks
  friend struct Watcher;

  void connect();
  void schedule_connect();
  void arm_ping();
  void on_connected(int status);
  void on_disconnected(const std::string& why);
  void on_subscription_reply(const Reply& reply);
  bool send(const std::vector<std::string>& args, void (*fn)(redisAsyncContext*, void*, void*),
            void* privdata);
  static void reply_trampoline(redisAsyncContext* ac, void* reply, void* privdata);
  static void subscription_trampoline(redisAsyncContext* ac, void* reply, void* privdata);

  boost::asio::any_io_executor ex_;
  Configuration config_;
  Callbacks callbacks_;
  redisAsyncContext* ac_ = nullptr;
  std::shared_ptr<Watcher> watcher_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer ping_timer_;
  std::chrono::milliseconds backoff_{0};
  std::chrono::steady_clock::time_point connect_started_;
  std::chrono::steady_clock::time_point last_pong_;
  bool up_ = false;
  bool stopped_ = false;
  bool ping_outstanding_ = false;
  std::size_t pending_ = 0;

  ops::Gauge& connected_;
  ops::Counter& losses_;
  ops::Counter& errors_;
};

}  // namespace tickwire::cache::redis
