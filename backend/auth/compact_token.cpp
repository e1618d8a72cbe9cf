#include "auth/compact_token.hpp"

#include <array>
#include <boost/json/parse.hpp>
#include <cstdint>

namespace tickwire::auth {

namespace {

constexpr std::uint8_t kNotBase64 = 0xff;

constexpr std::array<std::uint8_t, 256> make_alphabet() {
  std::array<std::uint8_t, 256> t{};
  t.fill(kNotBase64);
  constexpr std::string_view chars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (std::size_t i = 0; i < chars.size(); ++i) {
    t[static_cast<unsigned char>(chars[i])] = static_cast<std::uint8_t>(i);
  }
  return t;
}
constexpr auto kAlphabet = make_alphabet();

std::optional<boost::json::object> decode_object(std::string_view segment) {
  const auto bytes = base64url_decode(segment);
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  auto value = boost::json::parse(*bytes, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

}  // namespace

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;  // 6 bits cannot end a byte
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t bits = 0;
  int held = 0;
  for (const char c : text) {
    const auto v = kAlphabet[static_cast<unsigned char>(c)];
    if (v == kNotBase64) return std::nullopt;
    bits = (bits << 6) | v;
    held += 6;
    if (held >= 8) {
      held -= 8;
      out.push_back(static_cast<char>((bits >> held) & 0xff));
    }
  }
  return out;
}

std::optional<CompactToken> read_compact_token(std::string_view token, std::string& why) {
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos ||
      dot1 == 0 || dot2 == dot1 + 1 || dot2 + 1 == token.size()) {
    why = "the token is not three dot-separated parts";
    return std::nullopt;
  }
  // The signature is only checked for its alphabet here; libjwt verifies it.
  if (!base64url_decode(token.substr(dot2 + 1))) {
    why = "the token's signature is not base64url";
    return std::nullopt;
  }
  auto header = decode_object(token.substr(0, dot1));
  if (!header) {
    why = "the token's header is not a base64url JSON object";
    return std::nullopt;
  }
  auto payload = decode_object(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!payload) {
    why = "the token's payload is not a base64url JSON object";
    return std::nullopt;
  }
  return CompactToken{std::move(*header), std::move(*payload)};
}

}  // namespace tickwire::auth
