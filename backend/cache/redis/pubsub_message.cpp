#include "cache/redis/pubsub_message.hpp"

#include "cache/redis/redis_keys.hpp"

namespace tickwire::cache::redis {

std::optional<PubSubPush> read_pubsub_push(const Reply& r) {
  if (r.kind != Reply::Kind::array || r.elements.size() < 3) return std::nullopt;
  const auto& type = r.elements[0].str;
  if (type == "message") {
    return PubSubPush{PubSubPush::Kind::message, r.elements[1].str, r.elements[2].str};
  }
  if (type == "subscribe") {
    return PubSubPush{PubSubPush::Kind::subscribed, r.elements[1].str, r.elements[2].str};
  }
  return std::nullopt;
}

std::string status_payload(std::string_view reason) { return "!" + std::string(reason); }

std::optional<std::string_view> read_status_payload(std::string_view payload) {
  if (!payload.starts_with('!')) return std::nullopt;
  return payload.substr(1);
}

std::optional<std::string> quote_channel_symbol(std::string_view channel) {
  // Starting with the prefix (which ends in '{') and ending in '}' means at least 12 bytes.
  if (!channel.starts_with(keys::quote_channel_prefix) || channel.back() != '}') {
    return std::nullopt;
  }
  return std::string(channel.substr(keys::quote_channel_prefix.size(),
                                    channel.size() - keys::quote_channel_prefix.size() - 1));
}

}  // namespace tickwire::cache::redis
