// Gives the heap that departed connections left behind back to the kernel.
//
// glibc's malloc returns freed memory to the kernel only from the top of a heap: a chunk freed
// below a live one stays resident, kept for reuse. A frontend whose clients leave in a burst (a
// reconnect storm after a failover, a partition, thousands of requests that time out) keeps
// their sessions' memory this way after they are gone, for as long as it runs; the
// tickwire_heap_bytes gauges (process_memory.hpp) show it as free heap.
//
// Every `interval`, once the free heap has grown by `min_growth` since the last trim,
// malloc_trim(0) releases the whole pages inside free chunks (MADV_DONTNEED): they stay mapped
// and come back zeroed when reused. It takes each arena's lock in turn while it walks that
// arena's free chunks (a cost that grows with their number), so it runs only after such growth.
// Counted in tickwire_heap_trims_total and tickwire_heap_trimmed_bytes_total.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>

#include "ops/metrics.hpp"

namespace tickwire::ops {

class HeapTrimmer {
 public:
  struct Configuration {
    std::chrono::milliseconds interval{10000};
    std::size_t min_growth = std::size_t{16} << 20;
  };

  // Not started: start() arms the timer on `executor`.
  HeapTrimmer(boost::asio::any_io_executor executor, Registry& metrics, Configuration config);

  void start();
  // On the executor's thread, or once it has stopped running handlers.
  void stop();

  // One check now, as each interval does: trims if the free heap grew by `min_growth` since the
  // last trim (or since the lowest it has been after it). True if it trimmed.
  bool check();

 private:
  void arm();

  boost::asio::steady_timer timer_;
  Configuration config_;
  std::size_t baseline_free_ = 0;  // the free heap after the last trim, or lower since
  Counter& trims_;
  Counter& trimmed_bytes_;
};

}  // namespace tickwire::ops
