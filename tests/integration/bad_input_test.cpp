// Every kind of bad request gets its status and a JSON error body, is counted by reason, and
// leaves a client that is streaming at the same time untouched.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "backend_fixture.hpp"
#include "sse_reader.hpp"

namespace tickwire::test {
namespace {

using namespace std::chrono_literals;

struct Case {
  const char* name;
  std::string request;
  unsigned status;
  const char* reason;
};

std::string get(const std::string& target, const std::string& extra = {}) {
  return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n";
}

TEST(BadInput, EachRejectionHasStatusJsonBodyAndMetric) {
  Backend backend;
  SseReader bystander(backend.port(), "/v1/stream?symbols=AAPL");
  ASSERT_TRUE(bystander.pump_until([&] { return bystander.quotes_of("AAPL").size() >= 2; }, 10s));

  std::string many;
  const auto listing = http_get(backend.port(), "/v1/symbols?limit=501");
  ASSERT_EQ(listing.status, 200u) << listing.error << listing.body;
  const auto parsed = boost::json::parse(listing.body);
  for (const auto& s : parsed.at("symbols").as_array()) {
    many += (many.empty() ? "" : ",") + std::string(s.at("symbol").as_string());
  }
  const std::vector<Case> cases = {
      {"lower-case symbol", get("/v1/stream?symbols=aapl"), 400, "bad_symbol"},
      {"symbol with slash", get("/v1/stream?symbols=AAPL,A%2FB"), 400, "bad_symbol"},
      // With one listed symbol the others are named and served without (Conformance tests).
      {"no listed symbol", get("/v1/stream?symbols=ZZZZZZ,QQQQQQ"), 400, "unknown_symbol"},
      {"no symbols", get("/v1/stream"), 400, "missing_parameter"},
      {"too many symbols", get("/v1/stream?symbols=" + many), 413, "too_many_symbols"},
      {"too many for polling", get("/v1/quotes?symbols=" + many), 413, "too_many_symbols"},
      {"unknown path", get("/v2/stream?symbols=AAPL"), 404, "not_found"},
      {"bad method", "POST /v1/stream?symbols=AAPL HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
       405, "method_not_allowed"},
      {"huge header", get("/v1/stream?symbols=AAPL", "X-Junk: " + std::string(20000, 'j') + "\r\n"),
       431, "header_too_large"},
      {"huge body", "POST /v1/quotes HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" +
                        std::string(100000, 'b'),
       413, "body_too_large"},
      {"not HTTP", "HELLO THERE\r\n\r\n", 400, "bad_request"},
      {"bad limit", get("/v1/symbols?limit=-3"), 400, "bad_parameter"},
  };
  for (const auto& c : cases) {
    const auto before =
        backend.metric("tickwire_frontend_rejected_requests_total{reason=\"" + std::string(c.reason) + "\"}");
    const auto r = http_raw(backend.port(), c.request);
    ASSERT_TRUE(r.ok) << c.name << ": " << r.error;
    EXPECT_EQ(r.status, c.status) << c.name;
    EXPECT_EQ(r.headers.at("content-type"), "application/json") << c.name;
    boost::system::error_code ec;
    const auto body = boost::json::parse(r.body, ec);
    ASSERT_FALSE(ec) << c.name << ": " << r.body;
    ASSERT_TRUE(body.is_object()) << c.name << ": " << r.body;
    EXPECT_EQ(body.at("error").as_string(), c.reason) << c.name;
    EXPECT_FALSE(body.at("detail").as_string().empty()) << c.name;
    const auto after =
        backend.metric("tickwire_frontend_rejected_requests_total{reason=\"" + std::string(c.reason) + "\"}");
    EXPECT_EQ((std::isnan(before) ? 0 : before) + 1, after) << c.name;
    if (c.status == 405) {
      EXPECT_EQ(r.headers.at("allow"), "GET");
    }
  }

  // The bystander never noticed.
  const auto seen = bystander.quotes_of("AAPL").size();
  ASSERT_TRUE(bystander.pump_until([&] { return bystander.quotes_of("AAPL").size() >= seen + 3; }, 10s));
  EXPECT_FALSE(bystander.closed());
}

TEST(BadInput, RandomBytesNeverHurtTheServer) {
  Backend backend;
  std::mt19937 rng(7);
  for (int i = 0; i < 200; ++i) {
    std::string junk(rng() % 2000, '\0');
    for (auto& ch : junk) ch = static_cast<char>(rng());
    if (i % 2) junk = "GET /v1/stream?symbols=" + junk + " HTTP/1.1\r\n\r\n";
    http_raw(backend.port(), junk, 500ms);  // any answer or none; it must not crash
  }
  EXPECT_EQ(http_get(backend.port(), "/healthz").status, 200u);
}

}  // namespace
}  // namespace tickwire::test
