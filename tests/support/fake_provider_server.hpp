// The transport under the fake providers (fake_alpaca, fake_finnhub): one TLS port on
// 127.0.0.1 that answers REST GETs and accepts WebSocket upgrades, in its own thread, so a
// provider's stream and REST base URLs can both point at it. The provider logic lives in the
// Handlers, which always run on the server's thread; tests observe through the fakes' own
// (locked) accessors.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

namespace tickwire::test {

class FakeProviderServer {
 public:
  struct Request {
    std::string target;                          // path and query
    std::map<std::string, std::string> headers;  // names lower-cased
  };
  struct Reply {
    unsigned status = 200;
    std::string body;
  };
  // One accepted WebSocket; the id stays unique for the server's life.
  class Session {
   public:
    virtual ~Session() = default;
    virtual std::uint64_t id() const = 0;
    virtual const Request& request() const = 0;
    // Queued behind earlier messages. A session with 1,024 messages unwritten is dropped (a
    // client that does not read), so a fake's memory stays bounded.
    virtual void send(std::string text) = 0;
    // The first fragment of a message, then the TCP connection closed without a close frame.
    virtual void send_partial_and_drop(std::string text) = 0;
    virtual void close() = 0;  // a close frame
    virtual void drop() = 0;   // TCP closed at once
  };
  struct Handlers {
    std::function<Reply(const Request&)> rest;
    // 0 accepts the upgrade; an HTTP status refuses it with that status.
    std::function<unsigned(const Request&)> accept_upgrade;
    std::function<void(Session&)> on_open;
    std::function<void(Session&, const std::string&)> on_message;
    std::function<void(Session&)> on_close;  // once per opened session
    std::function<void()> on_tick;           // every tick_interval
  };

  FakeProviderServer(const std::string& cert_file, const std::string& key_file,
                     std::chrono::milliseconds tick_interval, Handlers handlers);
  ~FakeProviderServer();  // stops and joins

  unsigned short port() const;
  // Runs `f` on the server's thread and waits for it.
  void run(const std::function<void()>& f);
  // Closes every WebSocket's TCP connection at once (no close frame).
  void drop_all();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tickwire::test
