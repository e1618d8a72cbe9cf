// The other nodes of the fleet, as the cache tier knows them: what a frontend's operator
// endpoints (/v1/admin/metrics[/stream]) list besides itself. In one process there are none;
// over Redis every node reports its metrics document there (see redis/redis_fleet.hpp).
#pragma once

#include <string>
#include <vector>

namespace tickwire::cache {

class FleetView {
 public:
  virtual ~FleetView() = default;
  // The nodes' metrics documents (ops/node_document.hpp) as last read; thread-safe.
  virtual std::vector<std::string> nodes() const = 0;
};

}  // namespace tickwire::cache
