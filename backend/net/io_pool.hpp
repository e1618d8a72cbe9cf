// A fixed set of io_contexts, one thread each ("shards"). Connections are pinned to one shard at
// accept and all their work runs there, so per-connection state needs no locks.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace tickwire::net {

class IoPool {
 public:
  // `name` shows up in thread names (top -H, logs): "<name>-<index>".
  IoPool(std::size_t threads, std::string name);
  ~IoPool();
  IoPool(const IoPool&) = delete;
  IoPool& operator=(const IoPool&) = delete;

  void start();
  // Lets the shards run out of work and joins them; stop_now() abandons pending work.
  void join();
  void stop_now();
  // After stop_now(): destroys every handler still queued or waiting, now. Whatever they keep
  // alive (connections) goes while the owner's other members (the hub they report to) still
  // exist, instead of later, when the io_contexts themselves are destroyed.
  void discard_pending();

  std::size_t size() const noexcept { return contexts_.size(); }
  boost::asio::io_context& shard(std::size_t i) { return *contexts_[i]; }
  // Round-robin choice for new connections.
  boost::asio::io_context& next();

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::string name_;
  // An io_context whose shutdown (destroy pending handlers, keep the services) can be called
  // before its destructor: execution_context::shutdown is protected.
  struct Shard : boost::asio::io_context {
    using io_context::io_context;
    using io_context::shutdown;
  };
  std::vector<std::unique_ptr<Shard>> contexts_;
  std::vector<Guard> guards_;
  std::vector<std::thread> threads_;
  std::size_t next_ = 0;
};

}  // namespace tickwire::net
