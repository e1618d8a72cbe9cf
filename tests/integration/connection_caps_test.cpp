// --max-connections and --max-connections-per-ip against a real tickwired over loopback: the
// connection past a cap is answered (429 or 503, Retry-After, the JSON error shape), a WebSocket
// upgrade too, before any upgrade; a place comes back when its connection closes.
#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "child_process.hpp"
#include "http_probe.hpp"
#include "sse_reader.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;

const std::string kUpgrade =
    "GET /v1/ws?symbols=AAPL HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

// Opens `n` SSE streams and waits until each has its snapshot, so that each holds its place.
std::vector<std::unique_ptr<SseReader>> hold_streams(unsigned short port, int n) {
  std::vector<std::unique_ptr<SseReader>> streams;
  for (int i = 0; i < n; ++i) {
    streams.push_back(std::make_unique<SseReader>(port, "/v1/stream?symbols=AAPL"));
    auto& s = *streams.back();
    EXPECT_TRUE(s.pump_until([&] { return !s.events().empty(); }, 10s)) << "stream " << i;
    EXPECT_EQ(s.status(), 200u) << "stream " << i;
  }
  return streams;
}

// Asks until an answer other than `refused` comes (the server notices a closed connection a
// moment after the client closed it), for up to 5 s.
HttpReply get_until_not(unsigned short port, const std::string& target, unsigned refused) {
  HttpReply r;
  for (int i = 0; i < 50; ++i) {
    r = http_get(port, target);
    if (r.ok && r.status != refused) break;
    std::this_thread::sleep_for(100ms);
  }
  return r;
}

TEST(ConnectionCaps, TheSixthConnectionFromOneAddressIsAnswered429UntilOneCloses) {
  Tickwired server({"--threads", "2", "--max-connections-per-ip", "5"}, "caps-per-ip");
  auto streams = hold_streams(server.port, 5);

  const auto refused = http_get(server.port, "/v1/stream?symbols=AAPL");
  ASSERT_TRUE(refused.ok) << refused.error;
  EXPECT_EQ(refused.status, 429u);
  EXPECT_EQ(refused.headers.count("retry-after"), 1u);
  EXPECT_NE(refused.body.find("\"error\":\"too_many_connections_from_ip\""), std::string::npos)
      << refused.body;
  // A WebSocket upgrade over the cap gets the same answer, before any upgrade.
  const auto upgrade = http_raw(server.port, kUpgrade);
  ASSERT_TRUE(upgrade.ok) << upgrade.error;
  EXPECT_EQ(upgrade.status, 429u);
  for (const auto& s : streams) EXPECT_FALSE(s->closed()) << "a held stream was dropped";

  // One stream closes: its place is free again (and /metrics, a connection too, answers).
  streams.back().reset();
  const auto again = get_until_not(server.port, "/metrics", 429);
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_EQ(again.status, 200u);
  // The stream and the upgrade, and any retry above that came before the close was noticed.
  EXPECT_GE(metric_value(again.body, "tickwire_frontend_rejected_requests_total{reason="
                                     "\"too_many_connections_from_ip\"}"),
            2);
}

TEST(ConnectionCaps, OverTheProcessCapNewConnectionsAreAnswered503) {
  Tickwired server({"--threads", "2", "--max-connections", "3"}, "caps-total");
  auto streams = hold_streams(server.port, 3);
  const auto refused = http_get(server.port, "/v1/quotes?symbols=AAPL");
  ASSERT_TRUE(refused.ok) << refused.error;
  EXPECT_EQ(refused.status, 503u);
  EXPECT_EQ(refused.headers.count("retry-after"), 1u);
  EXPECT_NE(refused.body.find("\"error\":\"too_many_connections\""), std::string::npos)
      << refused.body;

  streams.front().reset();
  const auto again = get_until_not(server.port, "/metrics", 503);
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_EQ(again.status, 200u);
  EXPECT_GE(metric_value(again.body,
                         "tickwire_frontend_rejected_requests_total{reason=\"too_many_connections\"}"),
            1);
}

TEST(ConnectionCaps, WithoutCapsManyConnectionsFromOneAddressAreServed) {
  Tickwired server({"--threads", "2"}, "caps-none");
  auto streams = hold_streams(server.port, 20);
  const auto r = http_get(server.port, "/v1/quotes?symbols=AAPL");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status, 200u);
}

}  // namespace
}  // namespace tickwire::test
