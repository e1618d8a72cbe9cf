// Browsers: CORS on every kind of answer (JSON, the SSE stream, preflight), per configured
// origin list; and transports an operator turned off.
#include <gtest/gtest.h>

#include "backend_fixture.hpp"
#include "sse_reader.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;

std::string get_from(const std::string& origin, const std::string& target) {
  return "GET " + target + " HTTP/1.1\r\nHost: x\r\nOrigin: " + origin + "\r\n\r\n";
}

TEST(Cors, AnyOriginByDefaultOnJsonAndOnTheStream) {
  Backend backend;
  auto r = http_raw(backend.port(), get_from("http://app.test", "/v1/quotes?symbols=AAPL"));
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.headers.at("access-control-allow-origin"), "*");
  EXPECT_EQ(r.headers.at("access-control-expose-headers"), "ETag");
  SseReader stream(backend.port(), "/v1/stream?symbols=AAPL", "Origin: http://app.test\r\n");
  ASSERT_TRUE(stream.pump_until([&] { return !stream.events().empty(); }, 5s));
  EXPECT_NE(stream.head().find("Access-Control-Allow-Origin: *"), std::string::npos);
  // No Origin, no CORS headers.
  EXPECT_FALSE(http_get(backend.port(), "/v1/symbols?q=a").headers.contains("access-control-allow-origin"));
}

TEST(Cors, OnlyListedOriginsWhenConfigured) {
  auto config = test_config();
  config.frontend.cors_origins = {"https://trade.example"};
  Backend backend(config);
  auto ok = http_raw(backend.port(), get_from("https://trade.example", "/healthz"));
  EXPECT_EQ(ok.headers.at("access-control-allow-origin"), "https://trade.example");
  EXPECT_EQ(ok.headers.at("vary"), "Origin");
  auto other = http_raw(backend.port(), get_from("https://evil.example", "/healthz"));
  EXPECT_EQ(other.status, 200u);
  EXPECT_FALSE(other.headers.contains("access-control-allow-origin"));
  auto preflight = http_raw(backend.port(),
                            "OPTIONS /v1/stream HTTP/1.1\r\nHost: x\r\nOrigin: https://trade.example\r\n"
                            "Access-Control-Request-Headers: last-event-id\r\n\r\n");
  EXPECT_EQ(preflight.status, 204u);
  EXPECT_NE(preflight.headers.at("access-control-allow-headers").find("Last-Event-ID"),
            std::string::npos);
}

TEST(Transports, ATurnedOffTransportAnswers503) {
  auto config = test_config();
  config.frontend.sse = false;
  config.frontend.websocket = false;
  Backend backend(config);
  const auto sse = http_get(backend.port(), "/v1/stream?symbols=AAPL");
  EXPECT_EQ(sse.status, 503u);
  EXPECT_NE(sse.body.find("transport_disabled"), std::string::npos);
  EXPECT_EQ(http_get(backend.port(), "/v1/ws").status, 503u);
  EXPECT_EQ(http_get(backend.port(), "/v1/quotes?symbols=AAPL").status, 200u);
}

}  // namespace
}  // namespace tickwire::test
