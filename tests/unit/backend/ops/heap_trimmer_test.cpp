#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <cstring>
#include <memory>
#include <vector>

#include "ops/heap_trimmer.hpp"
#include "ops/metrics.hpp"
#include "ops/process_memory.hpp"

namespace tickwire::ops {
namespace {

constexpr std::size_t kBlock = 64 * 1024;  // under glibc's mmap threshold: from the heap
constexpr std::size_t kBlocks = 512;       // 32 MiB

// Touched blocks, of which every other one is freed by punch_holes(): 16 MiB of free heap held in
// place by the live blocks between them, as connections that closed among live ones leave it.
class FragmentedHeap {
 public:
  FragmentedHeap() {
    for (std::size_t i = 0; i < kBlocks; ++i) {
      blocks_.push_back(std::make_unique<char[]>(kBlock));
      std::memset(blocks_.back().get(), 1, kBlock);
    }
  }
  void punch_holes() {
    for (std::size_t i = 0; i < kBlocks; i += 2) blocks_[i].reset();
  }

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
};

double counter(const Registry& r, const std::string& name) {
  for (const auto& s : r.samples()) {
    if (s.series == name) return s.value;
  }
  return -1;
}

TEST(HeapTrimmer, GivesFreedHeapBackOnceItGrewPastTheThreshold) {
  Registry r;
  boost::asio::io_context io;
  FragmentedHeap heap;
  HeapTrimmer trimmer(io.get_executor(), r, {.interval = std::chrono::seconds(10),
                                             .min_growth = std::size_t{8} << 20});
  EXPECT_FALSE(trimmer.check());  // nothing freed yet
  EXPECT_EQ(counter(r, "tickwire_heap_trims_total"), 0);

  const auto before = read_process_memory();
  heap.punch_holes();
  const auto freed = read_process_memory();
  EXPECT_GE(freed.heap_free_bytes - before.heap_free_bytes, 15.0 * (1 << 20));
  // Freed below live blocks: still resident.
  EXPECT_GT(freed.resident_bytes, before.resident_bytes - 4.0 * (1 << 20));

  EXPECT_TRUE(trimmer.check());
  const auto trimmed = read_process_memory();
  EXPECT_LT(trimmed.resident_bytes, freed.resident_bytes - 12.0 * (1 << 20));
  EXPECT_EQ(counter(r, "tickwire_heap_trims_total"), 1);
  EXPECT_GE(counter(r, "tickwire_heap_trimmed_bytes_total"), 12.0 * (1 << 20));
  // The chunks are still free (only their pages went): no new growth, no second trim.
  EXPECT_FALSE(trimmer.check());
  EXPECT_EQ(counter(r, "tickwire_heap_trims_total"), 1);
}

TEST(HeapTrimmer, UnderTheThresholdNothingIsTrimmed) {
  Registry r;
  boost::asio::io_context io;
  FragmentedHeap heap;
  HeapTrimmer trimmer(io.get_executor(), r, {.interval = std::chrono::seconds(10),
                                             .min_growth = std::size_t{64} << 20});
  heap.punch_holes();  // 16 MiB
  EXPECT_FALSE(trimmer.check());
  EXPECT_EQ(counter(r, "tickwire_heap_trims_total"), 0);
}

TEST(HeapTrimmer, ChecksOnItsTimerUntilStopped) {
  Registry r;
  boost::asio::io_context io;
  FragmentedHeap heap;
  HeapTrimmer trimmer(io.get_executor(), r, {.interval = std::chrono::milliseconds(10),
                                             .min_growth = std::size_t{8} << 20});
  trimmer.start();
  heap.punch_holes();
  for (int i = 0; i < 200 && counter(r, "tickwire_heap_trims_total") < 1; ++i) {
    io.run_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(counter(r, "tickwire_heap_trims_total"), 1);
  trimmer.stop();
  io.restart();
  io.run();  // returns: stopping left no pending wait
}

}  // namespace
}  // namespace tickwire::ops
