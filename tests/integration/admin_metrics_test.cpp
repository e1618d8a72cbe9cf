// The operator metrics endpoints: one JSON document, and the same as SSE once a second.
#include <gtest/gtest.h>

#include "backend_fixture.hpp"
#include "sse_reader.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;

TEST(AdminMetrics, StreamSendsEveryMetricOfTheNodeEachSecond) {
  Backend backend;
  SseReader quotes(backend.port(), "/v1/stream?symbols=AAPL");
  ASSERT_TRUE(quotes.pump_until([&] { return quotes.quotes().size() >= 2; }, 10s));

  SseReader admin(backend.port(), "/v1/admin/metrics/stream");
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(admin.pump_until([&] { return admin.events().size() >= 3; }, 6s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1500ms);  // paced, not a flood
  for (const auto& e : admin.events()) {
    EXPECT_EQ(e.type, "metrics");
    const auto doc = boost::json::parse(e.data);
    const auto& nodes = doc.at("nodes").as_array();
    ASSERT_EQ(nodes.size(), 1u);
    const auto& m = nodes[0].at("metrics").as_object();
    EXPECT_EQ(m.at("tickwire_frontend_connections{transport=\"sse\"}").as_double(), 1.0);
    EXPECT_GE(m.at("tickwire_dispatch_upstream_symbols").as_double(), 1.0);
    EXPECT_TRUE(m.contains("tickwire_quote_latency_seconds:p99"));
    EXPECT_EQ(nodes[0].at("id").as_string(), "frontend-test");
  }
  // The admin stream is not a quote client.
  EXPECT_EQ(backend.metric("tickwire_frontend_connections{transport=\"sse\"}"), 1);
  const auto once = http_get(backend.port(), "/v1/admin/metrics");
  ASSERT_EQ(once.status, 200u);
  EXPECT_NO_THROW(boost::json::parse(once.body).at("nodes"));
}

}  // namespace
}  // namespace tickwire::test
