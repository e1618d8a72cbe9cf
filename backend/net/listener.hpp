// Accepts TCP connections and pins each to a shard of an IoPool. When the process runs out of
// file descriptors (EMFILE/ENFILE: here the cap is 20,000 per process) it does not spin: it
// counts the refusal, backs off (growing up to 1 s) and tries again, so connections past the
// limit wait in the kernel's backlog or are refused there instead of crashing anything.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "net/io_pool.hpp"
#include "ops/metrics.hpp"

namespace tickwire::net {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  using OnAccept = std::function<void(boost::asio::ip::tcp::socket&&)>;

  // Binds and listens at once (throws boost::system::system_error when it cannot); accepts
  // after start(). The acceptor runs on shard 0; accepted sockets are spread over all shards.
  // With `reuse_port` several processes may listen on the same port (SO_REUSEPORT: the kernel
  // spreads new connections over them), so one machine holds more connections than one
  // process's file limit allows.
  Listener(IoPool& pool, const boost::asio::ip::tcp::endpoint& endpoint, OnAccept on_accept,
           ops::Registry& metrics, const std::string& metric_prefix, bool reuse_port = false);
  void start();
  void stop();  // any thread
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

 private:
  void do_accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  // Counts and hands over one accepted socket; false when out of descriptors (backing off).
  bool take(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  IoPool& pool_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_timer_;
  std::chrono::milliseconds backoff_{0};
  OnAccept on_accept_;
  ops::Counter& accepted_;
  ops::Counter& fd_exhausted_;
  ops::Counter& accept_errors_;
};

}  // namespace tickwire::net
