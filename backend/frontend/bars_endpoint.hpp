// GET /v1/bars?symbol=AAPL&interval=1m: the one-minute bars the cache tier holds for a symbol
// (docs/api.md). The dispatcher that holds the symbol builds them from its quotes; bars exist
// for symbols that clients follow, from when the fleet first subscribed them upstream (or
// earlier, where the provider backfilled them).
//
// Answers are cached per symbol for `ttl` (every chart that opens asks, and the bars change at
// most once per dispatcher flush), in a table of at most `max_entries` symbols; a table that is
// full drops its expired answers, or every answer if none has expired. Thread-safe: routes run
// on every I/O thread.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "cache/cache_tier.hpp"
#include "net/http_reply.hpp"
#include "net/http_session.hpp"
#include "net/http_target.hpp"
#include "ops/metrics.hpp"

namespace tickwire::frontend {

class BarsEndpoint {
 public:
  struct Configuration {
    std::chrono::milliseconds ttl{1000};
    std::size_t max_entries = 4096;
  };

  BarsEndpoint(cache::FrontendSide& cache, ops::Registry& metrics, net::ErrorReplies& errors,
               Configuration config);

  // The symbol the request asks for, or the 400 to answer (checked before authorization).
  std::variant<std::string, net::Response> requested_symbol(const net::Request& req,
                                                            const net::HttpTarget& target);
  // Answers for a symbol the client may see.
  void answer(const net::Request& req, const std::string& symbol, net::Respond respond);

 private:
  using Clock = std::chrono::steady_clock;
  struct Cached {
    Clock::time_point expires;
    std::shared_ptr<const std::string> body;
  };
  net::Response reply(const net::Request& req, const std::string& body) const;
  void remember(const std::string& symbol, std::shared_ptr<const std::string> body);

  cache::FrontendSide& cache_;
  net::ErrorReplies& errors_;
  Configuration config_;
  std::mutex mu_;
  std::unordered_map<std::string, Cached> cached_;
  ops::Counter& hits_;
  ops::Counter& reads_;
};

}  // namespace tickwire::frontend
