#include "cache/kafka/kafka_url.hpp"

#include <gtest/gtest.h>

namespace tickwire::cache::kafka {
namespace {

TEST(KafkaUrl, OneOrMoreBrokersWithTheDefaultPort) {
  std::string why;
  const auto one = parse_kafka_url("kafka://127.0.0.1:39092", &why);
  ASSERT_TRUE(one) << why;
  ASSERT_EQ(one->brokers.size(), 1u);
  EXPECT_EQ(one->brokers[0].host, "127.0.0.1");
  EXPECT_EQ(one->brokers[0].port, 39092);

  const auto three = parse_kafka_url("kafka://k1.example,k2.example:9093,[::1]:9094", &why);
  ASSERT_TRUE(three) << why;
  ASSERT_EQ(three->brokers.size(), 3u);
  EXPECT_EQ(three->brokers[0].port, 9092);
  EXPECT_EQ(three->brokers[2].host, "::1");
  EXPECT_EQ(three->bootstrap_servers(), "k1.example:9092,k2.example:9093,[::1]:9094");
  EXPECT_EQ(three->str(), "kafka://k1.example:9092,k2.example:9093,[::1]:9094");
}

TEST(KafkaUrl, AnythingElseIsRefusedWithAReason) {
  for (const char* bad : {"redis://127.0.0.1:6379", "kafka://", "kafka://a:1,,b:2", "kafka://a:1,",
                          "kafka://a:0", "kafka://a:70000", "kafka://k1%90:1", "kafka://a!b:1", "kafka://a:99999", "kafka://a:65536", "kafka://a:", "kafka://user@a:1",
                          "kafka://a:1/topic", "kafka://a:1?x=1", "kafka://a b:1", "kafka://[::1:9"}) {
    std::string why;
    EXPECT_FALSE(parse_kafka_url(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

TEST(KafkaUrl, AShortFormAddressIsRefusedAsAName) {
  std::string why;
  EXPECT_FALSE(parse_kafka_url("kafka://k1.example:9092,127.1:9093", &why));
  EXPECT_NE(why.find("127.1:9093"), std::string::npos) << why;
  EXPECT_NE(why.find("in full"), std::string::npos) << why;
}

}  // namespace
}  // namespace tickwire::cache::kafka
