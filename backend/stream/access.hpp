// What one client connection may see, and until when: decided by the frontend from the
// client's token (auth/), carried by the stream sessions. The stream library knows nothing of
// tokens; the frontend implements Authorizer for a WebSocket's in-band `refresh`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "stream/quote_frame.hpp"

namespace tickwire::stream {

struct Access {
  std::string subject;          // who (the token's `sub`): for logs, and a refresh must match it
  std::int64_t expires_at = 0;  // unix seconds; 0: never
  // Sorted; null: every symbol.
  std::shared_ptr<const std::vector<std::string>> symbols;

  bool entitled(std::string_view symbol) const;
  // Those of `requested` not entitled, in request order.
  std::vector<std::string> refused(const std::vector<std::string>& requested) const;
  bool expired(std::int64_t now_unix) const noexcept {
    return expires_at != 0 && now_unix >= expires_at;
  }
};

class Authorizer {
 public:
  struct Refusal {
    std::string code;    // token_missing, token_invalid, token_expired
    std::string detail;  // never contains the token
  };
  virtual ~Authorizer() = default;
  virtual std::variant<Access, Refusal> authorize(std::string_view token) const = 0;
};

// The last event of a stream whose token expired: {"state":"expired","reason":...}.
StatusPtr expired_status();

}  // namespace tickwire::stream
