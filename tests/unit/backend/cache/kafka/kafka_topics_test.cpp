#include "cache/kafka/kafka_topics.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace tickwire::cache::kafka::topics {
namespace {

TEST(KafkaTopics, ASymbolsPartitionIsFixedAndInRange) {
  // Every process must agree, whatever its build: the values are part of the wire contract
  // (FNV-1a of the symbol's bytes modulo the partition count).
  EXPECT_EQ(partition_of("AAPL", 12), partition_of("AAPL", 12));
  EXPECT_EQ(partition_of("", 12), static_cast<int>(2166136261u % 12));
  EXPECT_EQ(partition_of("A", 1000), static_cast<int>(((2166136261u ^ 'A') * 16777619u) % 1000));
  EXPECT_EQ(partition_of("AAPL", 1), 0);
  EXPECT_EQ(partition_of("AAPL", 0), 0);
  std::set<int> used;
  for (int i = 0; i < 500; ++i) {
    const int p = partition_of("SYM" + std::to_string(i), 12);
    ASSERT_GE(p, 0);
    ASSERT_LT(p, 12);
    used.insert(p);
  }
  EXPECT_EQ(used.size(), 12u);  // 500 symbols reach every partition
}

}  // namespace
}  // namespace tickwire::cache::kafka::topics
