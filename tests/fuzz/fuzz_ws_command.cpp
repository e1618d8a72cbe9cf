// What a /v1/ws client sends after the upgrade: the bytes go through ws::FrameReader (server
// role: masked frames, RFC 6455 5.2), as WsSession::consume feeds it, and the text messages it
// returns are the commands ({"action":"subscribe","symbols":[...]} ...). The other direction
// too: FrameReader in client role (the load generator) on server frames, whose text messages
// are read with decode_ws_message (the desktop app's and the tests' reader).
//
// WsSession::handle, which reads a command's JSON, is a private member of the session and
// cannot run without a socket and a hub; what it does with the text (boost::json::parse, field
// types, is_valid_symbol) is exercised here through decode_ws_message's parse and by the other
// targets.
//
// Input: byte 0 holds options (role, message limit, where to cut the input); the rest are the
// bytes on the wire.
// Invariants: the events do not depend on how the bytes are cut; the reader never holds more
// than the message limit; after an error it consumes nothing; a message framed by ws::frame
// (masked by the client, for the server role), fragmented around a ping, reads back whole.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "stream/ws_frame.hpp"
#include "tickwire/quote_json.hpp"

namespace {

using tickwire::stream::ws::FrameReader;
using tickwire::stream::ws::Opcode;

struct Run {
  std::vector<std::string> events;  // kind, code and payload of each event, in order
  bool operator==(const Run&) const = default;
};

// Feeds `wire` in pieces of at most `piece` bytes, the way WsSession::consume does per read.
Run read_all(std::string_view wire, std::size_t piece, FrameReader::Role role,
             std::size_t max_message, std::size_t hard_limit) {
  Run run;
  FrameReader reader(max_message, hard_limit, role);
  while (!wire.empty()) {
    std::string_view chunk = wire.substr(0, piece);
    wire.remove_prefix(chunk.size());
    while (!chunk.empty()) {
      FrameReader::Event ev;
      const auto used = reader.feed(chunk, ev);
      FUZZ_CHECK(used <= chunk.size());
      FUZZ_CHECK(reader.buffered() <= max_message);
      chunk.remove_prefix(used);
      if (ev.kind != FrameReader::Kind::none) {
        std::string line(1, static_cast<char>('0' + static_cast<int>(ev.kind)));
        line += std::to_string(ev.code) + ':' + std::string(ev.payload);
        run.events.push_back(std::move(line));
        if (role == FrameReader::Role::client && ev.kind == FrameReader::Kind::text) {
          std::string why;
          (void)tickwire::decode_ws_message(ev.payload, &why);
        }
      }
      if (ev.kind == FrameReader::Kind::error) {
        // WsSession closes at the first error; the reader must stay stopped anyway.
        FrameReader::Event after;
        FUZZ_CHECK(reader.feed("\x81\x80", after) == 0 && after.kind == FrameReader::Kind::none);
        return run;
      }
      if (used == 0) break;
    }
  }
  return run;
}

// ws::frame writes unmasked (server) frames; a client masks them (RFC 6455 5.3).
std::string masked(std::string frame, const std::uint8_t key[4]) {
  const auto len7 = static_cast<std::uint8_t>(frame[1]) & 0x7F;
  const std::size_t at = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
  frame[1] = static_cast<char>(static_cast<std::uint8_t>(frame[1]) | 0x80);
  frame.insert(at, reinterpret_cast<const char*>(key), 4);
  for (std::size_t i = at + 4; i < frame.size(); ++i) {
    frame[i] = static_cast<char>(static_cast<std::uint8_t>(frame[i]) ^ key[(i - at - 4) & 3]);
  }
  return frame;
}

void round_trip(std::string_view payload, FrameReader::Role role, const std::uint8_t key[4]) {
  const bool server = role == FrameReader::Role::server;
  auto wire_of = [&](std::string frame) { return server ? masked(std::move(frame), key) : frame; };
  // Two fragments with a ping between them: a text frame without FIN, then a continuation.
  const auto half = payload.size() / 2;
  std::string first = tickwire::stream::ws::frame(Opcode::text, payload.substr(0, half));
  first[0] = static_cast<char>(static_cast<std::uint8_t>(first[0]) & 0x7F);
  const std::string wire = wire_of(first) + wire_of(tickwire::stream::ws::frame(Opcode::ping, "p")) +
                           wire_of(tickwire::stream::ws::frame(Opcode::continuation,
                                                               payload.substr(half)));
  const auto run = read_all(wire, wire.size(), role, payload.size(), payload.size() + 1);
  FUZZ_CHECK(run.events.size() == 2);
  FUZZ_CHECK(run.events[0] == std::string(1, '0' + static_cast<int>(FrameReader::Kind::ping)) +
                                  "0:p");
  FUZZ_CHECK(run.events[1] == std::string(1, '0' + static_cast<int>(FrameReader::Kind::text)) +
                                  "0:" + std::string(payload));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t options = bytes[0];
  const std::string_view wire(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  const auto role = (options & 1) ? FrameReader::Role::client : FrameReader::Role::server;
  // WsSession's limits (16 KiB, hard 1 MiB), or tiny ones so too_large and too big are reached.
  const bool tiny = options & 2;
  const std::size_t max_message = tiny ? 16 : 16 * 1024;
  const std::size_t hard_limit = tiny ? 64 : 1 << 20;

  const Run whole = read_all(wire, wire.size() + 1, role, max_message, hard_limit);
  const std::size_t piece = 1 + (options >> 2);  // 1..64 bytes per read
  FUZZ_CHECK(read_all(wire, piece, role, max_message, hard_limit) == whole);

  const std::uint8_t key[4] = {options, static_cast<std::uint8_t>(size),
                               static_cast<std::uint8_t>(size >> 8), 0x5A};
  round_trip(wire.substr(0, 70000), role, key);
  return 0;
}
