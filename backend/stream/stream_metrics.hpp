// The metrics every client transport reports, labelled {transport="sse"|"websocket"|"poll"}.
#pragma once

#include <string>

#include "ops/metrics.hpp"

namespace tickwire::stream {

struct StreamMetrics {
  // `latency` (exchange timestamp -> write completion) may be left out: the exchange's own
  // server does not report it.
  static StreamMetrics make(ops::Registry& metrics, const std::string& prefix,
                            const std::string& transport, bool with_latency);
  ops::Gauge* connections;
  ops::Counter* sent;
  ops::Counter* conflated;
  ops::Counter* missed;
  ops::Counter* slow_disconnects;
  ops::Counter* writes;
  ops::Histogram* latency;
};

}  // namespace tickwire::stream
