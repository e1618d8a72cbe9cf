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

  std::size_t size() const noexcept { return contexts_.size(); }
  boost::asio::io_context& shard(std::size_t i) { return *contexts_[i]; }
  // Round-robin choice for new connections.
  boost::asio::io_context& next();

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::string name_;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<Guard> guards_;
  std::vector<std::thread> threads_;
  std::size_t next_ = 0;
};

}  // namespace tickwire::net
