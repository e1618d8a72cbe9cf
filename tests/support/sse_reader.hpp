// An SSE client for tests: connects over loopback, sends the request, and collects events with
// the shared WHATWG parser while the test pumps it. No threads: pump() runs I/O for a while on
// the caller's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tickwire/quote.hpp"
#include "tickwire/sse.hpp"

namespace tickwire::test {

struct ReceivedEvent {
  std::string type;
  std::string data;
  std::string id;
};

class SseReader {
 public:
  // `extra_headers` lines end with "\r\n". A small `receive_buffer` makes a client that stops
  // reading fill up quickly.
  SseReader(unsigned short port, const std::string& target, std::string extra_headers = {},
            int receive_buffer = 0);

  // Runs I/O until `done()` holds or `timeout` passes; returns done().
  bool pump_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);
  void pump_for(std::chrono::milliseconds d) { pump_until([] { return false; }, d); }

  unsigned status() const { return status_; }
  const std::string& head() const { return head_; }
  // Body bytes of a non-200 answer (an HTTP error's JSON), as read so far.
  const std::string& body() const { return body_; }
  const std::vector<ReceivedEvent>& events() const { return events_; }
  bool closed() const { return closed_; }
  bool clean_eof() const { return clean_eof_; }
  const std::string& last_event_id() const { return parser_.last_event_id(); }

  // Every quote received (snapshot contents, then quote events), decoded on arrival.
  const std::vector<Quote>& quotes() const { return quotes_; }
  // Quotes of one symbol, in arrival order.
  std::vector<Quote> quotes_of(const std::string& symbol) const;

  void close();

 private:
  void do_read();

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  std::string request_;
  std::string head_;
  std::string body_;
  bool in_body_ = false;
  unsigned status_ = 0;
  char buf_[8192];
  sse::Parser parser_;
  std::vector<ReceivedEvent> events_;
  std::vector<Quote> quotes_;
  bool closed_ = false;
  bool clean_eof_ = false;
};

}  // namespace tickwire::test
