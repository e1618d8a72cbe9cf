// Reading what a subscriber connection receives (Redis pub/sub over RESP2): the push replies
// ["message", channel, payload] and ["subscribe", channel, count], and the symbol a quote
// channel carries. Free functions rather than Connection/RedisFrontendSide internals, so that
// tests/fuzz/fuzz_redis_reply.cpp runs exactly the code the servers run on bytes from Redis.
// The payload of a quote message is an envelope: from_envelope() (tickwire/encoded_quote.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cache/redis/redis_reply.hpp"

namespace tickwire::cache::redis {

struct PubSubPush {
  enum class Kind { message, subscribed };
  Kind kind;
  const std::string& channel;  // both refer into the Reply given to read_pubsub_push()
  const std::string& payload;  // message: the published bytes; subscribed: empty
};

// nullopt for anything else a subscriber connection may see (unsubscribe confirmations, pongs,
// errors, replies of the wrong shape): they are ignored.
std::optional<PubSubPush> read_pubsub_push(const Reply& reply);

// Besides quotes, a symbol's channel carries its status (cache::SymbolStatus): "!" + reason
// when the upstream does not carry it, "!" alone when it does again. A quote envelope starts
// with a digit, so the two never mix.
std::string status_payload(std::string_view reason);
// The reason ("" for available) when `payload` is a status; nullopt when it is not one.
std::optional<std::string_view> read_status_payload(std::string_view payload);

// The inverse of keys::quote_channel(): "tw:quotes:{AAPL}" -> "AAPL" (not validated: the
// caller looks it up in its demand); nullopt when the channel is not a quote channel.
std::optional<std::string> quote_channel_symbol(std::string_view channel);

}  // namespace tickwire::cache::redis
