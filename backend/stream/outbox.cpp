#include "stream/outbox.hpp"

#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include <atomic>

#include "stream/ws_frame.hpp"
#include "tickwire/clock.hpp"

namespace tickwire::stream {

namespace asio = boost::asio;

namespace {
// One log line per 10 s at most for connections closed over their bound: a flood of abusive
// clients must not turn into a flood of log lines (the metric counts every one).
void log_overflow(std::size_t bound) {
  static std::atomic<std::int64_t> last_ms{0};
  static std::atomic<std::uint64_t> since{0};
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now().time_since_epoch())
                       .count();
  const auto n = since.fetch_add(1) + 1;
  auto prev = last_ms.load();
  if (now - prev < 10'000 || !last_ms.compare_exchange_strong(prev, now)) return;
  since.fetch_sub(n);
  spdlog::warn("stream: closed {} connection(s) whose queued output passed {} bytes "
               "(--max-outbox-bytes)", n, bound);
}
}  // namespace

Outbox::Outbox(net::ClientStream&& stream, Wire wire, StreamMetrics& metrics, Limits limits)
    : wire_(wire), metrics_(metrics), stream_(std::move(stream)), limits_(limits) {}

void Outbox::start(std::weak_ptr<void> owner) {
  owner_ = std::move(owner);
  boost::system::error_code ec;
  stream_.socket().non_blocking(true, ec);  // write_now() tries each write at once
}

ConflationQueue::Offer Outbox::offer(std::uint32_t slot, const FramePtr& frame,
                                     std::uint64_t* skipped) {
  if (draining_ || closed_) return ConflationQueue::Offer::stale;  // ending: no more quotes
  const auto* old = queue_.pending(slot);
  const std::size_t old_size = old ? frame_size(*old) : 0;
  const auto result = queue_.offer(slot, frame, skipped);
  if (result == ConflationQueue::Offer::stale) return result;
  bytes_ += frame_size(*frame) - old_size;
  if (bytes_ > limits_.max_bytes) overflow();
  return result;
}

FramePtr Outbox::take_slot(std::uint32_t slot) {
  auto f = queue_.take_slot(slot);
  if (f) bytes_ -= frame_size(*f);
  return f;
}

void Outbox::reset_slot(std::uint32_t slot) {
  take_slot(slot);
  queue_.reset_slot(slot);
}

void Outbox::take_in_slot_order(std::vector<FramePtr>& out) {
  const auto first = out.size();
  queue_.take_in_slot_order(out);
  for (auto i = first; i < out.size(); ++i) bytes_ -= frame_size(*out[i]);
}

bool Outbox::push(std::string bytes) {
  if (closed_) return false;
  bytes_ += bytes.size();
  control_.push_back(std::move(bytes));
  if (bytes_ > limits_.max_bytes) return overflow();
  return true;
}

bool Outbox::overflow() {
  if (closed_) return false;
  metrics_.outbox_overflows->inc();
  log_overflow(limits_.max_bytes);
  if (wire_ == Wire::websocket && !writing_) {
    // Say why if the socket takes it now; a client this far behind may never read it.
    const auto bye = ws::close_frame(ws::kPolicyViolation, "outbox limit exceeded");
    boost::system::error_code ec;
    stream_.try_write_some(asio::buffer(bye), ec);
  }
  close();
  return false;
}

void Outbox::flush() {
  if (writing_ || closed_ || shutting_down_) return;
  buffers_.clear();
  // Moved before their buffers are taken: a moved short string changes address.
  control_inflight_.swap(control_);
  for (const auto& c : control_inflight_) buffers_.push_back(asio::buffer(c));
  if (!hold_quotes_) queue_.take_batch(inflight_);
  for (const auto& t : inflight_) {
    buffers_.push_back(asio::buffer(wire_ == Wire::sse ? t.frame->sse : t.frame->ws));
  }
  if (buffers_.empty() && draining_ && !farewell_.empty()) {
    control_inflight_.push_back(std::exchange(farewell_, {}));
    buffers_.push_back(asio::buffer(control_inflight_.back()));
  }
  if (buffers_.empty()) {
    if (draining_) end_stream();
    return;
  }
  inflight_bytes_ = asio::buffer_size(buffers_);
  write_now();
}

void Outbox::write_now() {
  writing_ = true;
  boost::system::error_code ec;
  // One buffer (the usual write under light load: one quote) goes out with send(), several with
  // one sendmsg().
  const auto written = buffers_.size() == 1 ? stream_.try_write_some(buffers_.front(), ec)
                                            : stream_.try_write_some(buffers_, ec);
  if (finished(ec, written, inflight_bytes_)) return;
  write_rest(written);
}

bool Outbox::finished(boost::system::error_code ec, std::size_t written, std::size_t total) {
  if (ec == asio::error::would_block || ec == asio::error::try_again) return false;
  if (!ec && written < total) return false;
  on_write(ec);
  return true;
}

void Outbox::write_rest(std::size_t written) {
  // The rest waits for the client to read: through the reactor, with the write timeout running.
  consume_written(written);
  bytes_ -= written;
  inflight_bytes_ -= written;
  write_started_ = std::chrono::steady_clock::now();
  auto self = owner_.lock();
  if (!self) return close();
  asio::async_write(stream_, buffers_,
                    [this, self = std::move(self)](boost::system::error_code ec, std::size_t) {
                      on_write(ec);
                    });
}

void Outbox::consume_written(std::size_t n) {
  auto first = buffers_.begin();
  while (first != buffers_.end() && n >= first->size()) {
    n -= first->size();
    ++first;
  }
  buffers_.erase(buffers_.begin(), first);
  if (n > 0) buffers_.front() += n;
}

void Outbox::on_write(boost::system::error_code ec) {
  writing_ = false;
  bytes_ -= inflight_bytes_;
  inflight_bytes_ = 0;
  // Control messages are rare (header, snapshot, acks, heartbeats): give their memory back, so
  // an idle connection holds no buffer for them.
  std::vector<std::string>().swap(control_inflight_);
  if (ec) {
    inflight_.clear();
    return close();
  }
  metrics_.writes->inc();
  if (!inflight_.empty()) {
    metrics_.sent->inc(inflight_.size());
    if (metrics_.latency) {
      const auto now = unix_micros_now();
      for (const auto& t : inflight_) {
        if (t.follows) {
          metrics_.latency->observe(static_cast<double>(now - t.frame->quote.ts) / 1e6);
        }
      }
    }
    inflight_.clear();
  }
  if (closed_) return;
  if (!control_.empty() || (!hold_quotes_ && queue_.queued() > 0) || draining_) flush();
}

void Outbox::on_tick(std::chrono::steady_clock::time_point now) {
  if (shutting_down_ && now - write_started_ > std::chrono::seconds(2)) return close();
  if (closed_ || !writing_ || now - write_started_ <= limits_.write_timeout) return;
  metrics_.write_timeouts->inc();
  spdlog::debug("stream: closing a connection that stopped reading ({} s)",
                limits_.write_timeout.count());
  close();
}

void Outbox::drain(std::string farewell) {
  if (draining_ || closed_) return;
  draining_ = true;
  farewell_ = std::move(farewell);
  bytes_ += farewell_.size();
  flush();
}

void Outbox::end_stream() {
  // Everything is out: end the stream with a clean FIN. A WebSocket peer still answers the close
  // frame (RFC 6455, 7.1.1): the socket stays open for it, and the session closes it when the
  // peer has, or after a grace period.
  if (!stream_.is_tls()) {
    boost::system::error_code ec;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    if (wire_ == Wire::sse) close();
    return;
  }
  // TLS: close_notify first, so the client can tell a finished stream from a cut one. It
  // completes when the peer answers or goes; on_tick() bounds the wait.
  if (shutting_down_) return;
  auto self = owner_.lock();
  if (!self) return close();
  shutting_down_ = true;
  write_started_ = std::chrono::steady_clock::now();
  stream_.async_shutdown([this, self = std::move(self)](boost::system::error_code) {
    if (wire_ == Wire::sse) close();
  });
}

void Outbox::close() {
  if (closed_) return;
  closed_ = true;
  control_.clear();
  stream_.close();  // cancels the pending read and write; their handlers release the session
}

}  // namespace tickwire::stream
