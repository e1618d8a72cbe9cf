// The topics the cache tier uses on Kafka (docs/operations.md, "Scale-out on Kafka"), and which
// partition a symbol's records go to.
//
//   tickwire.quotes     quotes, and symbol statuses, of every symbol; compacted: the latest of
//                       each symbol stays, so a process that starts replays it for snapshots
//   tickwire.demand     each frontend's demanded symbols, one record per (frontend, partition)
//                       under a lease; the dispatchers' consumer group shares its partitions
//   tickwire.bars       one-minute bars, one record per (symbol, minute); compacted, and deleted
//                       after a day: what the charts of every frontend are served from
//   tickwire.state      the symbol directory (one record, compacted)
//   tickwire.nodes      every node's metrics document for the operator view
//   tickwire.exclusive  one partition: the dispatcher assigned it holds the provider connection
#pragma once

#include <string_view>

namespace tickwire::cache::kafka::topics {

inline constexpr const char* quotes = "tickwire.quotes";
inline constexpr const char* demand = "tickwire.demand";
inline constexpr const char* bars = "tickwire.bars";
inline constexpr const char* state = "tickwire.state";
inline constexpr const char* nodes = "tickwire.nodes";
inline constexpr const char* exclusive = "tickwire.exclusive";

// The key of a symbol's status record on tickwire.quotes: a key of its own, so compaction keeps
// both the latest quote and the latest status of the symbol.
inline constexpr std::string_view status_key_suffix = "!";

// The key of a bar record on tickwire.bars: "<symbol>@<minute>" (seconds since the epoch).
inline constexpr char bar_key_separator = '@';

// The partition of `symbol`'s records on a topic of `partitions` partitions. Chosen here rather
// than by the producer's partitioner, so that a symbol's quote and status records (two keys)
// share a partition and stay in order, and so that every process computes the same mapping.
int partition_of(std::string_view symbol, int partitions);

}  // namespace tickwire::cache::kafka::topics
