#include "stream/sse_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>
#include <unordered_map>

#include "stream/access.hpp"
#include "stream/lasting_read.hpp"
#include "tickwire/quote_json.hpp"
#include "tickwire/clock.hpp"
#include "tickwire/sse.hpp"

namespace tickwire::stream {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {
const std::string kHeartbeat = sse::comment("heartbeat");
}  // namespace

SseSession::SseSession(net::ClientStream&& stream, StreamHub& hub, StreamMetrics& metrics,
                       Configuration config, std::vector<std::string> symbols,
                       std::string last_event_id, std::string cors_origin,
                       net::ConnectionLimits::Ticket ticket, std::int64_t expires_at,
                       std::vector<std::string> unknown)
    : metrics_(metrics),
      out_(std::move(stream), Outbox::Wire::sse, metrics, config.outbox),
      hub_(hub),
      config_(config),
      symbols_(std::move(symbols)),
      last_event_id_(std::move(last_event_id)),
      unknown_(std::move(unknown)),
      cors_origin_(std::move(cors_origin)),
      ticket_(std::move(ticket)),
      expires_at_(expires_at) {}

SseSession::~SseSession() {
  if (subscribed_) {
    hub_.remove(shard_, this, symbols_, positions_);
    hub_.detach(shard_, this);
    metrics_.connections->add(-1);
  }
}

void SseSession::start() {
  asio::dispatch(out_.stream().get_executor(), [self = shared_from_this()] { self->on_start(); });
}

void SseSession::on_start() {
  shard_ = hub_.shard_index(out_.stream().get_executor());
  out_.start(weak_from_this());
  out_.quotes().resize(symbols_.size());
  out_.hold_quotes(true);  // until the snapshot is out
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
  for (const auto& f : snap.frames) out_.offer(slot_of.at(f->quote.symbol), f);
  // A resume sends only what changed; a fresh stream waits for symbols with no quote yet.
  if (!snap.resumed) {
    missing_ = static_cast<std::uint32_t>(symbols_.size() - snap.frames.size());
  }
  // Symbols the upstream does not carry are not waited for; their statuses follow the snapshot.
  for (const auto& st : snap.unavailable) {
    const auto slot = slot_of.at(st->symbol);
    if (early_statuses_.note(st, slot, out_.quotes().has_frame(slot)) && missing_ > 0) --missing_;
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
  out_.push(os.str() + sse::retry(config_.retry_ms));
  if (missing_ == 0) send_snapshot();
  out_.flush();
  do_read();
}

void SseSession::send_snapshot() {
  std::vector<FramePtr> frames;
  out_.take_in_slot_order(frames);
  std::vector<std::string_view> quotes;
  quotes.reserve(frames.size());
  for (const auto& f : frames) {
    quotes.push_back(f->json());
    snapshot_event_ = std::max(snapshot_event_, f->event_id);
  }
  std::string event;
  sse::append_event(event, "snapshot", EventId{hub_.epoch(), snapshot_event_}.str(),
                    encode_snapshot(quotes, std::exchange(unknown_, {}),
                                    static_cast<unsigned>(hub_.heartbeat().count())));
  snapshot_sent_ = true;
  out_.hold_quotes(false);
  const auto early = early_statuses_.take();
  if (!out_.push(std::move(event))) return;
  for (const auto& st : early) {
    if (!out_.push(st->sse)) return;
  }
  send_status();
}

void SseSession::notify_symbol_status(const StatusPtr& status, std::uint32_t slot) {
  if (out_.closed() || out_.draining()) return;
  if (snapshot_sent_) {
    if (out_.push(status->sse)) out_.flush();
    return;
  }
  if (early_statuses_.note(status, slot, out_.quotes().has_frame(slot)) && missing_ > 0) {
    --missing_;
  }
  if (missing_ == 0) {
    send_snapshot();
    out_.flush();
  }
}

void SseSession::send_status() {
  if (!status_pending_ || !snapshot_sent_) return;
  out_.push(std::exchange(status_pending_, nullptr)->sse);
}

void SseSession::do_read() {
  // Clients send nothing after the request; a read completes on close (or junk, discarded), so a
  // client that went away is noticed without waiting for the next write.
  out_.stream().async_read_some(
      asio::buffer(read_buf_),
      lasting_read([self = shared_from_this()](boost::system::error_code ec, std::size_t) {
        if (ec) return self->out_.close();
        self->do_read();
      }));
}

bool SseSession::deliver(const FramePtr& frame, std::uint32_t slot) {
  if (out_.closed()) return false;
  std::uint64_t skipped = 0;
  const auto result = out_.offer(slot, frame, &skipped);
  if (result == ConflationQueue::Offer::stale || out_.closed()) return false;
  if (!snapshot_sent_) {
    // Still assembling the snapshot: it takes the newest quote; nothing was conflated. A slot
    // excused as unavailable was already counted.
    if (result == ConflationQueue::Offer::queued && !early_statuses_.excused(slot) &&
        --missing_ == 0) {
      send_snapshot();
      out_.flush();
    }
    return false;
  }
  if (result == ConflationQueue::Offer::conflated) metrics_.conflated->inc();
  if (skipped) metrics_.missed->inc(skipped);
  if (out_.writing() || flush_asked_) return false;  // goes out with the write already due
  flush_asked_ = true;
  return true;
}

void SseSession::flush() {
  flush_asked_ = false;
  out_.flush();
}

void SseSession::on_tick(std::chrono::steady_clock::time_point now, bool heartbeat) {
  if (out_.closed()) return;
  out_.on_tick(now);
  if (expires_at_ != 0 && unix_micros_now() / 1'000'000 >= expires_at_ && !out_.draining()) {
    if (!snapshot_sent_) send_snapshot();
    out_.hold_quotes(true);  // nothing after the last word
    out_.push(expired_status()->sse);
    out_.drain();
    return;
  }
  if (!snapshot_sent_) {
    if (now >= snapshot_deadline_) {
      send_snapshot();  // with what it has: the symbols still missing follow as quotes
      out_.flush();
    }
    return;
  }
  if (heartbeat && out_.idle()) {
    out_.push(kHeartbeat);
    out_.flush();
  }
}

void SseSession::drain() {
  if (out_.closed()) return;
  if (!snapshot_sent_) send_snapshot();
  out_.drain();
}

void SseSession::set_table_position(std::uint32_t slot, std::uint32_t position) {
  positions_[slot] = position;
}

void SseSession::notify_status(const StatusPtr& status) {
  if (out_.closed()) return;
  status_pending_ = status;
  if (!snapshot_sent_) return;  // goes out right after it
  send_status();
  out_.flush();
}

}  // namespace tickwire::stream
