#include "dispatch/upstream/provider_quote_book.hpp"

#include <gtest/gtest.h>

namespace tickwire::dispatch {
namespace {

struct FakeClock {
  std::int64_t now = 1'800'000'000'000'000;
  ProviderQuoteBook::Clock fn() {
    return [this] { return now; };
  }
};

TEST(ProviderQuoteBook, NothingIsPublishedUntilTheLastPriceIsKnown) {
  FakeClock clock;
  ProviderQuoteBook book(clock.fn());
  EXPECT_FALSE(book.on_quote("AAPL", 189.1, 189.2, 100, 200, 5));
  const auto q = book.on_trade("AAPL", 189.15, 50, 6);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->symbol, "AAPL");
  EXPECT_EQ(q->last, 189.15);
  EXPECT_EQ(q->bid, 189.1);
  EXPECT_EQ(q->ask_size, 200u);
  EXPECT_EQ(q->ts, 6);
  EXPECT_TRUE(q->has(Quote::kBid));
  // No snapshot yet: no day statistics, no change, no volume; never an invented 0.
  for (auto f : {Quote::kVolume, Quote::kOpen, Quote::kHigh, Quote::kLow, Quote::kPrevClose,
                 Quote::kChange}) {
    EXPECT_FALSE(q->has(f)) << f;
  }
}

TEST(ProviderQuoteBook, TradesOnlyLeaveBidAndAskAbsent) {
  FakeClock clock;
  ProviderQuoteBook book(clock.fn());
  const auto q = book.on_trade("AAPL", 10, 1, 1);
  ASSERT_TRUE(q);
  EXPECT_FALSE(q->has(Quote::kBid));
  EXPECT_FALSE(q->has(Quote::kAskSize));
}

TEST(ProviderQuoteBook, DayStatisticsGiveChangeVolumeAndARange) {
  FakeClock clock;
  ProviderQuoteBook book(clock.fn());
  ProviderQuoteBook::Day day;
  day.open = 100;
  day.high = 105;
  day.low = 99;
  day.prev_close = 98;
  day.volume = 1000;
  day.last = 104;
  day.as_of = 50;
  auto q = book.on_day("MSFT", day);
  ASSERT_TRUE(q);  // the snapshot's latest trade gives the last price
  EXPECT_EQ(q->last, 104);
  EXPECT_DOUBLE_EQ(q->change, 6);
  EXPECT_DOUBLE_EQ(q->change_pct, 6.12);
  EXPECT_EQ(q->volume, 1000u);

  q = book.on_trade("MSFT", 40, 10, 40);  // older than the snapshot: in its volume already
  ASSERT_TRUE(q);
  EXPECT_EQ(q->volume, 1000u);
  EXPECT_EQ(q->low, 40);  // but a price is a price
  q = book.on_trade("MSFT", 110, 25, 60);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->volume, 1025u);
  EXPECT_EQ(q->high, 110);
  EXPECT_DOUBLE_EQ(q->change, 12);
  EXPECT_EQ(q->ts, 60);
}

TEST(ProviderQuoteBook, ATradeSeenBeforeTheSnapshotIsNotReplacedByIt) {
  FakeClock clock;
  ProviderQuoteBook book(clock.fn());
  ASSERT_TRUE(book.on_trade("X", 7, 1, 100));
  ProviderQuoteBook::Day day;
  day.last = 6;
  day.prev_close = 5;
  day.as_of = 90;
  const auto q = book.on_day("X", day);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->last, 7);
  EXPECT_EQ(q->ts, 100);
}

TEST(ProviderQuoteBook, SeqCountsEveryUpdateOfTheSymbolFromOne) {
  FakeClock clock;
  ProviderQuoteBook book(clock.fn());
  EXPECT_FALSE(book.on_quote("AAPL", 1, 2, 1, 1, 1));  // not published: not counted
  for (std::uint64_t i = 1; i <= 100; ++i) {
    if (i == 50) clock.now -= 5'000'000;  // the clock stepping back changes nothing
    const auto q = i % 2 ? book.on_trade("AAPL", 1.0 + i, 1, 10 + i)
                         : book.on_quote("AAPL", 1, 2, 1, 1, 10 + i);
    ASSERT_TRUE(q);
    ASSERT_EQ(q->seq, i);  // dense: a gap downstream means a quote lost there
  }
  EXPECT_EQ(book.on_trade("MSFT", 1, 1, 1)->seq, 1u);
}

TEST(ProviderQuoteBook, EachLifeOfASymbolHasItsOwnEpoch) {
  FakeClock clock;
  ProviderQuoteBook book(clock.fn());
  ASSERT_TRUE(book.on_trade("AAPL", 1, 1, 1));
  const auto first = book.epoch("AAPL");
  EXPECT_NE(first, 0u);
  EXPECT_EQ(book.epoch("NONE"), 0u);
  book.forget("AAPL");
  clock.now += 7;
  ASSERT_TRUE(book.on_trade("AAPL", 1, 1, 2));
  // Numbered from 1 again, under another epoch: the dispatcher continues its own seq.
  EXPECT_EQ(book.on_trade("AAPL", 1, 1, 3)->seq, 2u);
  EXPECT_NE(book.epoch("AAPL"), first);
}

TEST(ProviderQuoteBook, ForgetDropsTheState) {
  FakeClock clock;
  ProviderQuoteBook book(clock.fn());
  ASSERT_TRUE(book.on_trade("A", 1, 1, 1));
  EXPECT_EQ(book.size(), 1u);
  book.forget("A");
  EXPECT_EQ(book.size(), 0u);
  EXPECT_FALSE(book.on_quote("A", 1, 2, 1, 1, 2));  // last unknown again
}

}  // namespace
}  // namespace tickwire::dispatch
