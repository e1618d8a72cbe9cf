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
  // Connections the server closed, by why (label reason): the client stopped reading for
  // --write-timeout, its queued output passed --max-outbox-bytes, or it kept sending bad
  // messages, or stayed silent past its idle timeout (WebSocket).
  ops::Counter* write_timeouts;
  ops::Counter* outbox_overflows;
  ops::Counter* error_disconnects;
  ops::Counter* idle_disconnects;
  ops::Counter* writes;
  ops::Histogram* latency;
};

}  // namespace tickwire::stream
