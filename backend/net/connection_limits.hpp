// Caps on client connections, so that one client (or a crowd) cannot take every connection a
// process can hold: the whole process (--max-connections) and each remote address
// (--max-connections-per-ip), as nginx's limit_conn does. A connection over a cap is still read
// far enough to be answered properly (503 or 429, with Retry-After) and then closed; it holds no
// place. An admitted connection holds a Ticket for as long as it lives, whatever it turns into
// (a poll's keep-alive connection, an SSE stream, a WebSocket). Thread-safe.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <mutex>
#include <unordered_map>

namespace tickwire::net {

class ConnectionLimits {
 public:
  struct Caps {
    std::size_t total = 0;   // 0: no cap
    std::size_t per_ip = 0;  // 0: no cap
  };
  enum class Verdict { admitted, over_total, over_ip };

  // A place under the caps, given back when the ticket is destroyed. Empty when no cap is set.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept { *this = std::move(other); }
    Ticket& operator=(Ticket&& other) noexcept;
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket() { release(); }

   private:
    friend class ConnectionLimits;
    void release() noexcept;
    ConnectionLimits* owner_ = nullptr;
    // The address's entry in the owner's table (nodes of an unordered_map do not move), or null
    // when only the total is capped.
    std::pair<const boost::asio::ip::address, std::size_t>* entry_ = nullptr;
  };

  explicit ConnectionLimits(Caps caps) : caps_(caps) {}
  ConnectionLimits(const ConnectionLimits&) = delete;
  ConnectionLimits& operator=(const ConnectionLimits&) = delete;

  bool enabled() const noexcept { return caps_.total > 0 || caps_.per_ip > 0; }
  const Caps& caps() const noexcept { return caps_; }
  // Takes a place for a connection from `ip` into `ticket`, unless a cap is reached.
  Verdict admit(const boost::asio::ip::address& ip, Ticket& ticket);
  std::size_t open() const;

 private:
  void release(std::pair<const boost::asio::ip::address, std::size_t>* entry) noexcept;

  Caps caps_;
  mutable std::mutex mu_;
  std::size_t total_ = 0;
  std::unordered_map<boost::asio::ip::address, std::size_t> per_ip_;
};

}  // namespace tickwire::net
