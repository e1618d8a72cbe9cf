// A long-poll waiting for a change: joins the hub as a subscriber of the polled symbols and
// answers as soon as one of them changes after the cursor, or with an empty delta when `wait`
// runs out (or the server drains). Lives on one shard; answers once.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "stream/stream_hub.hpp"

namespace tickwire::frontend {

class LongPoll final : public std::enable_shared_from_this<LongPoll>, public stream::StreamSubscriber {
 public:
  // `answer` runs on the shard thread, once: when `ready` holds after a polled symbol changed
  // (no `ready`: at the first change), or at the deadline.
  LongPoll(stream::StreamHub& hub, std::size_t shard, std::vector<std::string> symbols,
           std::chrono::steady_clock::time_point deadline, std::function<void()> answer,
           std::function<bool()> ready = {});
  ~LongPoll();
  void start();  // posts onto the shard

  bool deliver(const stream::FramePtr& frame, std::uint32_t slot) override;
  void on_tick(std::chrono::steady_clock::time_point now, bool heartbeat) override;
  void drain() override;
  void set_table_position(std::uint32_t slot, std::uint32_t position) override;

 private:
  void finish();

  stream::StreamHub& hub_;
  std::size_t shard_;
  std::vector<std::string> symbols_;
  std::vector<std::uint32_t> positions_;
  std::chrono::steady_clock::time_point deadline_;
  std::function<void()> answer_;
  std::function<bool()> ready_;
  std::shared_ptr<LongPoll> self_;  // alive while in the hub's table
  bool done_ = false;
};

}  // namespace tickwire::frontend
