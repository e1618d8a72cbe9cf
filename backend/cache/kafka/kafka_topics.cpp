#include "cache/kafka/kafka_topics.hpp"

#include <cstdint>

namespace tickwire::cache::kafka::topics {

int partition_of(std::string_view symbol, int partitions) {
  if (partitions <= 1) return 0;
  // FNV-1a: stable across processes, versions and machines (std::hash is not).
  std::uint32_t h = 2166136261u;
  for (const char c : symbol) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return static_cast<int>(h % static_cast<std::uint32_t>(partitions));
}

}  // namespace tickwire::cache::kafka::topics
