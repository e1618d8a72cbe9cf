// Blocking HTTPS and WSS clients for tests, over loopback, verifying the server's certificate
// against a CA file as a real client does (Beast over OpenSSL).
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "http_probe.hpp"

namespace tickwire::test {

// One GET over TLS; `headers` are extra raw header lines ("Name: value\r\n"). A failed
// handshake (certificate not trusted) comes back as ok=false with the reason in `error`.
HttpReply https_get(unsigned short port, const std::string& ca_file, const std::string& target,
                    const std::string& headers = {},
                    std::chrono::milliseconds timeout = std::chrono::seconds(5));

// A WebSocket over TLS (WSS) to /v1/ws...; throws on a failed connect or handshake.
class WssClient {
 public:
  WssClient(unsigned short port, const std::string& ca_file, const std::string& target);
  ~WssClient();
  void send(const std::string& text);
  // The next message of `type` (others skipped), or an empty object when the connection
  // closes or `timeout` passes first.
  boost::json::object next(const std::string& type,
                           std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tickwire::test
