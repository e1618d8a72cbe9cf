// A process's link to Redis: one command connection and one subscriber connection (Redis's
// pub/sub needs a connection of its own), the Lua scripts loaded on every (re)connect, and the
// channel subscriptions, reference-counted and restored after a reconnect. The cache tier's
// Redis sides (dispatch, frontend, fleet) share one Link.
//
// The subscriber connection's liveness is checked end to end: every second the command
// connection publishes on this node's heartbeat channel, and a subscriber connection that hears
// nothing for `timeout` reconnects.
//
// Threading: start()/stop() from any thread; everything else on executor() (one thread).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cache/redis/redis_connection.hpp"
#include "cache/redis/redis_scripts.hpp"
#include "ops/metrics.hpp"

namespace tickwire::cache::redis {

class Link {
 public:
  struct Configuration {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::string node_id;  // unique in the fleet
    std::chrono::milliseconds timeout{3000};
    std::chrono::milliseconds backoff_max{1000};
  };
  using OnReply = Connection::OnReply;

  // `ioc` must be run by one thread.
  Link(boost::asio::io_context& ioc, Configuration config, ops::Registry& metrics);
  ~Link();
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  // Listeners; register before start(). on_ready: both connections are up and the scripts are
  // loaded (after every reconnect). on_lost: a ready link lost a connection.
  void on_ready(std::function<void()> f) { ready_listeners_.push_back(std::move(f)); }
  void on_lost(std::function<void()> f) { lost_listeners_.push_back(std::move(f)); }
  void on_message(std::function<void(const std::string&, const std::string&)> f) {
    message_listeners_.push_back(std::move(f));
  }
  // A subscription confirmed (also after a reconnect restored it).
  void on_subscribed(std::function<void(const std::string&)> f) {
    subscribed_listeners_.push_back(std::move(f));
  }

  void start();
  void stop();  // closes the connections on the executor; waits for that (bounded)

  boost::asio::io_context::executor_type executor() const noexcept { return ex_; }
  const std::string& node_id() const noexcept { return config_.node_id; }
  bool ready() const noexcept { return ready_; }

  // False when the command connection is down (on_reply is then not called).
  bool command(const std::vector<std::string>& args, OnReply on_reply = {});
  bool eval(const scripts::Script& script, const std::vector<std::string>& keys,
            const std::vector<std::string>& args, OnReply on_reply = {});
  std::size_t pending() const noexcept { return command_->pending(); }

  // Reference-counted: a channel is subscribed while at least one caller wants it.
  void subscribe(const std::vector<std::string>& channels);
  void unsubscribe(const std::vector<std::string>& channels);
  bool confirmed(const std::string& channel) const;

 private:
  struct Channel {
    std::uint32_t refs = 0;
    bool confirmed = false;
  };
  void close_when_flushed(std::chrono::steady_clock::time_point until,
                          std::shared_ptr<std::promise<void>> done);
  void close_now();
  void on_command_up();
  void on_subscriber_up();
  void on_down();
  void update_ready();
  void load_scripts();
  void arm_heartbeat();
  void send_subscribe(std::vector<std::string> channels);

  boost::asio::io_context::executor_type ex_;
  Configuration config_;
  std::shared_ptr<Connection> command_;
  std::shared_ptr<Connection> subscriber_;
  boost::asio::steady_timer heartbeat_timer_;
  std::string heartbeat_channel_;
  std::chrono::steady_clock::time_point last_heartbeat_;
  std::map<std::string_view, std::string> shas_;  // script name -> SHA1 once loaded
  std::size_t scripts_loading_ = 0;
  bool scripts_loaded_ = false;
  bool ready_ = false;
  bool stopped_ = false;
  std::atomic<bool> stop_requested_{false};
  std::map<std::string, Channel> channels_;

  std::vector<std::function<void()>> ready_listeners_;
  std::vector<std::function<void()>> lost_listeners_;
  std::vector<std::function<void(const std::string&, const std::string&)>> message_listeners_;
  std::vector<std::function<void(const std::string&)>> subscribed_listeners_;

  ops::Gauge& ready_gauge_;
  ops::Gauge& channels_gauge_;
  ops::Counter& heartbeat_misses_;
};

}  // namespace tickwire::cache::redis
