#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <cstring>
#include <memory>
#include <optional>
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

// A trimmer on an io_context of its own, over a fragmented heap, and what it counted.
class HeapTrimmerTest : public ::testing::Test {
 protected:
  HeapTrimmer& make(std::chrono::milliseconds interval, std::size_t min_growth_mib) {
    trimmer_.emplace(io_.get_executor(), metrics_,
                     HeapTrimmer::Configuration{interval, min_growth_mib << 20});
    return *trimmer_;
  }
  double counter(const std::string& name) const {
    for (const auto& s : metrics_.samples()) {
      if (s.series == name) return s.value;
    }
    return -1;
  }
  double trims() const { return counter("tickwire_heap_trims_total"); }

  Registry metrics_;
  boost::asio::io_context io_;
  FragmentedHeap heap_;
  std::optional<HeapTrimmer> trimmer_;
};

TEST_F(HeapTrimmerTest, GivesFreedHeapBackOnceItGrewPastTheThreshold) {
  auto& trimmer = make(std::chrono::seconds(10), 8);
  EXPECT_FALSE(trimmer.check());  // nothing freed yet
  EXPECT_EQ(trims(), 0);

  const auto before = read_process_memory();
  heap_.punch_holes();
  const auto freed = read_process_memory();
  EXPECT_GE(freed.heap_free_bytes - before.heap_free_bytes, 15.0 * (1 << 20));
  // Freed below live blocks: still resident.
  EXPECT_GT(freed.resident_bytes, before.resident_bytes - 4.0 * (1 << 20));

  EXPECT_TRUE(trimmer.check());
  const auto trimmed = read_process_memory();
  EXPECT_LT(trimmed.resident_bytes, freed.resident_bytes - 12.0 * (1 << 20));
  EXPECT_EQ(trims(), 1);
  EXPECT_GE(counter("tickwire_heap_trimmed_bytes_total"), 12.0 * (1 << 20));
  // The chunks are still free (only their pages went): no new growth, no second trim.
  EXPECT_FALSE(trimmer.check());
  EXPECT_EQ(trims(), 1);
}

TEST_F(HeapTrimmerTest, UnderTheThresholdNothingIsTrimmed) {
  auto& trimmer = make(std::chrono::seconds(10), 64);
  heap_.punch_holes();  // 16 MiB
  EXPECT_FALSE(trimmer.check());
  EXPECT_EQ(trims(), 0);
}

TEST_F(HeapTrimmerTest, ChecksOnItsTimerUntilStopped) {
  auto& trimmer = make(std::chrono::milliseconds(10), 8);
  trimmer.start();
  heap_.punch_holes();
  for (int i = 0; i < 200 && trims() < 1; ++i) io_.run_for(std::chrono::milliseconds(10));
  EXPECT_EQ(trims(), 1);
  trimmer.stop();
  io_.restart();
  io_.run();  // returns: stopping left no pending wait
}

}  // namespace
}  // namespace tickwire::ops
