// What a dispatcher keeps of the minute bars it builds (dispatch/bar_recorder.hpp): only what has
// not gone to the cache tier yet, and the order between live bars and a provider's history.
#include "dispatch/bar_recorder.hpp"

#include <gtest/gtest.h>

namespace tickwire::dispatch {
namespace {

constexpr std::int64_t kMinute = 1'764'856'800;  // 2025-12-04 14:00:00 UTC

Quote quote(const std::string& symbol, std::int64_t second, double last) {
  Quote q;
  q.symbol = symbol;
  q.ts = second * 1'000'000;
  q.last = last;
  return q;
}

Bar bar(std::int64_t t, double price) { return Bar{t, price, price, price, price, 10}; }

TEST(BarRecorder, OnlyChangedBarsLeaveAndAfterwardsOnlyTheLastTwoMinutesStay) {
  BarRecorder recorder;
  for (int m = 0; m < 30; ++m) recorder.add(quote("AAPL", kMinute + 60 * m + 5, 100 + m));
  auto taken = recorder.take();
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].second.size(), 30u);
  EXPECT_EQ(recorder.bars(), 2u);  // the day is the cache tier's to keep
  EXPECT_TRUE(recorder.take().empty());

  // The open minute goes on from where it was: its bar keeps its open and widens.
  ASSERT_TRUE(recorder.add(quote("AAPL", kMinute + 60 * 29 + 30, 140)));
  taken = recorder.take();
  ASSERT_EQ(taken.size(), 1u);
  ASSERT_EQ(taken[0].second.size(), 1u);
  EXPECT_EQ(taken[0].second[0], (Bar{kMinute + 60 * 29, 129, 140, 129, 140, 0}));
}

TEST(BarRecorder, AQuoteForAMinuteThatAlreadyLeftIsRefusedNotRecordedAsANewBar) {
  BarRecorder recorder;
  for (int m = 0; m < 5; ++m) recorder.add(quote("AAPL", kMinute + 60 * m, 100));
  recorder.take();
  // A minute late is still recorded; older than that, the stored bar would be replaced by this
  // one quote's.
  EXPECT_TRUE(recorder.add(quote("AAPL", kMinute + 60 * 3 + 50, 90)));
  EXPECT_FALSE(recorder.add(quote("AAPL", kMinute + 60 * 2 + 50, 90)));
  const auto taken = recorder.take();
  ASSERT_EQ(taken.size(), 1u);
  ASSERT_EQ(taken[0].second.size(), 2u);  // minute 3 widened, and the open minute 4 after it
  EXPECT_EQ(taken[0].second[0].t, kMinute + 60 * 3);
  EXPECT_EQ(taken[0].second[0].low, 90);
}

TEST(BarRecorder, HistoryStopsWhereLiveBarsBeginAndInsaneBarsAreDropped) {
  BarRecorder recorder;
  // Before any quote, the whole history is older than anything live.
  EXPECT_EQ(recorder.before_live("AAPL", {bar(kMinute, 1), bar(kMinute + 60, 2)}).size(), 2u);

  recorder.add(quote("AAPL", kMinute + 120 + 7, 50));
  Bar broken = bar(kMinute + 30, 3);  // not a whole minute
  const auto older = recorder.before_live(
      "AAPL", {bar(kMinute + 60, 2), broken, bar(kMinute, 1), bar(kMinute + 120, 9),
               bar(kMinute + 180, 9)});
  ASSERT_EQ(older.size(), 2u);  // sorted, the broken one and the live minutes left out
  EXPECT_EQ(older[0].t, kMinute);
  EXPECT_EQ(older[1].t, kMinute + 60);
}

TEST(BarRecorder, AForgottenSymbolHoldsNothing) {
  BarRecorder recorder;
  recorder.add(quote("AAPL", kMinute, 1));
  recorder.add(quote("MSFT", kMinute, 1));
  recorder.forget("AAPL");
  EXPECT_EQ(recorder.symbols(), 1u);
  const auto taken = recorder.take();
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].first, "MSFT");
}

}  // namespace
}  // namespace tickwire::dispatch
