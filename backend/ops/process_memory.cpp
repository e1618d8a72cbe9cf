#include "ops/process_memory.hpp"

#include <malloc.h>
#include <unistd.h>

#include <fstream>

namespace tickwire::ops {

namespace {

double resident_bytes() {
  // statm: size resident shared text lib data dt, in pages.
  std::ifstream statm("/proc/self/statm");
  long size = 0;
  long resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

}  // namespace

ProcessMemory read_process_memory() {
  const struct mallinfo2 m = mallinfo2();
  return {resident_bytes(), static_cast<double>(m.uordblks + m.hblkhd),
          static_cast<double>(m.fordblks)};
}

ProcessMemory ProcessMemoryGauges::heap() {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (now - read_at_ >= std::chrono::seconds(1)) {
    heap_ = read_process_memory();
    read_at_ = now;
  }
  return heap_;
}

ProcessMemoryGauges::ProcessMemoryGauges(Registry& metrics)
    : resident_(metrics.gauge_callback("tickwire_process_resident_bytes",
                                       "Resident memory of this process (/proc/self/statm)", {},
                                       resident_bytes)),
      heap_in_use_(metrics.gauge_callback(
          "tickwire_heap_bytes",
          "glibc malloc's heap by state: in_use (allocated, own mappings included) or free "
          "(freed chunks the allocator keeps mapped)",
          {{"state", "in_use"}}, [this] { return heap().heap_in_use_bytes; })),
      heap_free_(metrics.gauge_callback("tickwire_heap_bytes", "", {{"state", "free"}},
                                        [this] { return heap().heap_free_bytes; })) {}

}  // namespace tickwire::ops
