#include "stream/stream_metrics.hpp"

namespace tickwire::stream {

StreamMetrics StreamMetrics::make(ops::Registry& m, const std::string& prefix,
                                  const std::string& transport, bool with_latency) {
  StreamMetrics s{};
  const ops::Labels t{{"transport", transport}};
  s.connections = &m.gauge(prefix + "_connections", "Open client streams, by transport", t);
  s.sent = &m.counter(prefix + "_quotes_sent_total", "Quotes written to clients, by transport", t);
  s.conflated = &m.counter(prefix + "_quotes_conflated_total",
                           "Unsent quotes replaced by a newer one for a slow client", t);
  s.missed = &m.counter(prefix + "_quotes_missed_total",
                        "Quotes of a followed symbol that never reached the connection (replaced "
                        "in a busy shard or never received from upstream): its seq gaps",
                        t);
  const auto closed = [&](const char* reason) {
    return &m.counter(prefix + "_disconnects_total",
                      "Connections the server closed, by transport and reason (write_timeout: "
                      "stopped reading; outbox_full: queued output over the byte bound; "
                      "client_errors: too many bad messages; idle_timeout: a WebSocket client "
                      "silent, pongs included, for its idle timeout)",
                      {{"transport", transport}, {"reason", reason}});
  };
  s.write_timeouts = closed("write_timeout");
  s.outbox_overflows = closed("outbox_full");
  s.error_disconnects = closed("client_errors");
  s.idle_disconnects = closed("idle_timeout");
  s.writes = &m.counter(prefix + "_stream_writes_total",
                        "Socket writes to streams (each carries one or more quotes)", t);
  s.latency = with_latency ? &m.histogram("tickwire_quote_latency_seconds",
                                          "Exchange timestamp to frontend write completion",
                                          ops::latency_buckets())
                           : nullptr;
  return s;
}

}  // namespace tickwire::stream
