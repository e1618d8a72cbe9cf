// kafka-mock-cluster: librdkafka's mock Kafka cluster (rd_kafka_mock_cluster_new) as a process
// of its own on loopback, so that every process of a test fleet talks the Kafka protocol over
// TCP to it exactly as to a real cluster. A test broker, not a Kafka: it keeps its log in
// memory and implements the subset of the protocol librdkafka's own tests need (produce,
// fetch, metadata, consumer groups with offsets).
//
//   kafka-mock-cluster --bootstrap-file FILE [--brokers 3] [--topic NAME:PARTITIONS]...
//
// Writes the brokers' bootstrap list ("127.0.0.1:PORT,...") to FILE once they listen (written
// to FILE.tmp and renamed, so a reader never sees half of it). SIGUSR1 takes every broker down
// (connections closed, new ones refused: a cluster that is away), SIGUSR2 brings them back
// with their data; SIGTERM or SIGINT ends it.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace {

int usage(const char* why) {
  std::fprintf(stderr,
               "kafka-mock-cluster: %s\nusage: kafka-mock-cluster --bootstrap-file FILE "
               "[--brokers N] [--topic NAME:PARTITIONS]...\n",
               why);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string bootstrap_file;
  int brokers = 3;
  std::vector<std::pair<std::string, int>> topics;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return usage(("a value is missing after " + arg).c_str());
    const std::string value = argv[++i];
    if (arg == "--bootstrap-file") {
      bootstrap_file = value;
    } else if (arg == "--brokers") {
      brokers = std::atoi(value.c_str());
      if (brokers < 1 || brokers > 9) return usage("--brokers must be 1 to 9");
    } else if (arg == "--topic") {
      const auto colon = value.rfind(':');
      const int partitions = colon == std::string::npos ? 0 : std::atoi(value.c_str() + colon + 1);
      if (colon == 0 || partitions < 1 || partitions > 1000) {
        return usage("--topic must be NAME:PARTITIONS (1 to 1000)");
      }
      topics.emplace_back(value.substr(0, colon), partitions);
    } else {
      return usage(("unknown option " + arg).c_str());
    }
  }
  if (bootstrap_file.empty()) return usage("--bootstrap-file is required");

  // The signals are taken by sigwait below, never by handlers.
  sigset_t signals;
  sigemptyset(&signals);
  for (const int s : {SIGTERM, SIGINT, SIGUSR1, SIGUSR2}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_t* owner = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (!owner) {
    std::fprintf(stderr, "kafka-mock-cluster: %s\n", error);
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(owner, brokers);
  if (!cluster) {
    std::fprintf(stderr, "kafka-mock-cluster: the mock cluster could not be created\n");
    rd_kafka_destroy(owner);
    return 1;
  }
  for (const auto& [name, partitions] : topics) {
    const auto err = rd_kafka_mock_topic_create(cluster, name.c_str(), partitions,
                                                std::min(brokers, 3));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::fprintf(stderr, "kafka-mock-cluster: topic %s: %s\n", name.c_str(), rd_kafka_err2str(err));
      return 1;
    }
  }
  const std::string bootstraps = rd_kafka_mock_cluster_bootstraps(cluster);
  {
    std::ofstream out(bootstrap_file + ".tmp");
    out << bootstraps << '\n';
  }
  std::rename((bootstrap_file + ".tmp").c_str(), bootstrap_file.c_str());
  std::printf("kafka-mock-cluster: %d broker(s) at %s\n", brokers, bootstraps.c_str());
  std::fflush(stdout);

  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGUSR1 || sig == SIGUSR2) {
      for (int id = 1; id <= brokers; ++id) {
        if (sig == SIGUSR1) {
          rd_kafka_mock_broker_set_down(cluster, id);
        } else {
          rd_kafka_mock_broker_set_up(cluster, id);
        }
      }
      std::printf("kafka-mock-cluster: brokers %s\n", sig == SIGUSR1 ? "down" : "up");
      std::fflush(stdout);
      continue;
    }
    break;
  }
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(owner);
  std::printf("kafka-mock-cluster: stopped\n");
  return 0;
}
