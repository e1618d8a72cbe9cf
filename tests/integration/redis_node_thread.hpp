// A Redis link on a thread of its own, as a tickwired node runs its cache tier: the loop, the
// node's metrics and the link. A test builds what it needs on top (a dispatcher's side, the
// link's callbacks) between construction and run(), and has stop() take that down first.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "cache/redis/redis_link.hpp"
#include "ops/metrics.hpp"

namespace tickwire::test {

class RedisNodeThread {
 public:
  RedisNodeThread(unsigned short port, const std::string& node_id) {
    cache::redis::Link::Configuration c;
    c.port = port;
    c.node_id = node_id;
    link_ = std::make_unique<cache::redis::Link>(ioc_, c, metrics_);
  }
  RedisNodeThread(const RedisNodeThread&) = delete;
  RedisNodeThread& operator=(const RedisNodeThread&) = delete;
  ~RedisNodeThread() { stop(); }

  // Starts the link and its thread.
  void run() {
    link_->start();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  // Stops `first` (what the test built on the link), then the link, and joins; once only.
  void stop(const std::function<void()>& first = {}) {
    if (!thread_.joinable()) return;
    if (first) first();
    link_->stop();
    work_.reset();
    ioc_.stop();
    thread_.join();
  }

  boost::asio::io_context& ioc() { return ioc_; }
  ops::Registry& metrics() { return metrics_; }
  cache::redis::Link& link() { return *link_; }

 private:
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      ioc_.get_executor()};
  ops::Registry metrics_;
  std::unique_ptr<cache::redis::Link> link_;
  std::thread thread_;
};

}  // namespace tickwire::test
