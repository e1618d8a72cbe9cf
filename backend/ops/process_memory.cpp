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

double heap_in_use_bytes() {
  const struct mallinfo2 m = mallinfo2();
  return static_cast<double>(m.uordblks + m.hblkhd);
}

double heap_free_bytes() { return static_cast<double>(mallinfo2().fordblks); }

}  // namespace

ProcessMemory read_process_memory() {
  return {resident_bytes(), heap_in_use_bytes(), heap_free_bytes()};
}

ProcessMemoryGauges::ProcessMemoryGauges(Registry& metrics)
    : resident_(metrics.gauge_callback("tickwire_process_resident_bytes",
                                       "Resident memory of this process (/proc/self/statm)", {},
                                       resident_bytes)),
      heap_in_use_(metrics.gauge_callback(
          "tickwire_heap_bytes",
          "glibc malloc's heap by state: in_use (allocated, own mappings included) or free "
          "(freed chunks the allocator keeps mapped)",
          {{"state", "in_use"}}, heap_in_use_bytes)),
      heap_free_(metrics.gauge_callback("tickwire_heap_bytes", "", {{"state", "free"}},
                                        heap_free_bytes)) {}

}  // namespace tickwire::ops
