#include "net/io_pool.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

namespace tickwire::net {

IoPool::IoPool(std::size_t threads, std::string name) : name_(std::move(name)) {
  if (threads == 0) threads = 1;
  for (std::size_t i = 0; i < threads; ++i) {
    // Concurrency hint 1: each context is driven by exactly one thread, so Asio can skip locks.
    contexts_.push_back(std::make_unique<Shard>(1));
    guards_.emplace_back(contexts_.back()->get_executor());
  }
}

IoPool::~IoPool() { stop_now(); }

void IoPool::start() {
  for (std::size_t i = 0; i < contexts_.size(); ++i) {
    threads_.emplace_back([this, i] {
      const auto tname = (name_ + "-" + std::to_string(i)).substr(0, 15);  // kernel limit
      pthread_setname_np(pthread_self(), tname.c_str());
      for (;;) {
        try {
          contexts_[i]->run();
          return;
        } catch (const std::exception& e) {
          // A handler threw: log it and keep the shard alive for its other connections.
          spdlog::error("{}: unhandled exception in shard {}: {}", name_, i, e.what());
        }
      }
    });
  }
}

void IoPool::join() {
  guards_.clear();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void IoPool::stop_now() {
  guards_.clear();
  for (auto& c : contexts_) c->stop();
  join();
}

void IoPool::discard_pending() {
  for (auto& c : contexts_) c->shutdown();
}

boost::asio::io_context& IoPool::next() {
  auto& c = *contexts_[next_];
  next_ = (next_ + 1) % contexts_.size();
  return c;
}

}  // namespace tickwire::net
