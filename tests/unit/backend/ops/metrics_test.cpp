#include <gtest/gtest.h>

#include "ops/metrics.hpp"

namespace tickwire::ops {
namespace {

TEST(Metrics, SameNameAndLabelsIsTheSameSeries) {
  Registry r;
  auto& a = r.counter("x_total", "help", {{"reason", "a"}});
  auto& a2 = r.counter("x_total", "other help", {{"reason", "a"}});
  auto& b = r.counter("x_total", "help", {{"reason", "b"}});
  EXPECT_EQ(&a, &a2);
  EXPECT_NE(&a, &b);
  EXPECT_THROW(r.gauge("x_total", "help"), std::logic_error);
}

TEST(Metrics, RendersPrometheusText) {
  Registry r;
  r.counter("req_total", "Requests", {{"reason", "bad \"q\"\n"}}).inc(3);
  r.gauge("conns", "Connections").set(-2);
  auto& h = r.histogram("lat_seconds", "Latency", {0.1, 1});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(5);
  auto handle = r.gauge_callback("live", "Computed", {}, [] { return 1.5; });
  const auto text = r.render_prometheus();
  EXPECT_NE(text.find("# HELP req_total Requests\n# TYPE req_total counter\n"
                      "req_total{reason=\"bad \\\"q\\\"\\n\"} 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("conns -2\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"0.1\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_sum 5.55\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_count 3\n"), std::string::npos);
  EXPECT_NE(text.find("live 1.5\n"), std::string::npos);
}

TEST(Metrics, CallbackGaugeGoesAwayWithItsHandle) {
  Registry r;
  {
    auto handle = r.gauge_callback("temp", "t", {}, [] { return 1.0; });
    EXPECT_NE(r.render_prometheus().find("temp 1"), std::string::npos);
  }
  EXPECT_EQ(r.render_prometheus().find("temp"), std::string::npos);
}

TEST(Metrics, HistogramQuantileInterpolatesWithinBuckets) {
  Histogram h({1, 2, 4});
  for (int i = 0; i < 100; ++i) h.observe(1.5);
  EXPECT_GT(h.quantile(0.5), 1.0);
  EXPECT_LE(h.quantile(0.5), 2.0);
  Histogram empty({1});
  EXPECT_EQ(empty.quantile(0.99), 0);
}

}  // namespace
}  // namespace tickwire::ops
