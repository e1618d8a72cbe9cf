#include "dispatch/upstream/provider_time.hpp"

#include <gtest/gtest.h>

namespace tickwire::dispatch {
namespace {

TEST(ProviderTime, ReadsRfc3339WithAnyFractionAndOffset) {
  // 2021-02-22T15:51:44Z is 1614009104 s after the epoch.
  EXPECT_EQ(parse_rfc3339_us("2021-02-22T15:51:44Z"), 1614009104'000000);
  EXPECT_EQ(parse_rfc3339_us("2021-02-22T15:51:44.208Z"), 1614009104'208000);
  EXPECT_EQ(parse_rfc3339_us("2021-02-22T15:51:44.208123999Z"), 1614009104'208123);
  EXPECT_EQ(parse_rfc3339_us("2021-02-22T10:51:44.5-05:00"), 1614009104'500000);
  EXPECT_EQ(parse_rfc3339_us("1970-01-01T00:00:00Z"), 0);
}

TEST(ProviderTime, RefusesWhatIsNotRfc3339) {
  for (const char* bad : {"", "2021-02-22", "2021-02-22T15:51:44", "2021-02-30T00:00:00Z",
                          "2021-13-01T00:00:00Z", "2021-02-22T25:00:00Z", "2021-02-22T15:51:44.Z",
                          "2021-02-22T15:51:44Zjunk", "2021-02-22T15:51:44+5:00",
                          "x021-02-22T15:51:44Z"}) {
    EXPECT_FALSE(parse_rfc3339_us(bad)) << bad;
  }
}

}  // namespace
}  // namespace tickwire::dispatch
