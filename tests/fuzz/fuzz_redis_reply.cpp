// Bytes from Redis as the cache tier reads them: hiredis's reader (the one redisAsyncContext
// uses) parses RESP2, each reply becomes an owned Reply (Reply::from), and then goes where the
// servers send it: read_pubsub_push (subscriber connections), quote_channel_symbol and
// from_envelope for a quote message "<seq> <ts> <json>" or read_status_payload for a symbol's
// status "!<reason>" (RedisFrontendSide::on_message); string
// replies also as a stored latest quote (HGET: from_envelope) and as the stored symbol directory
// (GET: SymbolDirectory::from_json).
//
// Input: byte 0 picks where to cut the rest, which is what the socket delivered.
// Invariants: the replies do not depend on the cut; a Reply mirrors hiredis's reply; a quote
// channel's symbol names that very channel; an envelope that reads back is written again as an
// envelope that reads back to the same fields and JSON bytes.
#include <hiredis/hiredis.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cache/redis/pubsub_message.hpp"
#include "cache/redis/redis_keys.hpp"
#include "cache/redis/redis_reply.hpp"
#include "fuzz_check.hpp"
#include "tickwire/encoded_quote.hpp"
#include "tickwire/symbol_directory.hpp"

namespace {

using namespace tickwire;
using tickwire::cache::redis::Reply;

void check_mirrors(const redisReply& r, const Reply& mine) {
  switch (r.type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      FUZZ_CHECK(mine.str == std::string_view(r.str, r.len));
      break;
    case REDIS_REPLY_INTEGER:
      FUZZ_CHECK(mine.kind == Reply::Kind::integer && mine.integer == r.integer);
      break;
    case REDIS_REPLY_ARRAY:
      FUZZ_CHECK(mine.kind == Reply::Kind::array && mine.elements.size() == r.elements);
      for (std::size_t i = 0; i < r.elements; ++i) check_mirrors(*r.element[i], mine.elements[i]);
      break;
    default:
      FUZZ_CHECK(mine.kind == Reply::Kind::nil);
  }
}

void check_envelope(std::string symbol, std::string_view payload) {
  const auto q = from_envelope(symbol, payload);
  if (!q) return;
  FUZZ_CHECK(q->symbol == symbol && q->seq != 0 && q->json);
  const auto again = from_envelope(symbol, to_envelope(*q));
  FUZZ_CHECK(again && again->seq == q->seq && again->ts == q->ts && *again->json == *q->json);
}

void handle(const Reply& reply) {
  if (const auto push = cache::redis::read_pubsub_push(reply)) {
    if (const auto symbol = cache::redis::quote_channel_symbol(push->channel)) {
      FUZZ_CHECK(cache::redis::keys::quote_channel(*symbol) == push->channel);
      if (push->kind == cache::redis::PubSubPush::Kind::message) {
        // A symbol's channel carries its status changes too: "!<reason>", never an envelope.
        if (const auto reason = cache::redis::read_status_payload(push->payload)) {
          FUZZ_CHECK(cache::redis::status_payload(*reason) == push->payload);
          FUZZ_CHECK(!from_envelope(*symbol, push->payload));
        } else {
          check_envelope(*symbol, push->payload);
        }
      }
    }
  }
  if (reply.kind == Reply::Kind::string) {
    check_envelope("AAPL", reply.str);
    std::string why;
    (void)SymbolDirectory::from_json(reply.str, &why);
  }
}

// Replies as text, to compare two readings of the same bytes.
void describe(const Reply& r, std::string& out) {
  out += static_cast<char>('0' + static_cast<int>(r.kind));
  out += std::to_string(r.integer) + ':' + std::to_string(r.str.size()) + ':' + r.str;
  out += '[';
  for (const auto& e : r.elements) describe(e, out);
  out += ']';
}

std::string read_all(std::string_view wire, std::size_t cut, bool act) {
  std::string log;
  redisReader* reader = redisReaderCreate();
  for (const auto part : {wire.substr(0, cut), wire.substr(cut)}) {
    if (redisReaderFeed(reader, part.data(), part.size()) != REDIS_OK) {
      log += "feed error";
      break;
    }
    while (true) {
      void* raw = nullptr;
      if (redisReaderGetReply(reader, &raw) != REDIS_OK) {
        log += "protocol error";
        redisReaderFree(reader);
        return log;
      }
      if (!raw) break;
      const auto* r = static_cast<const redisReply*>(raw);
      const Reply reply = Reply::from(r);
      check_mirrors(*r, reply);
      freeReplyObject(raw);
      describe(reply, log);
      if (act) handle(reply);
    }
  }
  redisReaderFree(reader);
  return log;
}

}  // namespace

// hiredis 0.14 allocates an array's element pointers as soon as it reads the count ("*N"), 8
// bytes each: "*1000000000" asks for 8 GB before any element arrived. Redis (the trusted cache
// tier) never sends that, and the fix would belong in hiredis (1.x caps it with maxelements),
// so inputs with an array count over 2^20 are left out rather than reported as out-of-memory.
bool has_huge_array_count(std::string_view wire) {
  for (auto at = wire.find('*'); at != std::string_view::npos; at = wire.find('*', at + 1)) {
    const std::size_t from = at + 1 + (at + 1 < wire.size() && wire[at + 1] == '+' ? 1 : 0);
    std::size_t digits = 0;
    std::uint64_t count = 0;
    while (from + digits < wire.size() && digits < 19) {
      const char c = wire[from + digits];
      if (c < '0' || c > '9') break;
      count = count * 10 + static_cast<std::uint64_t>(c - '0');
      ++digits;
    }
    if (digits == 19 || count > (1u << 20)) return true;
  }
  return false;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view wire(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  if (has_huge_array_count(wire)) return 0;
  const auto whole = read_all(wire, wire.size(), true);
  FUZZ_CHECK(read_all(wire, wire.size() * bytes[0] / 255, false) == whole);
  return 0;
}
