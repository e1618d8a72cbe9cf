#include "stream/ws_session.hpp"

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "stream/event_id.hpp"
#include "stream/lasting_read.hpp"
#include "tickwire/clock.hpp"
#include "tickwire/symbol.hpp"

namespace tickwire::stream {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;

namespace {
constexpr std::size_t kHardMessageLimit = 1 << 20;  // beyond: closed with 1009, not read
}

WsSession::WsSession(net::ClientStream&& stream, net::Request upgrade,
                     beast::flat_buffer&& early, StreamHub& hub, StreamMetrics& metrics,
                     net::ErrorReplies& errors, const Configuration& config, SymbolLimits limits,
                     std::vector<std::string> initial_symbols, std::string last_event_id,
                     net::ConnectionLimits::Ticket ticket, std::shared_ptr<const Access> access,
                     const Authorizer* authorizer, std::vector<std::string> initial_unknown)
    : opening_(std::make_unique<Opening>(Opening{
          decltype(Opening::ws)(std::move(stream)), std::move(upgrade), std::move(early),
          std::move(initial_symbols), std::move(last_event_id), std::move(initial_unknown)})),
      out_(net::ClientStream(opening_->ws.get_executor()), Outbox::Wire::websocket, metrics,
           config.outbox),
      reader_(config.max_message_bytes, kHardMessageLimit),
      hub_(hub),
      metrics_(metrics),
      errors_(errors),
      config_(config),
      limits_(std::move(limits)),
      ticket_(std::move(ticket)),
      access_(std::move(access)),
      authorizer_(authorizer) {}

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
  asio::dispatch(opening_->ws.get_executor(), [self = shared_from_this()] {
    auto& ws = self->opening_->ws;
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::seconds(10);
    t.idle_timeout = websocket::stream_base::none();
    t.keep_alive_pings = false;
    ws.set_option(t);
    ws.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(net::http::field::server, "tickwire"); }));
    ws.async_accept(self->opening_->upgrade,
                    beast::bind_front_handler(&WsSession::on_accept, self));
  });
}

void WsSession::on_accept(beast::error_code ec) {
  if (ec) return;  // a failed handshake: nothing was subscribed
  // From here on the socket is the outbox's; Beast's stream (and its buffers) go.
  const auto opening = std::move(opening_);
  out_.stream() = std::move(opening->ws.next_layer());
  out_.start(weak_from_this());
  shard_ = hub_.shard_index(out_.stream().get_executor());
  hub_.attach(shard_, this);
  attached_ = true;
  metrics_.connections->add(1);
  last_heard_ = std::chrono::steady_clock::now();
  if (!opening->initial.empty()) subscribe(opening->initial, opening->resume_from);
  if (!opening->unknown.empty()) refuse_unknown(opening->unknown);
  if (auto st = hub_.status(); st && !st->live) notify_status(st);
  if (opening->early.size() > 0) consume(beast::buffers_to_string(opening->early.data()));
  if (!out_.closed()) do_read();
}

void WsSession::do_read() {
  out_.stream().async_read_some(
      asio::buffer(read_buf_),
      lasting_read(beast::bind_front_handler(&WsSession::on_read, shared_from_this())));
}

void WsSession::on_read(boost::system::error_code ec, std::size_t bytes) {
  if (ec) return out_.close();
  last_heard_ = std::chrono::steady_clock::now();
  ping_sent_ = false;
  consume(std::string_view(read_buf_, bytes));
  if (!out_.closed()) do_read();
}

void WsSession::consume(std::string_view data) {
  while (!data.empty() && !closing_ && !out_.closed()) {
    ws::FrameReader::Event ev;
    const auto used = reader_.feed(data, ev);
    data.remove_prefix(used);
    if (ev.kind != ws::FrameReader::Kind::none) on_frame(ev);
    if (used == 0) break;
  }
}

void WsSession::on_frame(const ws::FrameReader::Event& ev) {
  using Kind = ws::FrameReader::Kind;
  switch (ev.kind) {
    case Kind::text:
      return handle(ev.payload);
    case Kind::binary:
      return client_error("bad_message", "send text messages with JSON");
    case Kind::too_large:
      return client_error("message_too_large", "messages are limited to " +
                                                   std::to_string(config_.max_message_bytes) +
                                                   " bytes");
    case Kind::ping:
      out_.push(ws::frame(ws::Opcode::pong, ev.payload));
      return out_.flush();
    case Kind::pong:
      return;
    case Kind::close:
      // Answer the client's close (echoing its code) and end the connection.
      return close_with(ev.code == 1005 ? 1000 : ev.code, {});
    case Kind::error:
      errors_.count(ev.code == ws::kMessageTooBig ? "message_too_large" : "protocol_error");
      spdlog::debug("ws: closing a client that broke the protocol: {}", ev.payload);
      return close_with(ev.code, ev.payload);
    case Kind::none:
      return;
  }
}

void WsSession::handle(std::string_view text) {
  boost::system::error_code ec;
  const auto v = json::parse(text, ec);
  const auto* o = !ec ? v.if_object() : nullptr;
  const auto* action = o ? o->if_contains("action") : nullptr;
  if (action && action->is_string() && action->get_string() == "refresh") {
    const auto* token = o->if_contains("token");
    if (!token || !token->is_string()) {
      return client_error("bad_message", R"(expected {"action":"refresh","token":"..."})");
    }
    return refresh(token->get_string());
  }
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
  std::vector<std::string> added, unknown;
  for (const auto& s : requested) {
    if (find_slot(s) || std::find(added.begin(), added.end(), s) != added.end()) continue;
    if (limits_.is_listed && !limits_.is_listed(s)) {
      // One unknown symbol never stops the others: they are subscribed, it is named after.
      if (std::find(unknown.begin(), unknown.end(), s) == unknown.end()) unknown.push_back(s);
      continue;
    }
    added.push_back(s);
  }
  subscribe_listed(std::move(added), resume_from);
  if (!unknown.empty() && !closing_ && !out_.closed()) refuse_unknown(unknown);
}

void WsSession::refuse_unknown(const std::vector<std::string>& unknown) {
  client_error("unknown_symbol",
               unknown.size() == 1 ? "symbol '" + unknown.front() + "' is not listed (see /v1/symbols)"
                                   : "these symbols are not listed (see /v1/symbols)",
               unknown);
}

void WsSession::subscribe_listed(std::vector<std::string> added, const std::string& resume_from) {
  if (added.empty()) return;
  if (access_) {
    if (auto refused = access_->refused(added); !refused.empty()) {
      return client_error("forbidden", "your token does not cover these symbols", refused);
    }
  }
  if (by_symbol_.size() + added.size() > limits_.max_symbols) {
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
      out_.quotes().resize(slots_.size());
    }
    slots_[slot] = Slot{s, 0, true};
    const auto at = std::lower_bound(
        by_symbol_.begin(), by_symbol_.end(), s,
        [this](std::uint32_t i, const std::string& x) { return slots_[i].symbol < x; });
    by_symbol_.insert(at, slot);
    slots.push_back(slot);
  }
  // Into the table first, then read the latest: see SseSession::on_start.
  const auto positions = hub_.add(shard_, this, added, slots);
  for (std::size_t i = 0; i < slots.size(); ++i) slots_[slots[i]].position = positions[i];
  const auto snap = hub_.snapshot(added, resume_from);
  for (const auto& f : snap.frames) out_.offer(*find_slot(f->quote.symbol), f);
  // Symbols the upstream does not carry are not waited for; their statuses follow the snapshot.
  for (const auto& st : snap.unavailable) {
    const auto slot = *find_slot(st->symbol);
    early_statuses_.note(st, slot, out_.quotes().has_frame(slot));
  }
  snapshot_slots_.insert(snapshot_slots_.end(), slots.begin(), slots.end());
  out_.hold_quotes(true);  // quotes wait for the snapshot
  snapshot_deadline_ = std::chrono::steady_clock::now() + config_.snapshot_wait;
  // A resume sends only what changed: the unchanged symbols will not be waited for.
  maybe_send_snapshot(snap.resumed);
}

void WsSession::maybe_send_snapshot(bool deadline_passed) {
  if (snapshot_slots_.empty() || out_.closed()) return;
  const bool complete =
      std::all_of(snapshot_slots_.begin(), snapshot_slots_.end(), [this](std::uint32_t s) {
        return out_.quotes().has_frame(s) || early_statuses_.excused(s);
      });
  if (!complete && !deadline_passed) return;
  std::uint64_t event = 0;
  std::string quotes;
  for (const auto slot : snapshot_slots_) {
    if (auto f = out_.take_slot(slot)) {
      if (!quotes.empty()) quotes += ',';
      quotes += f->json();
      event = std::max(event, f->event_id);
    }
  }
  std::vector<std::uint32_t>().swap(snapshot_slots_);  // no memory kept between subscribes
  out_.hold_quotes(false);
  json::array symbols;
  for (const auto& s : current_symbols()) symbols.emplace_back(s);
  send(R"({"type":"snapshot","id":")" + EventId{hub_.epoch(), event}.str() + R"(","symbols":)" +
       json::serialize(symbols) + R"(,"quotes":[)" + quotes + "]}");
  const auto early = early_statuses_.take();
  for (const auto& st : early) {
    if (!out_.push(st->ws)) return;
  }
  if (!early.empty()) out_.flush();
}

void WsSession::unsubscribe(const std::vector<std::string>& requested) {
  std::vector<std::string> removed, unknown;
  std::vector<std::uint32_t> positions;
  for (const auto& s : requested) {
    const auto* found = find_slot(s);
    if (!found) {
      unknown.push_back(s);
      continue;
    }
    const auto slot = *found;
    removed.push_back(s);
    positions.push_back(slots_[slot].position);
    slots_[slot].active = false;
    out_.reset_slot(slot);
    std::erase(snapshot_slots_, slot);
    early_statuses_.forget(slot);
    free_slots_.push_back(slot);
    by_symbol_.erase(by_symbol_.begin() + (found - by_symbol_.data()));
  }
  if (snapshot_slots_.empty()) out_.hold_quotes(false);
  if (!removed.empty()) {
    hub_.remove(shard_, this, removed, positions);
    json::array gone, remaining;
    for (const auto& s : removed) gone.emplace_back(s);
    for (const auto& s : current_symbols()) remaining.emplace_back(s);
    send(json::serialize(json::object{{"type", "unsubscribed"},
                                      {"symbols", std::move(gone)},
                                      {"remaining", std::move(remaining)}}));
  }
  if (!unknown.empty()) {
    // Acknowledging a no-op is work a client could make the server do for nothing: an error.
    std::string list;
    for (const auto& s : unknown) list += (list.empty() ? "" : ",") + s;
    client_error("not_subscribed", "not subscribed to " + list.substr(0, 64));
  }
}

const std::uint32_t* WsSession::find_slot(std::string_view symbol) const {
  const auto at = std::lower_bound(
      by_symbol_.begin(), by_symbol_.end(), symbol,
      [this](std::uint32_t i, std::string_view x) { return slots_[i].symbol < x; });
  return at != by_symbol_.end() && slots_[*at].symbol == symbol ? &*at : nullptr;
}

std::vector<std::string> WsSession::current_symbols() const {
  std::vector<std::string> out;
  for (const auto& s : slots_) {
    if (s.active) out.push_back(s.symbol);
  }
  return out;
}

void WsSession::refresh(std::string_view token) {
  if (!authorizer_ || !access_) {
    return client_error("bad_message", "this server does not use tokens: nothing to refresh");
  }
  auto result = authorizer_->authorize(token);
  if (auto* refusal = std::get_if<Authorizer::Refusal>(&result)) {
    return client_error(refusal->code, refusal->detail);  // the old token still holds until exp
  }
  auto next = std::make_shared<Access>(std::get<Access>(std::move(result)));
  if (next->subject != access_->subject) {
    return client_error("token_invalid", "a refresh token must be for the same subject");
  }
  if (auto lost = next->refused(current_symbols()); !lost.empty()) {
    return client_error("forbidden",
                        "the new token does not cover symbols you follow: unsubscribe first",
                        lost);
  }
  access_ = std::move(next);
  send(json::serialize(json::object{{"type", "refreshed"}, {"exp", access_->expires_at}}));
}

void WsSession::client_error(std::string_view reason, std::string_view detail,
                             const std::vector<std::string>& symbols) {
  // Counted with the HTTP rejections (same reasons), answered on the socket.
  errors_.count(reason);
  json::object msg{{"type", "error"}, {"error", reason}, {"detail", detail}};
  if (!symbols.empty()) {
    json::array list;
    for (const auto& s : symbols) list.emplace_back(s);
    msg.emplace("symbols", std::move(list));
  }
  send(json::serialize(msg));
  if (++client_errors_ > config_.max_errors && !closing_) {
    spdlog::debug("ws: closing a client after {} errors", client_errors_);
    metrics_.error_disconnects->inc();
    close_with(ws::kPolicyViolation, "too many errors");
  }
}

void WsSession::send(std::string_view json) {
  if (closing_) return;
  if (out_.push(ws::frame(ws::Opcode::text, json))) out_.flush();
}

void WsSession::close_with(std::uint16_t code, std::string_view reason) {
  if (closing_) return;
  closing_ = true;
  closing_since_ = std::chrono::steady_clock::now();
  out_.hold_quotes(true);  // nothing may follow the close frame
  out_.drain(ws::close_frame(code, reason));
}

void WsSession::notify_status(const StatusPtr& status) {
  if (closing_ || out_.closed()) return;
  if (out_.push(status->ws)) out_.flush();  // rare (the cache tier went away or came back)
}

void WsSession::notify_symbol_status(const StatusPtr& status, std::uint32_t slot) {
  if (closing_ || out_.closed() || slot >= slots_.size() || !slots_[slot].active) return;
  if (std::find(snapshot_slots_.begin(), snapshot_slots_.end(), slot) != snapshot_slots_.end()) {
    early_statuses_.note(status, slot, out_.quotes().has_frame(slot));
    return maybe_send_snapshot(false);
  }
  if (out_.push(status->ws)) out_.flush();
}

bool WsSession::deliver(const FramePtr& frame, std::uint32_t slot) {
  if (closing_ || slot >= slots_.size() || !slots_[slot].active) return false;
  std::uint64_t skipped = 0;
  const auto result = out_.offer(slot, frame, &skipped);
  if (result == ConflationQueue::Offer::stale || out_.closed()) return false;
  // A slot whose snapshot is still being assembled takes the newest quote: nothing is missed.
  if (std::find(snapshot_slots_.begin(), snapshot_slots_.end(), slot) == snapshot_slots_.end()) {
    if (result == ConflationQueue::Offer::conflated) metrics_.conflated->inc();
    if (skipped) metrics_.missed->inc(skipped);
  }
  if (!snapshot_slots_.empty()) {
    maybe_send_snapshot(false);  // quotes wait for it
    return false;
  }
  if (out_.writing() || flush_asked_) return false;  // goes out after the write in flight
  flush_asked_ = true;
  return true;
}

void WsSession::flush() {
  flush_asked_ = false;
  out_.flush();
}

void WsSession::on_tick(std::chrono::steady_clock::time_point now, bool) {
  if (out_.closed()) return;
  out_.on_tick(now);
  if (closing_ && now - closing_since_ > std::chrono::seconds(5)) {
    return out_.close();  // the peer never answered our close frame
  }
  if (out_.closed() || closing_) return;
  if (access_ && access_->expired(unix_micros_now() / 1'000'000)) {
    maybe_send_snapshot(true);
    out_.hold_quotes(true);
    if (out_.push(expired_status()->ws)) close_with(ws::kPolicyViolation, "token expired");
    return;
  }
  if (!snapshot_slots_.empty() && now >= snapshot_deadline_) maybe_send_snapshot(true);
  const auto silent = now - last_heard_;
  if (silent > config_.idle_timeout) {
    spdlog::debug("ws: closing a client silent for {} s", config_.idle_timeout.count());
    metrics_.idle_disconnects->inc();
    return out_.close();
  }
  if (!ping_sent_ && silent > config_.idle_timeout / 2) {
    ping_sent_ = true;
    if (out_.push(ws::frame(ws::Opcode::ping, {}))) out_.flush();
  }
}

void WsSession::drain() {
  if (out_.closed()) return;
  maybe_send_snapshot(true);
  if (closing_) return;
  closing_ = true;
  closing_since_ = std::chrono::steady_clock::now();
  out_.drain(ws::close_frame(ws::kGoingAway, "server shutting down"));
}

void WsSession::set_table_position(std::uint32_t slot, std::uint32_t position) {
  slots_[slot].position = position;
}

}  // namespace tickwire::stream
