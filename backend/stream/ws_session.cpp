#include "stream/ws_session.hpp"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "stream/event_id.hpp"
#include "tickwire/clock.hpp"
#include "tickwire/symbol.hpp"

namespace tickwire::stream {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;

namespace {
constexpr std::size_t kHardMessageLimit = 1 << 20;  // beyond: Beast closes with 1009
}

WsSession::WsSession(asio::ip::tcp::socket&& socket, net::Request upgrade, StreamHub& hub,
                     StreamMetrics& metrics, net::ErrorReplies& errors, Configuration config,
                     SymbolLimits limits, std::vector<std::string> initial_symbols,
                     std::string last_event_id)
    : ws_(std::move(socket)),
      upgrade_(std::move(upgrade)),
      hub_(hub),
      metrics_(metrics),
      errors_(errors),
      config_(config),
      limits_(std::move(limits)),
      initial_(std::move(initial_symbols)),
      resume_from_(std::move(last_event_id)) {}

WsSession::~WsSession() {
  if (!attached_) return;
  std::vector<std::string> symbols;
  std::vector<std::uint32_t> positions;
  for (const auto& s : slots_) {
    if (!s.active) continue;
    symbols.push_back(s.symbol);
    positions.push_back(s.position);
  }
  hub_.remove(shard_, this, symbols, positions);
  hub_.detach(shard_, this);
  metrics_.connections->add(-1);
}

void WsSession::start() {
  asio::dispatch(ws_.get_executor(), [self = shared_from_this()] {
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::seconds(10);
    t.idle_timeout = self->config_.idle_timeout;
    t.keep_alive_pings = true;
    self->ws_.set_option(t);
    self->ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(net::http::field::server, "tickwire"); }));
    self->ws_.read_message_max(kHardMessageLimit);
    self->ws_.async_accept(self->upgrade_, beast::bind_front_handler(&WsSession::on_accept, self));
  });
}

void WsSession::on_accept(beast::error_code ec) {
  upgrade_ = {};
  if (ec) return;  // a failed handshake: nothing was subscribed
  shard_ = hub_.shard_index(ws_.get_executor());
  hub_.attach(shard_, this);
  attached_ = true;
  metrics_.connections->add(1);
  if (!initial_.empty()) subscribe(std::exchange(initial_, {}), resume_from_);
  if (auto st = hub_.status(); st && !st->live) notify_status(st);
  do_read();
}

void WsSession::do_read() {
  // In small pieces: a whole-message read reserves a frame's worth (1.5 KiB) on every idle
  // connection. The message is handled once complete; Beast still enforces read_message_max.
  constexpr std::size_t kReadChunk = 256;
  ws_.async_read_some(read_buffer_, kReadChunk,
                      beast::bind_front_handler(&WsSession::on_read, shared_from_this()));
}

void WsSession::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    if (ec == websocket::error::message_too_big) {
      // Over the hard limit Beast refuses to buffer it and closes with 1009; count it.
      errors_.count("message_too_large");
    }
    return close(websocket::close_code::none);
  }
  if (!ws_.is_message_done()) return do_read();
  const std::string text = beast::buffers_to_string(read_buffer_.data());
  read_buffer_.clear();
  read_buffer_.shrink_to_fit();
  if (!ws_.got_text()) {
    client_error("bad_message", "send text messages with JSON");
  } else if (text.size() > config_.max_message_bytes) {
    client_error("message_too_large",
                 "messages are limited to " + std::to_string(config_.max_message_bytes) + " bytes");
  } else {
    handle(text);
  }
  if (!closed_) do_read();
}

void WsSession::handle(std::string_view text) {
  boost::system::error_code ec;
  const auto v = json::parse(text, ec);
  const auto* o = !ec ? v.if_object() : nullptr;
  const auto* action = o ? o->if_contains("action") : nullptr;
  const auto* list = o ? o->if_contains("symbols") : nullptr;
  if (!action || !action->is_string() || !list || !list->is_array()) {
    return client_error("bad_message",
                        R"(expected {"action":"subscribe"|"unsubscribe","symbols":[...]})");
  }
  std::vector<std::string> symbols;
  for (const auto& item : list->get_array()) {
    if (!item.is_string() || !is_valid_symbol(item.get_string())) {
      const auto shown = item.is_string() ? std::string(item.get_string()).substr(0, 32)
                                          : json::serialize(item).substr(0, 32);
      return client_error("bad_symbol", "invalid symbol " + shown);
    }
    symbols.emplace_back(item.get_string());
  }
  if (action->get_string() == "subscribe") return subscribe(symbols);
  if (action->get_string() == "unsubscribe") return unsubscribe(symbols);
  client_error("bad_message", "action must be subscribe or unsubscribe");
}

void WsSession::subscribe(const std::vector<std::string>& requested,
                          const std::string& resume_from) {
  std::vector<std::string> added;
  for (const auto& s : requested) {
    if (slot_of_.contains(s) || std::find(added.begin(), added.end(), s) != added.end()) continue;
    if (limits_.is_listed && !limits_.is_listed(s)) {
      return client_error("unknown_symbol", "symbol '" + s + "' is not listed (see /v1/symbols)");
    }
    added.push_back(s);
  }
  if (slot_of_.size() + added.size() > limits_.max_symbols) {
    return client_error("too_many_symbols", "at most " + std::to_string(limits_.max_symbols) +
                                                " symbols per connection");
  }
  std::vector<std::uint32_t> slots;
  for (const auto& s : added) {
    std::uint32_t slot;
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
      queue_.resize(slots_.size());
    }
    slots_[slot] = Slot{s, 0, true};
    slot_of_[s] = slot;
    slots.push_back(slot);
  }
  // Into the table first, then read the latest: see SseSession::on_start.
  const auto positions = hub_.add(shard_, this, added, slots);
  for (std::size_t i = 0; i < slots.size(); ++i) slots_[slots[i]].position = positions[i];
  const auto snap = hub_.snapshot(added, resume_from);
  for (const auto& f : snap.frames) queue_.offer(slot_of_.at(f->quote.symbol), f);
  snapshot_slots_.insert(snapshot_slots_.end(), slots.begin(), slots.end());
  snapshot_deadline_ = std::chrono::steady_clock::now() + config_.snapshot_wait;
  // A resume sends only what changed: the unchanged symbols will not be waited for.
  maybe_send_snapshot(snap.resumed);
}

void WsSession::maybe_send_snapshot(bool deadline_passed) {
  if (snapshot_slots_.empty()) return;
  const bool complete = std::all_of(snapshot_slots_.begin(), snapshot_slots_.end(),
                                    [this](std::uint32_t s) { return queue_.has_frame(s); });
  if (!complete && !deadline_passed && !draining_) return;
  std::uint64_t event = 0;
  std::string quotes;
  for (const auto slot : snapshot_slots_) {
    if (auto f = queue_.take_slot(slot)) {
      if (!quotes.empty()) quotes += ',';
      quotes += f->json;
      event = std::max(event, f->event_id);
    }
  }
  snapshot_slots_.clear();
  json::array symbols;
  for (const auto& s : current_symbols()) symbols.emplace_back(s);
  send_owned(R"({"type":"snapshot","id":")" + EventId{hub_.epoch(), event}.str() +
             R"(","symbols":)" + json::serialize(symbols) + R"(,"quotes":[)" + quotes + "]}");
}

void WsSession::unsubscribe(const std::vector<std::string>& requested) {
  std::vector<std::string> removed;
  std::vector<std::uint32_t> positions;
  for (const auto& s : requested) {
    const auto it = slot_of_.find(s);
    if (it == slot_of_.end()) continue;
    const auto slot = it->second;
    removed.push_back(s);
    positions.push_back(slots_[slot].position);
    slots_[slot].active = false;
    queue_.reset_slot(slot);
    std::erase(snapshot_slots_, slot);
    free_slots_.push_back(slot);
    slot_of_.erase(it);
  }
  hub_.remove(shard_, this, removed, positions);
  json::array gone, remaining;
  for (const auto& s : removed) gone.emplace_back(s);
  for (const auto& s : current_symbols()) remaining.emplace_back(s);
  send_owned(json::serialize(json::object{
      {"type", "unsubscribed"}, {"symbols", std::move(gone)}, {"remaining", std::move(remaining)}}));
}

std::vector<std::string> WsSession::current_symbols() const {
  std::vector<std::string> out;
  for (const auto& s : slots_) {
    if (s.active) out.push_back(s.symbol);
  }
  return out;
}

void WsSession::client_error(std::string_view reason, std::string_view detail) {
  // Counted with the HTTP rejections (same reasons), answered on the socket.
  errors_.count(reason);
  send_owned(json::serialize(json::object{{"type", "error"}, {"error", reason}, {"detail", detail}}));
  if (++client_errors_ > config_.max_errors) {
    spdlog::debug("ws: closing a client after {} errors", client_errors_);
    close(websocket::close_code::policy_error);
  }
}

void WsSession::notify_status(const StatusPtr& status) {
  if (closed_) return;
  send_owned(status->ws);  // rare (the cache tier went away or came back): no need to share
}

void WsSession::send_owned(std::string message) {
  owned_.push_back(std::move(message));
  do_write();
}

bool WsSession::deliver(const FramePtr& frame, std::uint32_t slot) {
  if (closed_ || slot >= slots_.size() || !slots_[slot].active) return false;
  std::uint64_t skipped = 0;
  const auto result = queue_.offer(slot, frame, &skipped);
  if (result == ConflationQueue::Offer::stale) return false;
  // A slot whose snapshot is still being assembled takes the newest quote: nothing is missed.
  if (std::find(snapshot_slots_.begin(), snapshot_slots_.end(), slot) == snapshot_slots_.end()) {
    if (result == ConflationQueue::Offer::conflated) metrics_.conflated->inc();
    if (skipped) metrics_.missed->inc(skipped);
  }
  if (!snapshot_slots_.empty()) {
    maybe_send_snapshot(false);  // quotes wait for it
    return false;
  }
  if (writing_ || flush_asked_) return false;  // goes out after the write in flight
  flush_asked_ = true;
  return true;
}

void WsSession::flush() {
  flush_asked_ = false;
  do_write();
}

void WsSession::on_tick(std::chrono::steady_clock::time_point now, bool) {
  if (closed_) return;
  if (!snapshot_slots_.empty() && now >= snapshot_deadline_) maybe_send_snapshot(true);
  if (writing_ && now - write_started_ > config_.write_timeout) {
    metrics_.slow_disconnects->inc();
    close(websocket::close_code::none);
  }
}

void WsSession::drain() {
  draining_ = true;
  maybe_send_snapshot(true);
  do_write();
}

void WsSession::set_table_position(std::uint32_t slot, std::uint32_t position) {
  slots_[slot].position = position;
}

void WsSession::do_write() {
  if (writing_ || closed_ || !attached_) return;
  if (!owned_.empty()) {
    writing_owned_ = std::move(owned_.front());
    owned_.erase(owned_.begin());  // a handful at most: acks, errors, a snapshot
    writing_ = true;
    write_started_ = std::chrono::steady_clock::now();
    ws_.text(true);
    ws_.async_write(asio::buffer(writing_owned_),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->writing_owned_.clear();
                      self->on_write(ec);
                    });
    return;
  }
  if (inflight_next_ >= inflight_.size()) {
    inflight_.clear();
    inflight_next_ = 0;
    if (snapshot_slots_.empty()) queue_.take_batch(inflight_);
  }
  if (inflight_.empty()) {
    if (draining_) {
      closed_ = true;
      ws_.async_close(websocket::close_code::going_away,
                      [self = shared_from_this()](beast::error_code) {});
    }
    return;
  }
  // One message per quote, from the buffer the hub encoded once for every client.
  const bool measure = inflight_[inflight_next_].follows;
  const auto& frame = inflight_[inflight_next_++].frame;
  writing_ = true;
  write_started_ = std::chrono::steady_clock::now();
  ws_.text(true);
  ws_.async_write(asio::buffer(frame->ws),
                  [self = shared_from_this(), frame, measure](beast::error_code ec, std::size_t) {
                    if (!ec) {
                      self->metrics_.sent->inc();
                      if (self->metrics_.latency && measure) {
                        self->metrics_.latency->observe(
                            static_cast<double>(unix_micros_now() - frame->quote.ts) / 1e6);
                      }
                    }
                    self->on_write(ec);
                  });
}

void WsSession::on_write(beast::error_code ec) {
  writing_ = false;
  if (closed_) {
    const auto code = std::exchange(close_after_write_, websocket::close_code::none);
    if (!ec && code != websocket::close_code::none) {
      ws_.async_close(code, [self = shared_from_this()](beast::error_code) {});
    }
    return;
  }
  if (ec) return close(websocket::close_code::none);
  metrics_.writes->inc();
  do_write();
}

void WsSession::close(websocket::close_code code) {
  if (closed_) return;
  closed_ = true;
  if (code != websocket::close_code::none) {
    if (writing_) {
      close_after_write_ = code;  // Beast allows one write at a time: after this one
    } else {
      ws_.async_close(code, [self = shared_from_this()](beast::error_code) {});
    }
    return;
  }
  beast::error_code ec;
  ws_.next_layer().close(ec);
}

}  // namespace tickwire::stream
