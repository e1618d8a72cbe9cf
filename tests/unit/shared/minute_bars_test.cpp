// One-minute bars built from quotes (tickwire/minute_bars.hpp) and their JSON (bar_json.hpp).
#include "tickwire/minute_bars.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tickwire/bar_json.hpp"

namespace tickwire {
namespace {

constexpr std::int64_t kMinute = 1'764'856'800;  // 2025-12-04 14:00:00 UTC

Quote quote(std::int64_t second, double last, std::uint64_t day_volume) {
  Quote q;
  q.symbol = "AAPL";
  q.seq = static_cast<std::uint64_t>(second);
  q.ts = second * 1'000'000 + 250'000;
  q.last = last;
  q.volume = day_volume;
  return q;
}

TEST(MinuteBars, QuotesOfOneMinuteMakeOneBarWithItsOpenHighLowCloseAndVolume) {
  MinuteBars bars;
  ASSERT_TRUE(bars.add(quote(kMinute + 1, 100, 1'000)));
  ASSERT_TRUE(bars.add(quote(kMinute + 20, 103, 1'300)));
  ASSERT_TRUE(bars.add(quote(kMinute + 40, 99, 1'350)));
  ASSERT_TRUE(bars.add(quote(kMinute + 59, 101, 1'500)));
  ASSERT_EQ(bars.bars().size(), 1u);
  // The first quote sets the day's volume baseline: the bar holds what traded after it.
  EXPECT_EQ(bars.bars()[0], (Bar{kMinute, 100, 103, 99, 101, 500}));
}

TEST(MinuteBars, ANewMinuteStartsANewBarAndVolumeIsCountedOnce) {
  MinuteBars bars;
  bars.add(quote(kMinute + 5, 100, 1'000));
  bars.add(quote(kMinute + 50, 100.5, 1'200));
  bars.add(quote(kMinute + 60, 101, 1'250));   // the next minute's first second
  bars.add(quote(kMinute + 200, 102, 1'900));  // two minutes skipped: no empty bars invented
  ASSERT_EQ(bars.bars().size(), 3u);
  EXPECT_EQ(bars.bars()[0], (Bar{kMinute, 100, 100.5, 100, 100.5, 200}));
  EXPECT_EQ(bars.bars()[1], (Bar{kMinute + 60, 101, 101, 101, 101, 50}));
  EXPECT_EQ(bars.bars()[2], (Bar{kMinute + 180, 102, 102, 102, 102, 650}));
  std::uint64_t total = 0;
  for (const auto& b : bars.bars()) total += b.volume;
  EXPECT_EQ(total, 900u);  // the day's volume grew by exactly that since the first quote
}

TEST(MinuteBars, DroppedBarsKeepTheVolumeBaseline) {
  MinuteBars bars;
  bars.add(quote(kMinute + 5, 100, 1'000));
  bars.add(quote(kMinute + 65, 101, 1'100));
  bars.drop_before(kMinute + 60);
  ASSERT_EQ(bars.bars().size(), 1u);
  bars.add(quote(kMinute + 125, 102, 1'150));
  EXPECT_EQ(bars.bars().back().volume, 50u);  // not the day's 1,150
  EXPECT_EQ(bar_minute((kMinute + 125) * 1'000'000), kMinute + 120);
  EXPECT_EQ(bar_minute(-1), -60);  // before the epoch, rounding down still
}

TEST(MinuteBars, ALateQuoteWidensItsMinuteButDoesNotMoveItsClose) {
  MinuteBars bars;
  bars.add(quote(kMinute + 10, 100, 0));
  bars.add(quote(kMinute + 70, 101, 0));
  ASSERT_TRUE(bars.add(quote(kMinute + 30, 97, 0)));  // delivered after the next minute's
  EXPECT_EQ(bars.bars()[0], (Bar{kMinute, 100, 100, 97, 100, 0}));
  EXPECT_EQ(bars.bars()[1].close, 101);
}

TEST(MinuteBars, AFallingDayVolumeIsANewBaselineNotANegativeBar) {
  MinuteBars bars;
  bars.add(quote(kMinute, 100, 5'000'000));
  bars.add(quote(kMinute + 60, 100, 400));  // a new trading day (or a restarted feed)
  bars.add(quote(kMinute + 61, 100, 700));
  EXPECT_EQ(bars.bars()[1].volume, 300u);
}

TEST(MinuteBars, AQuoteWithoutVolumeStillMakesPrices) {
  MinuteBars bars;
  auto q = quote(kMinute, 50, 0);
  q.absent = Quote::kVolume;
  ASSERT_TRUE(bars.add(q));
  EXPECT_EQ(bars.bars()[0].volume, 0u);
}

TEST(MinuteBars, PricesThatAreNotPositiveFiniteNumbersAreRefused) {
  MinuteBars bars;
  EXPECT_FALSE(bars.add(quote(kMinute, 0, 1)));
  EXPECT_FALSE(bars.add(quote(kMinute, -3, 1)));
  EXPECT_FALSE(bars.add(quote(kMinute, std::numeric_limits<double>::quiet_NaN(), 1)));
  EXPECT_FALSE(bars.add(quote(kMinute, std::numeric_limits<double>::infinity(), 1)));
  EXPECT_TRUE(bars.empty());
}

TEST(MinuteBars, MemoryIsBoundedByTheWindowWhateverTheFeedSends) {
  MinuteBars bars;
  // Two days of one quote a minute.
  for (std::int64_t m = 0; m < 2 * 1440; ++m) bars.add(quote(kMinute + m * 60, 100, 0));
  EXPECT_EQ(bars.bars().size(), MinuteBars::kMaxBars);
  EXPECT_EQ(bars.bars().back().t - bars.bars().front().t, MinuteBars::kWindow - 60);
  // A quote older than the window is refused, not inserted at the front.
  EXPECT_FALSE(bars.add(quote(kMinute, 1, 0)));
  EXPECT_EQ(bars.bars().size(), MinuteBars::kMaxBars);
}

TEST(MinuteBars, HistoryFillsOnlyMinutesTheQuotesDidNotMake) {
  MinuteBars bars;
  bars.add(quote(kMinute + 120, 100, 0));
  const std::vector<Bar> history{{kMinute, 90, 91, 89, 90.5, 10},
                                 {kMinute + 60, 90.5, 92, 90, 91, 20},
                                 {kMinute + 120, 1, 1, 1, 1, 1},  // the quotes' bar wins
                                 {kMinute + 30, 5, 5, 5, 5, 5}};   // not a whole minute
  bars.merge(history);
  ASSERT_EQ(bars.bars().size(), 3u);
  EXPECT_EQ(bars.bars()[0], history[0]);
  EXPECT_EQ(bars.bars()[1], history[1]);
  EXPECT_EQ(bars.bars()[2].open, 100);
  EXPECT_EQ(bars.since(kMinute + 60).size(), 2u);
}

TEST(MinuteBars, ReplaceBarsTakesTheIncomingBarOfAMinuteAndKeepsOrder) {
  std::deque<Bar> kept{{kMinute, 1, 2, 1, 2, 5}, {kMinute + 60, 2, 3, 2, 3, 5}};
  const std::vector<Bar> incoming{{kMinute + 60, 2, 4, 2, 4, 9}, {kMinute + 120, 4, 4, 4, 4, 1}};
  replace_bars(kept, incoming);
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].close, 2);
  EXPECT_EQ(kept[1], incoming[0]);
  EXPECT_EQ(kept[2], incoming[1]);
}

TEST(MinuteBars, BoundsOffByFloatNoiseAreTakenAsEqualAndFixed) {
  // Boost.JSON 1.81 reads 15 significant digits: a low equal to the open can come back a ULP
  // above it (fuzz_bar_json found it; its input is in the corpus as regression-ulp-bounds).
  Bar noisy{kMinute, 100, 101, std::nextafter(100.0, 200.0), 100.5, 1};
  ASSERT_TRUE(sane_bar(noisy));
  EXPECT_EQ(noisy.low, 100);
  Bar high_noise{kMinute, 100, std::nextafter(100.5, 0.0), 99, 100.5, 1};
  ASSERT_TRUE(sane_bar(high_noise));
  EXPECT_EQ(high_noise.high, 100.5);
  Bar wrong{kMinute, 100, 101, 100.01, 100.5, 1};  // a real inconsistency: refused
  EXPECT_FALSE(sane_bar(wrong));
  // And the codec takes such a bar back after its own encoding, whatever the digits.
  const Bar big{kMinute, 229, 2.6666666666666666e+25, 228.9, 229.3, 1};
  std::string text;
  append_bar_json(text, big);
  EXPECT_TRUE(decode_bar(text));
}

TEST(BarJson, ADocumentRoundTrips) {
  const std::vector<Bar> bars{{kMinute, 229.1, 229.45, 228.9, 229.3, 12'800},
                              {kMinute + 60, 229.3, 229.3, 229.3, 229.3, 0}};
  const auto text = encode_bars("BRK.B", 228.5, bars);
  std::string error;
  const auto doc = decode_bars(text, &error);
  ASSERT_TRUE(doc) << error << " in " << text;
  EXPECT_EQ(doc->symbol, "BRK.B");
  EXPECT_EQ(doc->interval, "1m");
  EXPECT_EQ(doc->prev_close, 228.5);
  EXPECT_EQ(doc->bars, bars);
  EXPECT_EQ(encode_bars("AAPL", 0, {}), R"({"symbol":"AAPL","interval":"1m","bars":[]})");
}

TEST(BarJson, MalformedBarsAreRefusedWithAReason) {
  for (const char* bad : {R"({"t":1764856801,"o":1,"h":1,"l":1,"c":1})",  // not a whole minute
                          R"({"t":1764856800,"o":1,"h":1,"l":0,"c":1})",  // low not positive
                          R"({"t":1764856800,"o":3,"h":2,"l":1,"c":1})",  // open above high
                          R"({"t":1764856800,"o":1,"h":1,"l":1})",        // no close
                          R"({"t":-60,"o":1,"h":1,"l":1,"c":1})", R"([1,2])", "{"}) {
    std::string error;
    EXPECT_FALSE(decode_bar(bad, &error)) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
  EXPECT_FALSE(decode_bars(R"({"symbol":"aapl","interval":"1m","bars":[]})"));
  EXPECT_FALSE(decode_bars(
      R"({"symbol":"A","interval":"1m","bars":[{"t":120,"o":1,"h":1,"l":1,"c":1},)"
      R"({"t":60,"o":1,"h":1,"l":1,"c":1}]})"));  // out of order
}

}  // namespace
}  // namespace tickwire
