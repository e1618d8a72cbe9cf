// Many SSE clients on one io_context (the fleet tests run hundreds), each following its own
// symbols and keeping what a real client would notice: snapshots, quotes, per-symbol seq (and
// whether it ever went backwards), `status` events, connection losses. A client given several
// ports moves to the next one when its connection is lost, sending Last-Event-ID as
// EventSource does. No threads: pump_until() runs I/O on the caller's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tickwire::test {

class SseSwarm {
 public:
  using Clock = std::chrono::steady_clock;
  struct Spec {
    std::vector<unsigned short> ports;  // connects to ports[0]; moves on after a loss
    std::vector<std::string> symbols;
    bool follow = true;  // false: a lost connection stays lost
  };
  struct Client {
    std::vector<std::string> symbols;
    unsigned short port = 0;  // the current (or last) server
    bool connected = false;   // response headers received, stream open
    int connects = 0;         // 200 responses received
    int losses = 0;
    int snapshots = 0;
    std::size_t last_snapshot_size = 0;
    std::uint64_t quotes = 0;
    int backwards = 0;  // quotes whose seq was lower than one this client already had
    int repeats = 0;    // quote events (not snapshots) with a seq this client already had
    std::vector<std::string> statuses;  // "stale" / "live", in order
    std::map<std::string, std::uint64_t> seq;   // symbol -> highest seq seen
    std::map<std::string, Clock::time_point> advanced;  // symbol -> when its seq last rose
  };

  explicit SseSwarm(std::vector<Spec> specs);
  ~SseSwarm();

  void start();
  bool pump_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);
  void pump_for(std::chrono::milliseconds d) { pump_until([] { return false; }, d); }
  const std::vector<Client>& clients() const { return clients_; }

 private:
  struct Conn;
  boost::asio::io_context ioc_;
  std::vector<Client> clients_;
  std::vector<std::unique_ptr<Conn>> conns_;
};

}  // namespace tickwire::test
