// The other nodes of the fleet, as the cache tier knows them: what a frontend's operator
// endpoints (/v1/admin/metrics[/stream]) list besides itself. In one process there are none;
// over Redis every node reports its metrics document there (see redis/redis_fleet.hpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace tickwire::cache {

class FleetView {
 public:
  using Nodes = std::vector<std::string>;
  virtual ~FleetView() = default;
  // The nodes' metrics documents (ops/node_document.hpp) as last read, never older than the
  // nodes' lease (empty then); thread-safe. Asking is what keeps the list read: a fleet nobody
  // watches is not read over and over (every frontend reading every node each second grows with
  // the square of the fleet).
  virtual Nodes nodes() = 0;
  // The same, read now unless the last read is fresh; `done` runs once, on any thread.
  virtual void read_nodes(std::function<void(Nodes)> done) = 0;
};

}  // namespace tickwire::cache
