#include <gtest/gtest.h>

#include "stream/conflation_queue.hpp"

namespace tickwire::stream {
namespace {

FramePtr frame(const std::string& symbol, std::uint64_t seq, std::uint64_t event_id) {
  auto f = std::make_shared<QuoteFrame>();
  f->quote.symbol = symbol;
  f->quote.seq = seq;
  f->event_id = event_id;
  return f;
}

TEST(ConflationQueue, NewerQuoteReplacesUnsentOne) {
  ConflationQueue q(2);
  EXPECT_EQ(q.offer(0, frame("A", 1, 1)), ConflationQueue::Offer::queued);
  EXPECT_EQ(q.offer(0, frame("A", 2, 2)), ConflationQueue::Offer::conflated);
  EXPECT_EQ(q.offer(0, frame("A", 3, 3)), ConflationQueue::Offer::conflated);
  EXPECT_EQ(q.queued(), 1u);
  std::vector<ConflationQueue::Taken> out;
  q.take_batch(out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].frame->quote.seq, 3u);
  EXPECT_EQ(q.queued(), 0u);
}

TEST(ConflationQueue, MemoryIsBoundedBySymbolCountNotByBacklog) {
  ConflationQueue q(3);
  std::uint64_t id = 0;
  for (std::uint64_t seq = 1; seq <= 10000; ++seq) {
    for (std::uint32_t slot = 0; slot < 3; ++slot) q.offer(slot, frame("S", seq, ++id));
  }
  EXPECT_EQ(q.queued(), 3u);
}

TEST(ConflationQueue, RefusesOldOrRepeatedSeqEvenAfterSending) {
  ConflationQueue q(1);
  q.offer(0, frame("A", 5, 1));
  EXPECT_EQ(q.offer(0, frame("A", 5, 2)), ConflationQueue::Offer::stale);
  EXPECT_EQ(q.offer(0, frame("A", 4, 3)), ConflationQueue::Offer::stale);
  std::vector<ConflationQueue::Taken> out;
  q.take_batch(out);
  EXPECT_EQ(q.offer(0, frame("A", 3, 4)), ConflationQueue::Offer::stale);
  EXPECT_EQ(q.offer(0, frame("A", 6, 5)), ConflationQueue::Offer::queued);
}

TEST(ConflationQueue, BatchComesOutInEventOrder) {
  ConflationQueue q(3);
  q.offer(0, frame("A", 1, 10));
  q.offer(1, frame("B", 1, 11));
  q.offer(2, frame("C", 1, 12));
  q.offer(0, frame("A", 2, 13));  // A keeps its place in the queue but is now the newest
  std::vector<ConflationQueue::Taken> out;
  q.take_batch(out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].frame->event_id, 11u);
  EXPECT_EQ(out[1].frame->event_id, 12u);
  EXPECT_EQ(out[2].frame->event_id, 13u);
}

TEST(ConflationQueue, OnlyFramesFollowingKnownStateMeasureLatency) {
  ConflationQueue q(2);
  q.offer(0, frame("A", 5, 1));  // the connection's first A: does not measure
  std::vector<ConflationQueue::Taken> out;
  q.take_batch(out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FALSE(out[0].follows);
  q.offer(0, frame("A", 6, 2));  // follows what it had
  q.offer(1, frame("B", 9, 3));  // first B
  q.offer(0, frame("A", 7, 4));  // conflated: still follows
  out.clear();
  q.take_batch(out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].frame->quote.symbol, "B");
  EXPECT_FALSE(out[0].follows);
  EXPECT_EQ(out[1].frame->quote.symbol, "A");
  EXPECT_TRUE(out[1].follows);
}

TEST(ConflationQueue, SnapshotOrderFollowsSlots) {
  ConflationQueue q(3);
  q.offer(2, frame("C", 1, 1));
  q.offer(0, frame("A", 1, 2));
  std::vector<FramePtr> out;
  q.take_in_slot_order(out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0]->quote.symbol, "A");
  EXPECT_EQ(out[1]->quote.symbol, "C");
  EXPECT_EQ(q.queued(), 0u);
  EXPECT_EQ(q.offer(2, frame("C", 2, 3)), ConflationQueue::Offer::queued);
}

TEST(ConflationQueue, ReportsTheSeqsThatNeverReachedTheSlot) {
  ConflationQueue q(1);
  std::uint64_t skipped = 99;
  q.offer(0, frame("A", 5, 1), &skipped);
  EXPECT_EQ(skipped, 0u);  // the slot's first quote: nothing to compare with
  q.offer(0, frame("A", 6, 2), &skipped);
  EXPECT_EQ(skipped, 0u);
  // 7 and 8 never came; 9 replaces the unsent 6 (conflated: counted apart, not as skipped).
  EXPECT_EQ(q.offer(0, frame("A", 9, 3), &skipped), ConflationQueue::Offer::conflated);
  EXPECT_EQ(skipped, 2u);
}

}  // namespace
}  // namespace tickwire::stream
