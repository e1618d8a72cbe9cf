// The process's memory as gauges on /metrics, so that an operator can tell live data from memory
// the allocator keeps:
//   tickwire_process_resident_bytes         what the kernel counts (/proc/self/statm's resident)
//   tickwire_heap_bytes{state="in_use"}      glibc malloc's allocated bytes (mallinfo2: uordblks
//                                            plus hblkhd, the chunks given their own mapping)
//   tickwire_heap_bytes{state="free"}        free chunks the allocator keeps in its arenas
//                                            (fordblks): freed by the program, still mapped, and
//                                            resident wherever they were ever touched
// Resident minus in-use is everything else: free heap, thread stacks, code and libraries.
// Computed when scraped and at each fleet report (up to ten a second). mallinfo2 walks each
// arena's free lists under that arena's lock, a cost that grows with the number of free chunks,
// so both heap gauges share one reading, taken at most once a second.
#pragma once

#include <chrono>
#include <mutex>

#include "ops/metrics.hpp"

namespace tickwire::ops {

// One reading of the gauges above.
struct ProcessMemory {
  double resident_bytes = 0;  // 0 where /proc/self/statm cannot be read
  double heap_in_use_bytes = 0;
  double heap_free_bytes = 0;
};
ProcessMemory read_process_memory();

class ProcessMemoryGauges {
 public:
  explicit ProcessMemoryGauges(Registry& metrics);
  ProcessMemoryGauges(const ProcessMemoryGauges&) = delete;
  ProcessMemoryGauges& operator=(const ProcessMemoryGauges&) = delete;

 private:
  // The last heap reading, renewed when older than a second.
  ProcessMemory heap();

  std::mutex mutex_;
  std::chrono::steady_clock::time_point read_at_{};
  ProcessMemory heap_;
  // Last: removed from the registry before the reading they use goes.
  Registry::CallbackHandle resident_;
  Registry::CallbackHandle heap_in_use_;
  Registry::CallbackHandle heap_free_;
};

}  // namespace tickwire::ops
