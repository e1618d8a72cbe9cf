// One node's metrics as the operator view and the fleet reports carry them:
//   {"id": ..., "role": "exchange"|"dispatch"|"frontend"|"all", "ts": unix µs,
//    "metrics": {"<series>": value, ...}}
#pragma once

#include <string>

#include "ops/metrics.hpp"

namespace tickwire::ops {

std::string node_document(const Registry& metrics, const std::string& id, const std::string& role);

}  // namespace tickwire::ops
