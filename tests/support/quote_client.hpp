// One interface over the three client transports, for the conformance suite: what a client
// received (snapshot first, then quotes), the errors it was given, and how it resumes.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tickwire/quote.hpp"

namespace tickwire::test {

enum class Transport { sse, websocket, poll };
std::string to_string(Transport t);

class QuoteClient {
 public:
  virtual ~QuoteClient() = default;
  virtual bool pump_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) = 0;
  // Every quote received, in order; snapshot contents first.
  virtual const std::vector<Quote>& quotes() const = 0;
  // How many quotes the first answer (the snapshot) held; -1 before it came.
  virtual int snapshot_size() const = 0;
  // Error codes given ("bad_symbol", ...), from HTTP bodies or WebSocket messages.
  virtual const std::vector<std::string>& errors() const = 0;
  // The data's status changes the server announced ("stale", "live"), in order.
  virtual const std::vector<std::string>& statuses() const = 0;
  // Statuses of single symbols, in order: "NVDA unavailable upstream_symbol_limit" or
  // "NVDA available" (polling: a change in its answers' `unavailable` list counts as one).
  virtual const std::vector<std::string>& symbol_statuses() const = 0;
  // Requested symbols the server said it does not list (SSE snapshot, WebSocket error,
  // poll answer), in order.
  virtual const std::vector<std::string>& unknown_symbols() const = 0;
  // What to pass to a new client to resume (Last-Event-ID or the poll cursor).
  virtual std::string resume_token() const = 0;
  // Follow another set of symbols: WebSocket changes its live subscription, SSE and polling
  // start over with the new list (as their clients do).
  virtual void change(const std::vector<std::string>& symbols) = 0;
  // Ask for more symbols: a WebSocket subscribe message, a new request for SSE and polling.
  virtual void subscribe_more(const std::vector<std::string>& symbols) = 0;
  // The quotes received since the last change() (all of them before any).
  virtual std::vector<Quote> since_change() const = 0;
};

std::unique_ptr<QuoteClient> make_client(Transport t, unsigned short port,
                                         const std::vector<std::string>& symbols,
                                         const std::string& resume = {});

}  // namespace tickwire::test
