// Blocking HTTPS and WSS clients for tests, over loopback, verifying the server's certificate
// against a CA file as a real client does (Beast over OpenSSL).
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "http_probe.hpp"

namespace tickwire::test {

// One GET over TLS; `headers` are extra raw header lines ("Name: value\r\n"). A failed
// handshake (certificate not trusted) comes back as ok=false with the reason in `error`.
HttpReply https_get(unsigned short port, const std::string& ca_file, const std::string& target,
                    const std::string& headers = {},
                    std::chrono::milliseconds timeout = std::chrono::seconds(5));

// The HTTP status a WebSocket upgrade to `target` is answered with: 101 when accepted, the
// refusal's status otherwise, 0 when no TLS connection was made.
unsigned wss_upgrade_status(unsigned short port, const std::string& ca_file,
                            const std::string& target);

// A WebSocket over TLS (WSS) to any target (Tickwire's /v1/ws..., a fake provider's stream);
// throws on a failed connect or handshake.
class WssClient {
 public:
  WssClient(unsigned short port, const std::string& ca_file, const std::string& target);
  ~WssClient();
  void send(const std::string& text);
  // The next message of `type` (others skipped), or an empty object when the connection
  // closes or `timeout` passes first.
  boost::json::object next(const std::string& type,
                           std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The next message as sent, or nullopt when the connection closes or `timeout` passes first.
  std::optional<std::string> next_text(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  bool closed() const;  // the server closed the connection (or it broke) and all was read

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tickwire::test
