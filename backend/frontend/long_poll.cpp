#include "frontend/long_poll.hpp"

#include <boost/asio/post.hpp>

namespace tickwire::frontend {

LongPoll::LongPoll(stream::StreamHub& hub, std::size_t shard, std::vector<std::string> symbols,
                   std::chrono::steady_clock::time_point deadline, std::function<void()> answer,
                   std::function<bool()> ready)
    : hub_(hub),
      shard_(shard),
      symbols_(std::move(symbols)),
      deadline_(deadline),
      answer_(std::move(answer)),
      ready_(std::move(ready)) {}

LongPoll::~LongPoll() = default;

void LongPoll::start() {
  boost::asio::post(hub_.pool().shard(shard_), [self = shared_from_this()] {
    self->self_ = self;
    std::vector<std::uint32_t> slots(self->symbols_.size());
    for (std::uint32_t i = 0; i < slots.size(); ++i) slots[i] = i;
    self->hub_.attach(self->shard_, self.get());
    self->positions_ = self->hub_.add(self->shard_, self.get(), self->symbols_, slots);
    // What changed between the caller's check and joining the table is not missed.
    if (self->ready_ && self->ready_()) self->finish();
  });
}

bool LongPoll::deliver(const stream::FramePtr&, std::uint32_t) {
  if (!ready_ || ready_()) finish();
  return false;
}

void LongPoll::on_tick(std::chrono::steady_clock::time_point now, bool) {
  if (now >= deadline_) finish();
}

void LongPoll::drain() { finish(); }

void LongPoll::set_table_position(std::uint32_t slot, std::uint32_t position) {
  positions_[slot] = position;
}

void LongPoll::finish() {
  if (done_) return;
  done_ = true;
  // Leave the table after the hub finished iterating it (deliver runs inside that loop).
  boost::asio::post(hub_.pool().shard(shard_), [self = std::move(self_)] {
    self->hub_.remove(self->shard_, self.get(), self->symbols_, self->positions_);
    self->hub_.detach(self->shard_, self.get());
    self->answer_();
  });
}

}  // namespace tickwire::frontend
