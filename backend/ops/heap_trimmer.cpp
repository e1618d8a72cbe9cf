#include "ops/heap_trimmer.hpp"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "ops/process_memory.hpp"

namespace tickwire::ops {

HeapTrimmer::HeapTrimmer(boost::asio::any_io_executor executor, Registry& metrics,
                         Configuration config)
    : timer_(std::move(executor)),
      config_(config),
      baseline_free_(mallinfo2().fordblks),
      trims_(metrics.counter("tickwire_heap_trims_total",
                             "Times freed heap was given back to the kernel (malloc_trim) after "
                             "it grew past the trimmer's threshold")),
      trimmed_bytes_(metrics.counter("tickwire_heap_trimmed_bytes_total",
                                     "Resident memory given back by those trims")) {}

void HeapTrimmer::start() { arm(); }

void HeapTrimmer::stop() { timer_.cancel(); }

void HeapTrimmer::arm() {
  timer_.expires_after(config_.interval);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;  // stopped (or destroyed): `this` may be gone
    check();
    arm();
  });
}

bool HeapTrimmer::check() {
  const std::size_t free_now = mallinfo2().fordblks;
  baseline_free_ = std::min(baseline_free_, free_now);
  if (free_now - baseline_free_ < config_.min_growth) return false;
  const auto before = read_process_memory().resident_bytes;
  malloc_trim(0);
  const auto after = read_process_memory().resident_bytes;
  // Trimming leaves free chunks free (only their pages go): the new baseline is what remains.
  baseline_free_ = mallinfo2().fordblks;
  const auto released = static_cast<std::uint64_t>(std::max(0.0, before - after));
  trims_.inc();
  trimmed_bytes_.inc(released);
  spdlog::debug("heap trim: {} MiB of {} MiB free heap given back to the kernel",
                released >> 20, free_now >> 20);
  return true;
}

}  // namespace tickwire::ops
