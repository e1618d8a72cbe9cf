#include <gtest/gtest.h>

#include "tickwire/symbol.hpp"
#include "tickwire/symbol_directory.hpp"

namespace tickwire {
namespace {

TEST(Symbol, Validation) {
  for (const char* ok : {"A", "AAPL", "BRK.B", "BF-B", "X1", "ABCDEFGHIJKL"}) {
    EXPECT_TRUE(is_valid_symbol(ok)) << ok;
  }
  for (const char* bad : {"", "aapl", "1ABC", ".A", "-A", "AB CD", "ABCDEFGHIJKLM", "A/B",
                          "A\"B", "ÄPL", "A\nB"}) {
    EXPECT_FALSE(is_valid_symbol(bad)) << bad;
  }
}

TEST(Symbol, ParsesListsDeduplicatedInOrder) {
  const auto r = parse_symbol_list("MSFT, AAPL ,MSFT,TSLA", 10);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.symbols, (std::vector<std::string>{"MSFT", "AAPL", "TSLA"}));
}

TEST(Symbol, ReportsTheBadEntry) {
  auto r = parse_symbol_list("AAPL,msft,TSLA", 10);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.bad_symbol, "msft");
  r = parse_symbol_list("AAPL,,TSLA", 10);
  EXPECT_EQ(r.bad_symbol, "(empty)");
  r = parse_symbol_list("AAPL,", 10);
  EXPECT_EQ(r.bad_symbol, "(empty)");
  r = parse_symbol_list(std::string(500, 'X'), 10);
  EXPECT_EQ(r.bad_symbol.size(), 32u);  // echoed back truncated
}

TEST(Symbol, EmptyListIsNotOkButNotABadSymbol) {
  const auto r = parse_symbol_list("", 10);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.bad_symbol.empty());
  EXPECT_FALSE(r.too_many);
}

TEST(Symbol, LimitCountsDistinctSymbols) {
  EXPECT_TRUE(parse_symbol_list("A,B,A,B,A", 2).ok());
  const auto r = parse_symbol_list("A,B,C", 2);
  EXPECT_TRUE(r.too_many);
  EXPECT_FALSE(r.ok());
}

TEST(SymbolDirectory, SearchRanksExactThenPrefixThenNameWords) {
  SymbolDirectory dir({{"AMAT", "Applied Materials"},
                       {"AAPL", "Apple Inc."},
                       {"APP", "AppLovin"},
                       {"MSFT", "Microsoft"},
                       {"XAPP", "Happy Apps"}});
  std::vector<std::string> got;
  for (const auto* s : dir.search("app", 10)) got.push_back(s->symbol);
  EXPECT_EQ(got, (std::vector<std::string>{"APP", "AMAT", "AAPL", "XAPP"}));
  EXPECT_EQ(dir.search("app", 2).size(), 2u);
  EXPECT_EQ(dir.search("", 100).size(), 5u);
  EXPECT_TRUE(dir.search("zzz", 10).empty());
  EXPECT_TRUE(dir.contains("MSFT"));
  EXPECT_FALSE(dir.contains("msft"));
}

TEST(SymbolDirectory, JsonRoundTripSkipsInvalidEntries) {
  std::string why;
  const auto dir = SymbolDirectory::from_json(
      R"({"symbols":[{"symbol":"AAPL","name":"Apple Inc."},{"symbol":"bad"},{"name":"x"},{"symbol":"MSFT"}]})",
      &why);
  ASSERT_TRUE(dir) << why;
  ASSERT_EQ(dir->size(), 2u);
  EXPECT_EQ(dir->all()[0].name, "Apple Inc.");
  const auto again = SymbolDirectory::from_json(dir->to_json(dir->search("", 10)), &why);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->size(), 2u);
  EXPECT_FALSE(SymbolDirectory::from_json("[]", &why));
  EXPECT_FALSE(why.empty());
}

}  // namespace
}  // namespace tickwire
