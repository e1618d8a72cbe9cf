#include <gtest/gtest.h>

#include "stream/event_id.hpp"

namespace tickwire::stream {
namespace {

TEST(EventId, RoundTripsAndRejectsGarbage) {
  const EventId id{123456789, 42};
  const auto back = EventId::parse(id.str());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->epoch, 123456789u);
  EXPECT_EQ(back->n, 42u);
  for (const char* bad : {"", "42", ".", "1.", ".1", "a.b", "1.2.3", "1.-2", "99999999999999999999.1"}) {
    EXPECT_FALSE(EventId::parse(bad)) << bad;
  }
}

}  // namespace
}  // namespace tickwire::stream
