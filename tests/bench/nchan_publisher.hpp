// Publishes quote-sized JSON messages to nchan (HTTP POST /pub/<symbol>) at a set rate over a
// universe, each carrying its publish time as `ts`, so nchan gets the workload the exchange
// simulator gives Tickwire. 128 keep-alive connections, one request in flight on each; what
// could not be sent on time is counted as `behind` (the run then did not get its full rate).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace tickwire::bench {

struct PublisherResult {
  std::uint64_t published = 0;  // 2xx answers
  std::uint64_t errors = 0;
  std::uint64_t behind = 0;     // ticks that could not be sent on time (all connections busy)
};

PublisherResult run_publisher(const std::string& host, unsigned short port,
                              const std::vector<std::string>& universe, double rate,
                              std::int64_t until_unix_us, std::uint64_t seed);

}  // namespace tickwire::bench
