#include "dispatch/sequence_mapper.hpp"

#include <gtest/gtest.h>

namespace tickwire::dispatch {
namespace {

using V = SequenceMapper::Verdict;

TEST(SequenceMapper, WithinOneEpochSeqIsPassedOnAndGapsKeepTheirSize) {
  SequenceMapper m;
  EXPECT_EQ(m.map("A", 7, 10, 100).seq, 10u);
  const auto next = m.map("A", 7, 11, 101);
  EXPECT_EQ(next.verdict, V::fresh);
  EXPECT_EQ(next.seq, 11u);
  const auto gap = m.map("A", 7, 15, 102);
  EXPECT_EQ(gap.verdict, V::gap);
  EXPECT_EQ(gap.missed, 3u);
  EXPECT_EQ(gap.seq, 15u);
  EXPECT_EQ(m.map("A", 7, 15, 103).verdict, V::stale);  // a duplicate
  EXPECT_EQ(m.map("A", 7, 12, 104).verdict, V::stale);  // a replay
  EXPECT_EQ(m.map("B", 7, 1, 100).seq, 1u);              // symbols are independent
}

TEST(SequenceMapper, ANewEpochContinuesTheNumberingFromOne) {
  SequenceMapper m;
  m.map("A", 7, 500, 100);
  m.map("A", 7, 501, 101);
  // The feed restarted and numbers from 1 again.
  const auto first = m.map("A", 8, 1, 102);
  EXPECT_EQ(first.verdict, V::new_life);
  EXPECT_EQ(first.seq, 502u);
  EXPECT_EQ(m.map("A", 8, 2, 103).seq, 503u);
  const auto gap = m.map("A", 8, 5, 104);
  EXPECT_EQ(gap.verdict, V::gap);
  EXPECT_EQ(gap.seq, 506u);
  EXPECT_EQ(m.map("A", 8, 4, 105).verdict, V::stale);
  // A new epoch whose numbers are higher still continues densely: no invented gap.
  EXPECT_EQ(m.map("A", 9, 1'000'000, 106).seq, 507u);
}

TEST(SequenceMapper, WithoutEpochsARestartIsASeqThatFellBackWhileTimeWentOn) {
  SequenceMapper m;
  m.map("A", 0, 40, 1000);
  EXPECT_EQ(m.map("A", 0, 40, 1000).verdict, V::stale);
  EXPECT_EQ(m.map("A", 0, 39, 900).verdict, V::stale);  // a replay: older time too
  const auto restart = m.map("A", 0, 1, 2000);
  EXPECT_EQ(restart.verdict, V::new_life);
  EXPECT_EQ(restart.seq, 41u);
  EXPECT_EQ(m.map("A", 0, 2, 2001).seq, 42u);
}

TEST(SequenceMapper, RebaseMovesTheNumberingAboveWhatTheCacheTierHolds) {
  SequenceMapper m;
  m.map("A", 3, 1, 100);
  EXPECT_EQ(m.rebase("A", 900), std::optional<std::uint64_t>(901));
  EXPECT_EQ(m.map("A", 3, 2, 101).seq, 902u);
  // Already above what was held (a late answer about an older quote): no change.
  EXPECT_EQ(m.rebase("A", 901), std::nullopt);
  EXPECT_EQ(m.map("A", 3, 3, 102).seq, 903u);
  EXPECT_EQ(m.rebase("unknown", 5), std::nullopt);
}

TEST(SequenceMapper, AForgottenSymbolStartsAfresh) {
  SequenceMapper m;
  m.map("A", 1, 100, 1);
  m.forget("A");
  EXPECT_EQ(m.size(), 0u);
  const auto r = m.map("A", 1, 5, 2);
  EXPECT_EQ(r.verdict, V::fresh);
  EXPECT_EQ(r.seq, 5u);
}

}  // namespace
}  // namespace tickwire::dispatch
