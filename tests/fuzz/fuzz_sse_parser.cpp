// The incremental SSE parser (tickwire/sse.hpp) on arbitrary streams, and the encoder against it.
//
// Input: byte 0 and byte 1 pick two split points, byte 2 picks options; the rest is the stream.
// Invariants: the stream fed whole, fed in three slices and (when short) fed a byte at a time
// gives the same events, comments, retry and last id (the parser promises that events split at
// any byte come out the same); an event built by the encoder from pieces of the input parses
// back to that event (its data with line breaks as LF).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "tickwire/sse.hpp"

namespace {

struct Seen {
  std::vector<std::string> log;  // events and comments, in order
  bool failed = false;
  std::string last_id;
  std::uint64_t retry = 0;
  bool has_retry = false;

  bool operator==(const Seen&) const = default;
};

// Feeds `stream` to a fresh parser cut at the given offsets (sorted, within the stream), or a
// byte at a time when `bytewise`.
Seen run(std::string_view stream, const std::vector<std::size_t>& cuts, std::size_t max_bytes,
         bool bytewise = false) {
  Seen seen;
  tickwire::sse::Parser parser(
      [&](const tickwire::sse::Event& ev) {
        std::string line = "E";
        line.append(ev.type).append(1, '\0').append(ev.data).append(1, '\0').append(ev.id);
        seen.log.push_back(std::move(line));
      },
      max_bytes);
  parser.on_comment([&](std::string_view c) { seen.log.push_back("C" + std::string(c)); });
  if (bytewise) {
    for (std::size_t i = 0; i < stream.size(); ++i) parser.feed(stream.substr(i, 1));
  } else {
    std::size_t at = 0;
    for (const auto cut : cuts) {
      parser.feed(stream.substr(at, cut - at));
      at = cut;
    }
    parser.feed(stream.substr(at));
  }
  seen.failed = parser.failed();
  seen.last_id = parser.last_event_id();
  seen.has_retry = parser.retry_ms().has_value();
  seen.retry = parser.retry_ms().value_or(0);
  return seen;
}

std::string without(std::string_view s, std::string_view bytes) {
  std::string out;
  for (const char c : s) {
    if (bytes.find(c) == std::string_view::npos) out += c;
  }
  return out;
}

void round_trip(std::string_view text, std::uint8_t lengths) {
  // The encoder's contract: type and id without line breaks; an id with NUL is ignored by
  // every SSE reader (WHATWG), so the encoder is never given one.
  const std::string type = without(text.substr(0, lengths & 0x0F), std::string_view("\r\n", 2));
  const std::string id =
      without(text.substr(text.size() / 2, lengths >> 4), std::string_view("\r\n\0", 3));
  const std::string_view data = text;
  std::vector<std::string> copies;
  tickwire::sse::Parser parser([&](const tickwire::sse::Event& ev) {
    copies.push_back(std::string(ev.type) + '|' + std::string(ev.id) + '|' + std::string(ev.data));
  });
  FUZZ_CHECK(parser.feed(tickwire::sse::event(type, id, data)));
  FUZZ_CHECK(copies.size() == 1);
  // The data comes back with its line breaks as LF (each of CRLF, CR, LF ends a data line).
  std::string lf_data;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '\r') {
      lf_data += '\n';
      if (i + 1 < data.size() && data[i + 1] == '\n') ++i;
    } else {
      lf_data += data[i];
    }
  }
  const std::string expected =
      (type.empty() ? std::string("message") : type) + '|' + id + '|' + lf_data;
  FUZZ_CHECK(copies[0] == expected);

  // A comment and a retry go through unchanged too.
  std::string seen_comment;
  parser.on_comment([&](std::string_view c) { seen_comment = c; });
  const std::string note = without(type + id, std::string_view("\r\n", 2));
  FUZZ_CHECK(parser.feed(tickwire::sse::comment(note)));
  FUZZ_CHECK(seen_comment == " " + note);
  const std::uint32_t ms = static_cast<std::uint32_t>(text.size()) * 2654435761u;
  FUZZ_CHECK(parser.feed(tickwire::sse::retry(ms)));
  FUZZ_CHECK(parser.retry_ms() == ms);
  FUZZ_CHECK(copies.size() == 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size < 3) return 0;
  const std::string_view stream(reinterpret_cast<const char*>(bytes) + 3, size - 3);
  // Bit 0 of the options: a tiny limit, so the failed state is reached too.
  const std::size_t max_bytes = (bytes[2] & 1) ? 64 : std::size_t{1} << 20;

  const Seen whole = run(stream, {}, max_bytes);
  std::size_t a = stream.size() * bytes[0] / 255, b = stream.size() * bytes[1] / 255;
  if (a > b) std::swap(a, b);
  FUZZ_CHECK(run(stream, {a, b}, max_bytes) == whole);
  if (stream.size() <= 512) FUZZ_CHECK(run(stream, {}, max_bytes, true) == whole);
  round_trip(stream, bytes[2]);
  return 0;
}
