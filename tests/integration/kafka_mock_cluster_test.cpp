// The Kafka test broker the Kafka cache tier's tests will run on (issue 17): librdkafka's mock
// cluster in a process of its own (kafka-mock-cluster), reached over loopback TCP by an
// ordinary librdkafka producer and consumer, as tickwired processes will reach it. Keyed
// messages keep their order per key across partitions; a cluster taken down holds deliveries
// back, and brought up delivers them, nothing lost.
#include <gtest/gtest.h>

#include <librdkafka/rdkafkacpp.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kafka_cluster.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<RdKafka::Conf> config(const std::string& bootstrap,
                                      std::map<std::string, std::string> extra = {}) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  extra["bootstrap.servers"] = bootstrap;
  std::string error;
  for (const auto& [k, v] : extra) {
    EXPECT_EQ(conf->set(k, v, error), RdKafka::Conf::CONF_OK) << k << ": " << error;
  }
  return conf;
}

// Produces messages `from` to `from + n - 1`, keyed by symbol ("SYM:i" payloads), and returns
// how many were delivered within `wait`.
int produce(RdKafka::Producer& producer, const std::vector<std::string>& symbols, int from,
            int n, std::chrono::milliseconds wait) {
  for (int i = from; i < from + n; ++i) {
    const std::string& key = symbols[static_cast<std::size_t>(i) % symbols.size()];
    std::string payload = key + ":" + std::to_string(i);
    const auto err = producer.produce("tw.quotes", RdKafka::Topic::PARTITION_UA,
                                      RdKafka::Producer::RK_MSG_COPY, payload.data(),
                                      payload.size(), key.data(), key.size(), 0, nullptr);
    EXPECT_EQ(err, RdKafka::ERR_NO_ERROR) << RdKafka::err2str(err);
  }
  producer.flush(static_cast<int>(wait.count()));
  return n - producer.outq_len();
}

TEST(KafkaMockCluster, KeyedMessagesKeepTheirOrderOverTcpAndWaitOutADownCluster) {
  KafkaCluster cluster("kafka-mock-cluster-test", {{"tw.quotes", 12}});
  ASSERT_NE(cluster.bootstrap().find("127.0.0.1:"), std::string::npos) << cluster.bootstrap();

  std::string error;
  std::unique_ptr<RdKafka::Producer> producer(
      RdKafka::Producer::create(config(cluster.bootstrap(), {{"linger.ms", "5"}}).get(), error));
  ASSERT_TRUE(producer) << error;
  const std::vector<std::string> symbols{"AAPL", "MSFT", "NVDA", "BRK.B"};
  EXPECT_EQ(produce(*producer, symbols, 0, 200, 10s), 200);

  // The cluster goes away: deliveries wait (none lost, none failed), and go once it is back.
  cluster.brokers_down();
  std::this_thread::sleep_for(300ms);
  EXPECT_LT(produce(*producer, symbols, 200, 40, 1s), 40);
  cluster.brokers_up();
  producer->flush(15000);
  EXPECT_EQ(producer->outq_len(), 0);

  // A consumer of every partition from the start gets all 240, each key's in order.
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(RdKafka::KafkaConsumer::create(
      config(cluster.bootstrap(), {{"group.id", "test-reader"}, {"enable.auto.commit", "false"}})
          .get(),
      error));
  ASSERT_TRUE(consumer) << error;
  std::vector<RdKafka::TopicPartition*> parts;
  for (int p = 0; p < 12; ++p) {
    parts.push_back(RdKafka::TopicPartition::create("tw.quotes", p, RdKafka::Topic::OFFSET_BEGINNING));
  }
  ASSERT_EQ(consumer->assign(parts), RdKafka::ERR_NO_ERROR);
  RdKafka::TopicPartition::destroy(parts);
  std::map<std::string, std::vector<int>> seen;
  int total = 0;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (total < 240 && std::chrono::steady_clock::now() < deadline) {
    std::unique_ptr<RdKafka::Message> m(consumer->consume(200));
    if (m->err() != RdKafka::ERR_NO_ERROR) continue;
    const std::string payload(static_cast<const char*>(m->payload()), m->len());
    const auto colon = payload.find(':');
    seen[payload.substr(0, colon)].push_back(std::stoi(payload.substr(colon + 1)));
    ++total;
  }
  consumer->close();
  EXPECT_EQ(total, 240);
  for (const auto& [key, order] : seen) {
    ASSERT_EQ(order.size(), 60u) << key;
    for (std::size_t i = 1; i < order.size(); ++i) EXPECT_LT(order[i - 1], order[i]) << key;
  }
}

}  // namespace
}  // namespace tickwire::test
