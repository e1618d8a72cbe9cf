#include "cache/kafka/demand_record.hpp"

#include <gtest/gtest.h>

namespace tickwire::cache::kafka {
namespace {

using namespace std::chrono_literals;

TEST(DemandRecord, RoundTrips) {
  const DemandRecord in{3000ms, {"AAPL", "BRK.B", "MSFT"}};
  std::string why;
  const auto out = decode_demand(encode_demand(in), &why);
  ASSERT_TRUE(out) << why;
  EXPECT_EQ(out->lease, 3000ms);
  EXPECT_EQ(out->symbols, in.symbols);
  EXPECT_EQ(encode_demand({1000ms, {}}), R"({"lease_ms":1000,"symbols":[]})");
}

TEST(DemandRecord, AnythingElseIsRefusedWithAReason) {
  for (const char* bad : {"", "[]", "{", "null", R"({"symbols":["AAPL"]})",
                          R"({"lease_ms":-1,"symbols":[]})", R"({"lease_ms":"3000","symbols":[]})",
                          R"({"lease_ms":86400001,"symbols":[]})", R"({"lease_ms":1000})",
                          R"({"lease_ms":1000,"symbols":"AAPL"})",
                          R"({"lease_ms":1000,"symbols":[1]})",
                          R"({"lease_ms":1000,"symbols":["not a symbol"]})",
                          R"({"lease_ms":1000,"symbols":[""]})"}) {
    std::string why;
    EXPECT_FALSE(decode_demand(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

TEST(DemandRecord, TooManySymbolsAreRefused) {
  DemandRecord big{1000ms, std::vector<std::string>(100'001, "AAPL")};
  std::string why;
  EXPECT_FALSE(decode_demand(encode_demand(big), &why));
  EXPECT_NE(why.find("100000"), std::string::npos) << why;
}

}  // namespace
}  // namespace tickwire::cache::kafka
