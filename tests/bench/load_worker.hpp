// One load-generator process: holds its share of the client connections on one thread (one
// process holds at most ~19,900 sockets here), ramps them up at a set rate from several
// loopback source addresses, and during the measurement window counts what arrives and how
// late: each quote's `ts` (exchange time, µs) against this machine's clock on arrival.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "latency_histogram.hpp"

namespace tickwire::bench {

enum class Target { tickwire, nchan };

// One value shared between the main process and its workers (in a shared mapping made before
// they fork), on a cache line of its own.
struct alignas(64) SharedCell {
  std::atomic<std::int64_t> value{0};
};
static_assert(std::atomic<std::int64_t>::is_always_lock_free);
enum class Transport { sse, websocket };

struct WorkerPlan {
  Target target = Target::tickwire;
  Transport transport = Transport::sse;  // websocket: Tickwire's /v1/ws only
  std::string tls_ca;                    // not empty: TLS, the server verified against this CA
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  std::vector<std::string> source_ips;       // connection i binds source_ips[i % n]
  std::vector<std::vector<std::string>> subs;  // per connection: its symbols
  std::size_t first_index = 0;               // global index of subs[0] (source spread, slow set)
  double ramp_per_second = 5000;
  double slow_fraction = 0;                  // this share of connections reads very slowly
  std::chrono::milliseconds slow_interval{1000};
  // Churn (the soak): from churn_start_us to churn_end_us (unix µs), this many connections per
  // second are closed by the client and as many new ones opened with the same symbols, source
  // address and speed, so the number held stays about constant while connections come and go.
  double churn_per_second = 0;
  std::int64_t churn_start_us = 0;
  std::int64_t churn_end_us = 0;
  std::int64_t measure_start_us = 0;         // unix µs: the window in which arrivals count
  std::int64_t measure_end_us = 0;
  // After the window: quotes still count as missed or not until `count_until` (unix µs; the
  // server's counters are read then, with the feed paused), and connections close 300 ms after
  // it. The main process may move it earlier once everything in flight has arrived.
  SharedCell* count_until = nullptr;
  // This worker's fast readers' bytes received so far, for the main process to see them settle.
  SharedCell* progress = nullptr;
};

struct WorkerResult {
  std::uint64_t connected = 0;       // 200 answers received
  std::uint64_t held_at_start = 0;   // open at the window's start
  std::uint64_t held_at_end = 0;
  std::uint64_t connect_errors = 0;
  std::uint64_t tls_errors = 0;          // TLS handshakes that failed (refused, unverified)
  std::uint64_t http_errors = 0;
  std::uint64_t closed_by_server = 0;
  std::uint64_t lost_before_answer = 0;  // connected, then closed or reset before the answer
  std::uint64_t churn_closed = 0;        // connections this side closed for churn
  std::uint64_t churn_opened = 0;        // connections opened to replace them
  std::string first_error;               // the first socket error seen, for the report
  std::uint64_t deliveries = 0;      // quotes received in the window (fast readers)
  std::uint64_t slow_deliveries = 0;
  std::uint64_t snapshot_quotes = 0;
  // Quotes a client never got: the seq gaps (per connection and symbol, from its snapshot on)
  // closed by the quotes received before count_until, the whole run; a connection closed for
  // churn counts until it closes (its successor starts again from its own snapshot). The server accounts for
  // each as conflated or missed (docs/benchmarks.md).
  std::uint64_t missed = 0;
  std::uint64_t slow_missed = 0;
  std::uint64_t bytes = 0;
  // Connections that received at least one quote in the window (a connection replaced for
  // churn counts again as its successor).
  std::uint64_t clients_with_quotes = 0;
  // Unix µs when every planned connection had its answer; 0 if one never did (not merged:
  // the main process takes the latest over the workers).
  std::uint64_t all_connected_us = 0;
  LatencyHistogram latency;          // fast readers, in the window
  LatencyHistogram slow_latency;
};

// Runs the plan to the end of the window; blocking.
WorkerResult run_worker(const WorkerPlan& plan);

std::string to_json_line(const WorkerResult& r);
WorkerResult from_json_line(const std::string& line);
void merge_into(WorkerResult& total, const WorkerResult& part);

std::int64_t unix_micros();

}  // namespace tickwire::bench
