// One HTTP/1.1 connection, plain or over TLS: does the TLS handshake (when the listener serves
// TLS), reads requests (header, body and time limits), asks the server's handler for a reply,
// writes it, and repeats while keep-alive holds. A handler may instead take the connection over
// (a stream): the stream is moved out and this session ends, as in Beast's advanced server
// upgrade.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <variant>

#include "net/client_stream.hpp"
#include "net/connection_limits.hpp"
#include "net/http_reply.hpp"

namespace tickwire::net {

// Takes over the connection after the request was read; the buffer holds any bytes read past
// it, and the ticket is the connection's place under the connection caps (keep it as long as the
// connection lives).
using Takeover =
    std::function<void(ClientStream&&, boost::beast::flat_buffer&&, ConnectionLimits::Ticket&&)>;
using HandlerResult = std::variant<Response, Takeover>;
// Called exactly once with the outcome, from any thread (a handler may answer later, after
// asking another tier); the session continues on its own executor.
using Respond = std::function<void(HandlerResult)>;

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual void handle(const Request& req, Respond respond) = 0;
};

struct HttpLimits {
  std::size_t header_bytes = 8 * 1024;  // beyond: 431
  std::size_t body_bytes = 16 * 1024;   // beyond: 413 (no endpoint takes a body yet)
  std::chrono::seconds request_timeout{30};  // to read one request
  // To write one answer: a client that leaves it unread this long (a pipelining flood that never
  // reads) is disconnected and counted.
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds handshake_timeout{10};  // TLS only
};

// What the HTTP sessions of one server count besides requests.
struct HttpCounters {
  ops::Counter* write_timeouts = nullptr;
  // TLS handshakes that failed: plain HTTP sent to the TLS port, other failures, timeouts.
  ops::Counter* tls_plain_http = nullptr;
  ops::Counter* tls_failed = nullptr;
  ops::Counter* tls_timeout = nullptr;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  // Takes the connection's place under `caps`; over a cap, its first request is answered 503
  // (process full) or 429 (this address has too many) with Retry-After, and it is closed.
  // `stream` is plain or TLS (handshake not done yet); `counters` outlive the session.
  HttpSession(ClientStream&& stream, HttpHandler& handler, ErrorReplies& errors, HttpLimits limits,
              const HttpCounters& counters, ConnectionLimits& caps);
  void run();

 private:
  void on_handshake(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void on_result(HandlerResult result);
  void do_write(Response res);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
  void reply_parse_error(boost::beast::error_code ec);
  void refuse(unsigned version);
  void do_close();
  void do_linger(std::size_t drained);
  // Closes the connection when `limit` passes before disarm(): the pending operation then fails
  // and timed_out_ tells why.
  void arm(std::chrono::steady_clock::duration limit);
  void disarm();

  ClientStream stream_;
  boost::asio::steady_timer deadline_;
  std::uint32_t deadline_gen_ = 0;
  bool timed_out_ = false;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<Response> response_;
  bool discard_input_ = false;  // the request was refused mid-way: drain it before closing
  // Where the drain reads to. Only a refused request needs it, so it is allocated then: every
  // connection that has yet to send its request (and every idle keep-alive one) holds a session,
  // and inline this buffer was 4 KB of each one's ~5 KB.
  std::unique_ptr<char[]> discard_;
  HttpHandler& handler_;
  ErrorReplies& errors_;
  HttpLimits limits_;
  const HttpCounters& counters_;
  ConnectionLimits::Ticket ticket_;
  ConnectionLimits::Verdict admission_ = ConnectionLimits::Verdict::admitted;
};

}  // namespace tickwire::net
