#include <gtest/gtest.h>

#include <cstring>
#include <memory>

#include "ops/metrics.hpp"
#include "ops/process_memory.hpp"

namespace tickwire::ops {
namespace {

double sample(const Registry& r, const std::string& series) {
  for (const auto& s : r.samples()) {
    if (s.series == series) return s.value;
  }
  ADD_FAILURE() << series << " not found";
  return -1;
}

TEST(ProcessMemory, GaugesAreOnTheRegistryWhileTheyLive) {
  Registry r;
  {
    ProcessMemoryGauges gauges(r);
    EXPECT_GT(sample(r, "tickwire_process_resident_bytes"), 0);
    EXPECT_GT(sample(r, R"(tickwire_heap_bytes{state="in_use"})"), 0);
    EXPECT_GE(sample(r, R"(tickwire_heap_bytes{state="free"})"), 0);
    const auto text = r.render_prometheus();
    EXPECT_NE(text.find("# TYPE tickwire_heap_bytes gauge"), std::string::npos) << text;
  }
  for (const auto& s : r.samples()) EXPECT_EQ(s.series.find("tickwire_heap_bytes"), std::string::npos);
}

// A block that stays allocated counts as in use, and once freed (between two live blocks, so that
// the allocator cannot give it back off the heap's top) as free: the split an operator reads to
// tell live data from memory the allocator keeps.
TEST(ProcessMemory, HeapInUseAndFreeFollowAllocations) {
  constexpr std::size_t kBytes = 64 * 1024;  // under glibc's mmap threshold: from the arena
  const auto before = read_process_memory();
  auto before_block = std::make_unique<char[]>(kBytes);
  auto block = std::make_unique<char[]>(kBytes);
  auto after_block = std::make_unique<char[]>(kBytes);
  std::memset(block.get(), 1, kBytes);
  const auto held = read_process_memory();
  EXPECT_GE(held.heap_in_use_bytes, before.heap_in_use_bytes + kBytes / 2);
  block.reset();
  const auto freed = read_process_memory();
  EXPECT_LE(freed.heap_in_use_bytes, held.heap_in_use_bytes - kBytes / 2);
  EXPECT_GE(freed.heap_free_bytes, held.heap_free_bytes + kBytes / 2);
  EXPECT_GT(freed.resident_bytes, 0);
}

}  // namespace
}  // namespace tickwire::ops
