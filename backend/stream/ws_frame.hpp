// WebSocket framing (RFC 6455, section 5) for the server side of /v1/ws, after Beast has done the
// opening handshake.
//
// Why not Beast's websocket::stream for the messages too: it frames every message per connection
// and owns every write to the socket (pongs, pings and close frames included), so a quote framed
// once could not be shared by every connection and gathered with others into one write from the
// connection's Outbox; it also keeps a 1.5 KB read buffer and a 4 KB write buffer per
// connection, more than the whole budget of an idle one. Server frames need no masking, so the
// writer is a header; the reader below is the receiving half of section 5.2 and nothing more (no
// extensions are negotiated, so RSV bits must be zero).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tickwire::stream::ws {

enum class Opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA,
};

// Close codes this server sends (RFC 6455, 7.4.1).
inline constexpr std::uint16_t kGoingAway = 1001;
inline constexpr std::uint16_t kProtocolError = 1002;
inline constexpr std::uint16_t kPolicyViolation = 1008;
inline constexpr std::uint16_t kMessageTooBig = 1009;

// Appends an unmasked, final frame header for a payload of `size` bytes.
void append_header(std::string& out, Opcode op, std::size_t size);
// One whole unmasked frame.
std::string frame(Opcode op, std::string_view payload);
// A close frame: the code, then a reason of at most 123 bytes (longer is cut).
std::string close_frame(std::uint16_t code, std::string_view reason);

// Incremental reader of the peer's frames: a server reads masked client frames (the default), a
// client (the load generator) reads unmasked server frames. Feed it whatever the socket gave; it returns one event at
// a time. A data message is returned whole once its last fragment arrived (at most
// `max_message` bytes are kept; a longer one is skipped without buffering and reported as
// too_large, and one over `hard_limit` is a fatal error). Control frames may arrive between
// fragments and are returned at once.
class FrameReader {
 public:
  enum class Kind : std::uint8_t { none, text, binary, ping, pong, close, too_large, error };
  struct Event {
    Kind kind = Kind::none;
    // text/binary/ping/pong: the payload; close: the reason; error: what was wrong. Valid until
    // the next call to feed().
    std::string_view payload;
    std::uint16_t code = 0;  // close: the peer's code (1005 when none); error: the code to send
  };

  enum class Role : std::uint8_t { server, client };
  FrameReader(std::size_t max_message, std::size_t hard_limit, Role role = Role::server)
      : max_message_(max_message), hard_limit_(hard_limit), masked_(role == Role::server) {}

  // Consumes a prefix of `data` and returns how much; `ev` is set when an event completed (then
  // call again with the rest). After an error every further call consumes nothing.
  std::size_t feed(std::string_view data, Event& ev);

  // Bytes of an unfinished message held (what an idle connection costs is this plus the object).
  std::size_t buffered() const noexcept { return message_.size(); }

 private:
  std::size_t fail(const char* why, std::uint16_t code, std::size_t consumed, Event& ev);
  void complete_frame(Event& ev);

  std::size_t max_message_;
  std::size_t hard_limit_;
  bool masked_;  // frames must carry a mask (server role) or must not (client role)

  // The frame being read.
  std::uint8_t header_[14];
  std::uint8_t header_len_ = 0;
  bool in_payload_ = false;
  bool fin_ = false;
  Opcode opcode_ = Opcode::text;
  std::uint8_t mask_[4] = {};
  std::uint8_t mask_pos_ = 0;
  std::uint64_t remaining_ = 0;  // payload bytes of this frame still to come

  // The data message being assembled (over several frames when fragmented).
  bool in_message_ = false;
  bool skipping_ = false;  // over max_message: read and dropped
  Opcode message_op_ = Opcode::text;
  std::uint64_t message_size_ = 0;
  std::string message_;
  std::string control_;  // a control frame's payload (at most 125 bytes)
  const char* error_ = nullptr;  // set once the stream broke the protocol
};

}  // namespace tickwire::stream::ws
