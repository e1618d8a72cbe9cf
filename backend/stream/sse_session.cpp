#include "stream/sse_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>
#include <unordered_map>

#include "tickwire/quote_json.hpp"
#include "tickwire/clock.hpp"
#include "tickwire/sse.hpp"

namespace tickwire::stream {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {
const std::string kHeartbeat = sse::comment("heartbeat");
}  // namespace

SseSession::SseSession(asio::ip::tcp::socket&& socket, StreamHub& hub, StreamMetrics& metrics,
                       Configuration config, std::vector<std::string> symbols,
                       std::string last_event_id, std::string cors_origin)
    : metrics_(metrics),
      queue_(symbols.size()),
      socket_(std::move(socket)),
      hub_(hub),
      config_(config),
      symbols_(std::move(symbols)),
      last_event_id_(std::move(last_event_id)),
      cors_origin_(std::move(cors_origin)) {}

SseSession::~SseSession() {
  if (subscribed_) {
    hub_.remove(shard_, this, symbols_, positions_);
    hub_.detach(shard_, this);
    metrics_.connections->add(-1);
  }
}

void SseSession::start() {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->on_start(); });
}

void SseSession::on_start() {
  shard_ = hub_.shard_index(socket_.get_executor());
  boost::system::error_code nb;
  socket_.non_blocking(true, nb);  // do_write() tries each write at once
  // Subscribe before reading the snapshot: a quote published in between is then either in the
  // snapshot or delivered after it (and dropped by the per-slot seq check if it is both).
  std::vector<std::uint32_t> slots(symbols_.size());
  for (std::uint32_t i = 0; i < slots.size(); ++i) slots[i] = i;
  hub_.attach(shard_, this);
  positions_ = hub_.add(shard_, this, symbols_, slots);
  subscribed_ = true;
  metrics_.connections->add(1);
  const auto snap = hub_.snapshot(symbols_, last_event_id_);
  snapshot_event_ = snap.event_n;

  std::unordered_map<std::string_view, std::uint32_t> slot_of;
  for (std::uint32_t i = 0; i < symbols_.size(); ++i) slot_of.emplace(symbols_[i], i);
  for (const auto& f : snap.frames) queue_.offer(slot_of.at(f->quote.symbol), f);
  // A resume sends only what changed; a fresh stream waits for symbols with no quote yet.
  if (!snap.resumed) {
    missing_ = static_cast<std::uint32_t>(symbols_.size() - snap.frames.size());
  }
  snapshot_deadline_ = std::chrono::steady_clock::now() + config_.snapshot_wait;
  // Joining while the data is stale: say so right after the snapshot.
  if (auto st = hub_.status(); st && !st->live) status_pending_ = std::move(st);

  http::response<http::empty_body> res{http::status::ok, 11};
  res.set(http::field::server, "tickwire");
  res.set(http::field::content_type, "text/event-stream");
  res.set(http::field::cache_control, "no-store");
  res.set("X-Accel-Buffering", "no");  // tell reverse proxies not to buffer the stream
  if (!cors_origin_.empty()) res.set(http::field::access_control_allow_origin, cors_origin_);
  // The body runs until either side closes: no length, no chunking, so every quote frame is
  // written as-is from its shared buffer.
  res.keep_alive(false);
  std::ostringstream os;
  os << res.base();
  scratch_ = os.str();
  scratch_ += sse::retry(config_.retry_ms);
  if (missing_ == 0) build_snapshot();

  writing_ = true;
  scratch_inflight_ = true;
  write_started_ = std::chrono::steady_clock::now();
  asio::async_write(socket_, asio::buffer(scratch_),
                    [self = shared_from_this()](auto ec, std::size_t n) { self->on_write(ec, n); });
  do_read();
}

void SseSession::build_snapshot() {
  std::vector<FramePtr> frames;
  queue_.take_in_slot_order(frames);
  std::vector<std::string_view> quotes;
  quotes.reserve(frames.size());
  for (const auto& f : frames) {
    quotes.push_back(f->json);
    snapshot_event_ = std::max(snapshot_event_, f->event_id);
  }
  sse::append_event(scratch_, "snapshot", EventId{hub_.epoch(), snapshot_event_}.str(),
                    encode_snapshot(quotes));
  snapshot_sent_ = true;
}

void SseSession::do_read() {
  // Clients send nothing after the request; a read completes on close (or junk, discarded), so a
  // client that went away is noticed without waiting for the next write.
  socket_.async_read_some(asio::buffer(read_buf_),
                          [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                            if (ec) return self->close();
                            self->do_read();
                          });
}

bool SseSession::deliver(const FramePtr& frame, std::uint32_t slot) {
  if (closed_) return false;
  std::uint64_t skipped = 0;
  const auto result = queue_.offer(slot, frame, &skipped);
  if (result == ConflationQueue::Offer::stale) return false;
  if (!snapshot_sent_) {
    // Still assembling the snapshot: it takes the newest quote; nothing was conflated.
    if (result == ConflationQueue::Offer::queued) --missing_;
    if (missing_ == 0 && !writing_) do_write();
    return false;
  }
  if (result == ConflationQueue::Offer::conflated) metrics_.conflated->inc();
  if (skipped) metrics_.missed->inc(skipped);
  if (writing_ || flush_asked_) return false;  // goes out with the write already due
  flush_asked_ = true;
  return true;
}

void SseSession::flush() {
  flush_asked_ = false;
  if (!writing_) do_write();
}

void SseSession::on_tick(std::chrono::steady_clock::time_point now, bool heartbeat) {
  if (closed_) return;
  if (!snapshot_sent_ && !writing_ && now >= snapshot_deadline_) return do_write();
  if (writing_) {
    if (now - write_started_ > config_.write_timeout) {
      metrics_.slow_disconnects->inc();
      spdlog::debug("sse: closing a connection that stopped reading ({} s)",
                    config_.write_timeout.count());
      close();
    }
    return;
  }
  if (heartbeat) {
    heartbeat_due_ = true;
    do_write();
  }
}

void SseSession::drain() {
  draining_ = true;
  if (!writing_) do_write();
}

void SseSession::set_table_position(std::uint32_t slot, std::uint32_t position) {
  positions_[slot] = position;
}

void SseSession::notify_status(const StatusPtr& status) {
  if (closed_) return;
  status_pending_ = status;
  if (snapshot_sent_ && !writing_) do_write();
}

void SseSession::do_write() {
  if (closed_) return;
  buffers_.clear();
  if (!snapshot_sent_) {
    if (missing_ > 0 && !draining_ && std::chrono::steady_clock::now() < snapshot_deadline_) {
      return;  // keep waiting for the symbols just subscribed upstream
    }
    build_snapshot();
    scratch_inflight_ = true;
    buffers_.push_back(asio::buffer(scratch_));
  }
  if (status_pending_) {
    status_inflight_ = std::move(status_pending_);
    status_pending_.reset();
    buffers_.push_back(asio::buffer(status_inflight_->sse));
  }
  queue_.take_batch(inflight_);
  if (buffers_.empty() && inflight_.size() == 1) {
    // The usual write under light load: one quote, straight from its shared frame (send()).
    heartbeat_due_ = false;
    return write_now(asio::buffer(inflight_.front().frame->sse));
  }
  for (const auto& t : inflight_) buffers_.push_back(asio::buffer(t.frame->sse));
  if (heartbeat_due_ && buffers_.empty()) buffers_.push_back(asio::buffer(kHeartbeat));
  heartbeat_due_ = false;
  if (buffers_.empty()) {
    if (draining_) {
      // Everything is out: end the stream with a clean FIN.
      boost::system::error_code ec;
      socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
      close();
    }
    return;
  }
  if (buffers_.size() == 1) return write_now(buffers_.front());
  write_now();
}

void SseSession::write_now(asio::const_buffer one) {
  writing_ = true;
  boost::system::error_code ec;
  const auto written = socket_.write_some(one, ec);  // send()
  if (finished(ec, written, one.size())) return;
  buffers_.assign(1, one);
  write_rest(written);
}

void SseSession::write_now() {
  writing_ = true;
  boost::system::error_code ec;
  const auto written = socket_.write_some(buffers_, ec);  // sendmsg()
  if (finished(ec, written, asio::buffer_size(buffers_))) return;
  write_rest(written);
}

bool SseSession::finished(boost::system::error_code ec, std::size_t written, std::size_t total) {
  if (ec == asio::error::would_block || ec == asio::error::try_again) return false;
  if (!ec && written < total) return false;
  on_write(ec, written);
  return true;
}

void SseSession::write_rest(std::size_t written) {
  // The rest waits for the client to read: through the reactor, with the write timeout running.
  consume_written(written);
  write_started_ = std::chrono::steady_clock::now();  // on_tick's stall check runs from here
  asio::async_write(socket_, buffers_,
                    [self = shared_from_this()](auto e, std::size_t n) { self->on_write(e, n); });
}

void SseSession::consume_written(std::size_t n) {
  auto first = buffers_.begin();
  while (first != buffers_.end() && n >= first->size()) {
    n -= first->size();
    ++first;
  }
  buffers_.erase(buffers_.begin(), first);
  if (n > 0) buffers_.front() += n;
}

void SseSession::on_write(boost::system::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) return close();
  metrics_.writes->inc();
  if (!inflight_.empty()) {
    metrics_.sent->inc(inflight_.size());
    if (metrics_.latency) {
      const auto now = unix_micros_now();
      for (const auto& t : inflight_) {
        if (t.follows) metrics_.latency->observe(static_cast<double>(now - t.frame->quote.ts) / 1e6);
      }
    }
    inflight_.clear();
  }
  if (scratch_inflight_) {
    scratch_inflight_ = false;
    scratch_.clear();
    scratch_.shrink_to_fit();
  }
  if (status_inflight_) status_inflight_.reset();
  if (!snapshot_sent_) {
    if (missing_ == 0 || draining_) do_write();  // else on_tick or deliver sends it
    return;
  }
  if (queue_.queued() > 0 || heartbeat_due_ || draining_ || status_pending_) do_write();
}

void SseSession::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ec;
  socket_.close(ec);  // cancels the pending read and write; their handlers release this session
}

}  // namespace tickwire::stream
