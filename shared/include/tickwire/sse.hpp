// Server-Sent Events framing (WHATWG HTML, "Server-sent events"): an encoder for servers and an
// incremental parser for clients. Used by the backend (serving and the upstream client), the
// desktop app and the tests, so every side frames and reads events the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tickwire::sse {

// Appends one event. Multi-line data becomes several `data:` lines (any of CRLF, CR, LF split
// it), so the parser gives back exactly `data`. `type` and `id` must not contain line breaks.
void append_event(std::string& out, std::string_view type, std::string_view id,
                  std::string_view data);
std::string event(std::string_view type, std::string_view id, std::string_view data);
// `: text\n\n` — ignored by clients; keeps idle connections and proxies alive.
std::string comment(std::string_view text);
// `retry: ms\n\n` — the client's reconnection delay.
std::string retry(std::uint32_t milliseconds);

struct Event {
  std::string_view type;  // "message" when the stream named none
  std::string_view data;  // without the final line feed
  std::string_view id;    // the stream's last event ID at dispatch time (may be empty)
};

// Incremental parser. feed() takes any slice of the byte stream: events split at any byte
// (including between CR and LF, or inside the leading BOM) come out the same as whole ones.
class Parser {
 public:
  using EventHandler = std::function<void(const Event&)>;
  using CommentHandler = std::function<void(std::string_view)>;

  // A line or an event's data larger than max_bytes puts the parser into a failed state (a
  // misbehaving server must not grow our memory without bound).
  explicit Parser(EventHandler on_event, std::size_t max_bytes = 1 << 20);

  void on_comment(CommentHandler h) { on_comment_ = std::move(h); }

  // Returns false once the parser has failed; later input is ignored.
  bool feed(std::string_view bytes);

  bool failed() const noexcept { return failed_; }
  const std::string& last_event_id() const noexcept { return last_event_id_; }
  // The last valid `retry:` value seen, in milliseconds.
  std::optional<std::uint64_t> retry_ms() const noexcept { return retry_ms_; }

  // Start of a new connection: the line/event buffers and the BOM check reset, while the last
  // event ID is kept (EventSource sends it back as Last-Event-ID on reconnect).
  void reset_stream();
  // Forget the last event ID too (a client that wants a fresh start, not a resume).
  void clear_last_event_id() { last_event_id_.clear(); }

 private:
  void process_line(std::string_view line);
  void dispatch();

  EventHandler on_event_;
  CommentHandler on_comment_;
  std::size_t max_bytes_;
  std::string line_;
  std::string data_;
  std::string type_;
  std::string last_event_id_;
  std::optional<std::uint64_t> retry_ms_;
  std::size_t bom_matched_ = 0;  // bytes of a leading UTF-8 BOM seen so far
  bool at_stream_start_ = true;
  bool skip_lf_ = false;  // previous chunk ended in CR: a leading LF belongs to it
  bool failed_ = false;
};

}  // namespace tickwire::sse
